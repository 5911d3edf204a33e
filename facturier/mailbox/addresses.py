"""Which dossier an address belongs to, and which senders it listens to.

    mailbox = mailbox_for(dossier)      # created with a random code on first use
    address_of(mailbox)                 # "k7m2p9xq4r@factures.example.fr"
    find_mailbox("K7M2P9XQ4R@factures.example.fr")   # the mailbox, or None
    regenerate(mailbox, expected_code)  # a new code; the old address stops working
"""

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from facturier.mailbox.models import Mailbox

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or copied by hand without error
CODE_LENGTH = 10


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def mailbox_for(dossier):
    """The dossier's mailbox, created on first use (two first uses at once create one)."""
    mailbox = Mailbox.objects.filter(dossier=dossier).first()
    if mailbox is not None:
        return mailbox
    try:
        with transaction.atomic():
            return Mailbox.objects.create(dossier=dossier, code=new_code())
    except IntegrityError:
        return Mailbox.objects.get(dossier=dossier)


def address_of(mailbox):
    return f"{mailbox.code}@{settings.MAILBOX_DOMAIN}"


def find_mailbox(address):
    """The mailbox an envelope recipient names, or None (another domain, an unknown or replaced code)."""
    local, _, domain = (address or "").strip().strip("<>").rpartition("@")
    if domain.lower() != settings.MAILBOX_DOMAIN or not local:
        return None
    return Mailbox.objects.select_related("dossier").filter(code=local.lower()).first()


def regenerate(mailbox, expected_code):
    """Give the mailbox a new code if it still has ``expected_code``; True when this call changed it.

    The form carries the code the person saw, so a double click or a second tab
    changes the address once, and the second request finds it already replaced.
    """
    changed = Mailbox.objects.filter(pk=mailbox.pk, code=expected_code).update(
        code=new_code(), code_changed_at=timezone.now())
    mailbox.refresh_from_db()
    return bool(changed)


def parse_rules(text):
    """The lines of an allow or deny list, lower case, without blanks or a leading "@"."""
    return [line.strip().lower().lstrip("@") for line in (text or "").splitlines() if line.strip()]


def matches(address, rules):
    """Whether ``address`` is one of ``rules``: the address itself, its domain or a parent domain."""
    address = (address or "").lower()
    domain = address.rpartition("@")[2]
    return any(address == rule or domain == rule or domain.endswith("." + rule) for rule in rules)


def sender_allowed(mailbox, addresses):
    """Whether a message from ``addresses`` (envelope sender, From) may reach the mailbox.

    Any of them on the deny list refuses it; with an allow list, one of them must be on it.
    """
    addresses = [address for address in addresses if address]
    if any(matches(address, parse_rules(mailbox.denied_senders)) for address in addresses):
        return False
    allowed = parse_rules(mailbox.allowed_senders)
    return not allowed or any(matches(address, allowed) for address in addresses)
