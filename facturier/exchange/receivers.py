"""The exchange listens to the invoices app: an issued invoice is delivered, a status carried over."""

from django.dispatch import receiver

from facturier.exchange.tasks import carry_lifecycle_event, deliver_invoice
from facturier.invoices.signals import invoice_issued, lifecycle_event_recorded


@receiver(invoice_issued, dispatch_uid="exchange.deliver_issued_invoice")
def deliver_issued_invoice(sender, invoice, **kwargs):
    deliver_invoice.enqueue(invoice.pk)


@receiver(lifecycle_event_recorded, dispatch_uid="exchange.carry_lifecycle_event")
def carry_recorded_event(sender, event, **kwargs):
    carry_lifecycle_event.enqueue(event.pk)
