"""Background work of the webhooks, through the Django tasks framework.

``send_deliveries`` sends what one flow event owes (queued once per event, after
its commit); ``send_delivery`` is a retry or a check at a lease's end. Each may run
again after a worker died (facturier.web.workers): ``outbox.send`` claims a row
only if it is due or its lease ran out, so a rerun never doubles a callback in flight.
"""

from django_tasks import task

from facturier.webhooks import outbox


@task()
def send_deliveries(delivery_ids):
    """The callbacks one flow event owes, in turn."""
    for delivery_id in delivery_ids:
        outbox.send(delivery_id)


@task()
def send_delivery(delivery_id):
    outbox.send(delivery_id)


@task()
def send_due_deliveries():
    return len(outbox.send_due())
