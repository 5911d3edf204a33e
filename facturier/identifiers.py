"""The identifiers of companies, read one way everywhere (python-stdnum).

SIREN (9 digits and a Luhn key, La Poste aside), SIRET (the SIREN and a
5-digit establishment number), VAT numbers (French: FR, a key computed from
the SIREN, the SIREN; other EU countries: their own check) and the electronic
addresses of the reform: scheme 0225 (``SIREN``, ``SIREN_SIRET`` or
``SIREN_SIRET_routing code``, rules BR-FR-23 and BR-FR-25) and 0002 (the SIREN).

The readers (``siren``, ``siret``, ``vat_number``, ``siren_of_*``) return the
compact form, or "" when the text is not one: invoices from outside carry any
text. The ``validate_*`` functions raise ``InvalidIdentifier``, whose message
the user reads (forms, the registry look-up) and whose code names the rule.
"""

import re

from django.utils.translation import gettext_lazy as _
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret
from stdnum.fr import tva as fr_tva

# The electronic address schemes whose value starts with the company's SIREN.
SIREN_ADDRESS_SCHEMES = ("0225", "0002")
ADDRESS_FORMAT = re.compile(r"[A-Za-z0-9+\-_.]{1,125}")  # BR-FR-23 characters, BR-FR-25 length


class InvalidIdentifier(ValueError):
    def __init__(self, message, code):
        super().__init__(message)
        self.message, self.code = message, code


def _text(value):
    return "".join(str(value or "").split())


def validate_siren(value):
    """The compact SIREN of ``value``: nine digits with a valid key (La Poste's follows its own rule)."""
    number = fr_siren.compact(_text(value))
    if not number.isdigit() or len(number) != 9:
        raise InvalidIdentifier(_("Le SIREN doit comporter 9 chiffres."), "siren_format")
    if not fr_siren.is_valid(number):
        raise InvalidIdentifier(_("Ce SIREN n'est pas valide (clé de contrôle incorrecte)."), "siren_key")
    return number


def validate_vat_number(value, siren=""):
    """The compact VAT number ("FR40303265045"), checked by its country's rule.

    A French number must carry the key of its SIREN, and be the number of
    ``siren`` when given. Other EU numbers carry a check stdnum knows; numbers
    of other countries (GB, CH, NO…) need only start with the country code.
    """
    number = _text(value).replace(".", "").replace("-", "").upper()
    country = number[:2]
    if len(number) < 4 or not country.isalpha():
        raise InvalidIdentifier(_("Un numéro de TVA commence par le code du pays (FR, BE, …)."), "vat_format")
    if country.lower() not in eu_vat.MEMBER_STATES and country != "EL":
        return number
    try:
        number = eu_vat.validate(number)
    except ValidationError:
        raise InvalidIdentifier(_("Ce numéro de TVA n'est pas valide."), "vat_invalid") from None
    if siren and country == "FR" and number[4:] != siren:
        raise InvalidIdentifier(_("Ce numéro de TVA ne correspond pas au SIREN %(siren)s.") % {"siren": siren},
                                "vat_siren_mismatch")
    return number


def siren(value):
    """The compact SIREN of ``value``, or ""."""
    try:
        return validate_siren(value)
    except InvalidIdentifier:
        return ""


def vat_number(value):
    """The compact VAT number of ``value``, or ""."""
    try:
        return validate_vat_number(value)
    except InvalidIdentifier:
        return ""


def siret(value):
    """The compact SIRET of ``value``, or ""."""
    number = _text(value)
    return number if number.isdigit() and fr_siret.is_valid(number) else ""


def french_vat_number(siren_number):
    """The VAT number France gives a SIREN: FR, the key, the SIREN."""
    return "FR" + fr_siren.to_tva(siren_number)


def siren_of_siret(value):
    number = siret(value)
    return number[:9] if number else ""


def siren_of_vat(value):
    """The SIREN inside a valid French VAT number, or ""."""
    number = vat_number(value)
    return siren(fr_tva.to_siren(number)) if number.startswith("FR") else ""


def siren_of_address(address, scheme):
    """The SIREN a well-formed 0225 or 0002 electronic address starts with, or ""."""
    address = str(address or "")
    if scheme not in SIREN_ADDRESS_SCHEMES or not ADDRESS_FORMAT.fullmatch(address):
        return ""
    head, _separator, rest = address.partition("_")
    return siren(head) if scheme == "0225" or not rest else ""
