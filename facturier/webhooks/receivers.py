"""The webhooks listen to the flows app: each new or updated flow owes its subscribers a callback."""

from django.dispatch import receiver

from facturier.flows.signals import flow_changed
from facturier.webhooks import outbox


@receiver(flow_changed, dispatch_uid="webhooks.record_deliveries")
def record_deliveries(sender, flow, **kwargs):
    outbox.record(flow)
