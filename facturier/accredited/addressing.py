"""Where a buyer receives its invoices: its line in the national directory, asked through the connection.

The buyer's electronic address (BT-49) under scheme 0225 is an addressing identifier
itself (``SIREN``, ``SIREN_SIRET``, ``SIREN_SIRET_routing code``...): its line is read
directly. Otherwise the buyer's SIREN is searched, and its company-wide line (the
SIREN alone) is preferred to a facility's. Only an ``Enabled`` line counts: a
``Disabled`` one has no platform behind it, an ``Upcoming`` one not yet.

Found lines are cached a few minutes per connection, so a batch of invoices to one
buyer asks the directory once.
"""

from dataclasses import dataclass

from django.core.cache import cache

from facturier.identifiers import siren_of_address

CACHE_SECONDS = 300
ENABLED = "Enabled"
PUBLIC_PLATFORM = "DFH"  # UNCL 3035: the public invoicing portal (PPF / Chorus Pro), for public bodies


@dataclass(frozen=True)
class Address:
    identifier: str  # the directory line's addressingIdentifier
    platform_type: str = ""  # WK: an accredited platform; DFH: the public portal

    @property
    def is_public(self):
        return self.platform_type == PUBLIC_PLATFORM


def buyer_siren(invoice):
    customer = invoice.third_party
    if invoice.buyer_siren:
        return invoice.buyer_siren
    if customer is not None:
        return siren_of_address(customer.electronic_address, customer.electronic_address_scheme) or customer.siren
    return ""


def addressing_hint(invoice):
    """The buyer's electronic address when it is an addressing identifier (scheme 0225), else ""."""
    customer = invoice.third_party
    if customer is None or customer.electronic_address_scheme != "0225":
        return ""
    return customer.electronic_address.strip()


def find_address(platform, invoice):
    """The buyer's ``Address`` according to the platform's directory, or None when it has no enabled line."""
    key = f"accredited:address:{platform.connection.pk}:{addressing_hint(invoice)}:{buyer_siren(invoice)}"
    found = cache.get(key)
    if found is None:
        found = _look_up(platform, invoice)
        if found is not None:
            cache.set(key, found, CACHE_SECONDS)
    return found


def _look_up(platform, invoice):
    hint = addressing_hint(invoice)
    if hint:
        line = platform.directory_line(hint)
        if _enabled(line):
            return _address(line)
    siren = buyer_siren(invoice)
    if not siren:
        return None
    lines = [line for line in platform.directory_lines(siren=siren) if _enabled(line)]
    if not lines:
        return None
    lines.sort(key=lambda line: (line.get("addressingIdentifier") != siren, str(line.get("addressingIdentifier"))))
    return _address(lines[0])


def _enabled(line):
    return isinstance(line, dict) and bool(line.get("addressingIdentifier")) and \
        line.get("directoryLineStatus", ENABLED) == ENABLED


def _address(line):
    return Address(identifier=str(line["addressingIdentifier"]), platform_type=str(line.get("platformType") or ""))
