"""Booking an invoice as soon as it becomes eligible: a sale when it is issued, a purchase
when it is approved (a decision, recorded as a lifecycle event).

The invoices app announces both (``invoices.signals``) once the transaction has
committed. A booking that fails (an unreadable original) is logged and leaves the
invoice on "Attente intégration", where the next export books it again or shows why not.
"""

import logging

from django.dispatch import receiver

from facturier.invoices.models import Invoice
from facturier.invoices.signals import invoice_issued, lifecycle_event_recorded
from facturier.ledger.booking import BookingError, book, is_eligible

logger = logging.getLogger(__name__)


@receiver(invoice_issued, dispatch_uid="ledger.book_issued_invoice")
def book_issued_invoice(sender, invoice, original=None, **kwargs):
    # The row the issuing has just committed, its dossier and customer at hand: no need to read it again.
    book_if_missing(invoice, original=original)


@receiver(lifecycle_event_recorded, dispatch_uid="ledger.book_decided_invoice")
def book_decided_invoice(sender, event, **kwargs):
    # The invoice as the event's transaction left it says whether there is anything to book: most statuses
    # (received, made available, refused...) make nothing bookable, and reading the row again would be wasted.
    if event.invoice.integrated_at is not None or not is_eligible(event.invoice):
        return
    invoice = Invoice.objects.select_related("dossier", "third_party", "original").filter(pk=event.invoice_id).first()
    if invoice is not None:
        book_if_missing(invoice)


def book_if_missing(invoice, original=None):
    if invoice.integrated_at is not None or not is_eligible(invoice):
        return
    try:
        book(invoice, original=original, remake=False)
    except BookingError:
        logger.warning("Invoice %s could not be booked", invoice.pk, exc_info=True)
