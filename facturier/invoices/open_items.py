"""Which invoices are still owed: one rule for the aging schedules and the invoice lists.

Drafts are not invoices yet; an invoice refused (210), rejected (213),
cancelled (220) or inadmissible (501) is owed by nobody; an invoice is open
while something remains due on it.
"""

from django.db.models import F, Q

from facturier.invoices.models import InvoiceState

VOID_STATUSES = (210, 213, 220, 501)  # refused, rejected, cancelled, inadmissible


def counted(invoices):
    return invoices.exclude(state=InvoiceState.DRAFT).exclude(lifecycle_status__in=VOID_STATUSES)


def is_open():
    """Not fully paid: something is still due (or still to be refunded, for a credit note)."""
    return Q(amount_due__gt=F("amount_paid"))
