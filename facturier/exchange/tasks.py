"""Background work of the exchange, through the Django tasks framework.

A task whose worker died runs again (facturier.web.workers): the first delivery of an
invoice or a status is left alone once it has begun, because from then on its row
belongs to ``retry_due`` (a failure, or a pending send a crash cut short); running
it again would send the buyer a second copy. A task racing the sweep
(``deliveries sweep``) for the same invoice or status loses or wins on the
row's unique constraint: one of them delivers.
"""

from django_tasks import task

from facturier.exchange import delivery as service
from facturier.exchange.models import Delivery
from facturier.invoices.models import Invoice, LifecycleEvent


@task()
def deliver_invoice(invoice_id):
    if Delivery.objects.filter(invoice_id=invoice_id, kind=Delivery.Kind.INVOICE).exists():
        return
    service.deliver(Invoice.objects.select_related("dossier", "third_party", "original").get(pk=invoice_id),
                    initial=True)


@task()
def carry_lifecycle_event(event_id):
    if Delivery.objects.filter(event_id=event_id).exists():
        return
    service.carry_event(LifecycleEvent.objects.select_related("invoice", "message").get(pk=event_id))


@task()
def retry_delivery(delivery_id):
    delivery = Delivery.objects.select_related("invoice", "event").get(pk=delivery_id)
    if delivery.state == Delivery.State.FAILED or (delivery.state == Delivery.State.PENDING
                                                   and delivery.next_attempt_at is not None):
        service.attempt(delivery)


@task()
def retry_due_deliveries():
    return len(service.retry_due())
