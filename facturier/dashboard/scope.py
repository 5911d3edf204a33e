"""Which invoice rows the dossier home counts, and how each one is signed.

Drafts are not invoices yet; an invoice refused (210), rejected (213),
cancelled (220) or inadmissible (501) is owed by nobody. A credit note counts
against its counterpart: its amounts are stored positive, as the document
states them, and are negated here.
"""

from decimal import Decimal

from django.db.models import Case, DecimalField, F, Q, Value, When

from facturier.invoices.models import Invoice, InvoiceState

MONEY = DecimalField(max_digits=19, decimal_places=2)
VOID_STATUSES = (210, 213, 220, 501)  # refused, rejected, cancelled, inadmissible


def counted_invoices(dossier):
    return Invoice.objects.filter(dossier=dossier).exclude(state=InvoiceState.DRAFT).exclude(
        lifecycle_status__in=VOID_STATUSES
    )


def signed(expression):
    """``expression`` as it weighs in a total: negative for a credit note."""
    return Case(
        When(is_credit_note=True, then=expression * Value(-1)),
        default=expression,
        output_field=MONEY,
    )


def open_amount():
    return signed(F("amount_due") - F("amount_paid"))


def is_open():
    """Not fully paid: something is still due (or still to be refunded, for a credit note)."""
    return Q(amount_due__gt=F("amount_paid"))


def cents(value):
    """A database sum as money: SQLite may hand back 120 for 120.00."""
    return Decimal(value or 0).quantize(Decimal("0.01"))
