"""Booking an invoice as soon as it becomes eligible (approved purchase, issued sale).

Any save of an invoice that is eligible, not yet integrated and without an entry
books it once the transaction commits, whichever code approved or issued it. A
booking that fails (an unreadable original) is logged and leaves the invoice on
"Attente intégration", where the next export books it again or shows why not.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from facturier.invoices.models import Invoice
from facturier.ledger.booking import BookingError, book, is_eligible
from facturier.ledger.models import Entry

logger = logging.getLogger(__name__)


@receiver(post_save, sender=Invoice, dispatch_uid="ledger.book_eligible_invoice")
def book_eligible_invoice(sender, instance, raw=False, **kwargs):
    if raw or instance.integrated_at is not None or not is_eligible(instance):
        return
    # robust: whatever goes wrong in booking never fails the save that approved or issued the invoice.
    transaction.on_commit(lambda: _book_if_missing(instance.pk), robust=True)


def _book_if_missing(invoice_id):
    if Entry.objects.filter(invoice_id=invoice_id).exists():
        return
    invoice = Invoice.objects.select_related("dossier", "third_party", "original").filter(pk=invoice_id).first()
    if invoice is None or not is_eligible(invoice):
        return
    try:
        book(invoice)
    except BookingError:
        logger.warning("Invoice %s could not be booked", invoice_id, exc_info=True)
