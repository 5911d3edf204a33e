"""Background work of the exchange, through the Django tasks framework."""

from django_tasks import task

from facturier.exchange import delivery as service
from facturier.exchange.models import Delivery
from facturier.invoices.models import Invoice, LifecycleEvent


@task()
def deliver_invoice(invoice_id):
    service.deliver(Invoice.objects.select_related("dossier", "third_party", "original").get(pk=invoice_id))


@task()
def carry_lifecycle_event(event_id):
    service.carry_event(LifecycleEvent.objects.select_related("invoice", "message").get(pk=event_id))


@task()
def retry_delivery(delivery_id):
    delivery = Delivery.objects.select_related("invoice", "event").get(pk=delivery_id)
    if delivery.state == Delivery.State.FAILED:
        service.attempt(delivery)


@task()
def retry_due_deliveries():
    return len(service.retry_due())
