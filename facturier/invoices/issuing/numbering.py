"""Sales invoice numbers: one continuous sequence per dossier and year.

French law wants invoice numbers chronological and without gaps. The number
is taken inside the issuing transaction, with the dossier's sequence row
locked (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's IMMEDIATE
transactions serialise writers), so two people issuing at the same moment
wait for each other and a failed issue rolls its number back with it.
"""

from django.db import IntegrityError, transaction

from facturier.invoices.models import NumberSequence

DIGITS = 5


def next_number(dossier, year):
    """Allocate the next number of ``dossier`` for ``year``; call inside the issuing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("An invoice number is allocated inside the transaction that issues the invoice.")
    sequence = _locked_sequence(dossier, year)
    sequence.last_value += 1
    # The company's prefix (its "Société" page) as it is today: the counter runs on unchanged.
    sequence.prefix = dossier.invoice_prefix or sequence.prefix
    sequence.save(update_fields=["last_value", "prefix"])
    return format_number(sequence.prefix, year, sequence.last_value)


def format_number(prefix, year, value):
    return f"{prefix}{year}-{value:0{DIGITS}d}"


def _locked_sequence(dossier, year):
    try:
        return NumberSequence.objects.select_for_update().get(dossier=dossier, year=year)
    except NumberSequence.DoesNotExist:
        pass
    try:
        # A savepoint: losing the race to create the row must not break the outer transaction.
        with transaction.atomic():
            NumberSequence.objects.create(dossier=dossier, year=year)
    except IntegrityError:
        pass
    return NumberSequence.objects.select_for_update().get(dossier=dossier, year=year)
