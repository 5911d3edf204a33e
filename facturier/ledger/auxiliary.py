"""Auxiliary accounts (comptes auxiliaires): one per supplier under 401, one per customer under 411.

The rule, a per-dossier setting, makes the code when the third party has none:

- ``name``: the prefix (401 or 411 by default) followed by the first 8 letters and
  digits of the name, accents removed, upper case: "Bio Buro SAS" → 401BIOBUROS.
- ``siren``: the prefix followed by the SIREN: 401443061841 (the name rule when
  the third party has no SIREN).

A code already taken by another third party of the dossier gets a number on its
end (401BIOBUROS, 401BIOBUROS2, ...). The code is stored on the third party, so
the firm may change it and it then stays. A third party that is both customer
and supplier keeps one code: its prefix is swapped for the other direction.
"""

import unicodedata

from facturier.invoices.models import Direction, ThirdParty
from facturier.ledger.models import AuxiliaryRule

NAME_LENGTH = 8
MAX_LENGTH = 20


def auxiliary_account(invoice, settings):
    """The ``(code, label)`` of the invoice's third party, made and stored if it has none."""
    prefix, other = _prefixes(invoice.direction, settings)
    party = invoice.third_party
    if party is None:
        name, siren = _counterpart(invoice)
        return _make_code(prefix, name, siren, settings.auxiliary_rule), name
    if not party.auxiliary_account:
        code = _make_code(prefix, party.name, party.siren, settings.auxiliary_rule)
        party.auxiliary_account = _unique(code, party)
        ThirdParty.objects.filter(pk=party.pk).update(auxiliary_account=party.auxiliary_account)
    code = party.auxiliary_account
    if code.startswith(other) and not code.startswith(prefix):
        code = prefix + code[len(other):]
    return code, party.name


def normalised(text):
    """Letters and digits of ``text``, accents removed, upper case."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if char.isascii() and char.isalnum()).upper()


def _make_code(prefix, name, siren, rule):
    if rule == AuxiliaryRule.SIREN and siren:
        return prefix + siren
    key = normalised(name)[:NAME_LENGTH] or (siren or "DIVERS")
    return (prefix + key)[:MAX_LENGTH]


def _unique(code, party):
    taken = set(
        ThirdParty.objects.filter(dossier_id=party.dossier_id, auxiliary_account__startswith=code)
        .exclude(pk=party.pk)
        .values_list("auxiliary_account", flat=True)
    )
    candidate, number = code, 1
    while candidate in taken:
        number += 1
        candidate = code[: MAX_LENGTH - len(str(number))] + str(number)
    return candidate


def _prefixes(direction, settings):
    if direction == Direction.PURCHASE:
        return settings.auxiliary_prefix_supplier, settings.auxiliary_prefix_customer
    return settings.auxiliary_prefix_customer, settings.auxiliary_prefix_supplier


def _counterpart(invoice):
    if invoice.direction == Direction.PURCHASE:
        return invoice.seller_name, invoice.seller_siren
    return invoice.buyer_name, invoice.buyer_siren
