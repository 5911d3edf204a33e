"""Background work of the webhooks, through the Django tasks framework.

Both tasks may run again after a worker died (facturier.web.workers): ``send``
claims a row only if it is due or its lease ran out, so a rerun never doubles a
callback that is in flight.
"""

from django_tasks import task

from facturier.webhooks import outbox


@task()
def send_delivery(delivery_id):
    outbox.send(delivery_id)


@task()
def send_due_deliveries():
    return len(outbox.send_due())
