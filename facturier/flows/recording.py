"""Writing flows: each one numbered in its dossier's commit order and announced with ``flow_changed``.

    flow = create_flow(dossier, direction="Out", syntax="CII", name="F-1.xml", ...)   # inside a transaction
    acknowledge(flow, AckStatus.ERROR, [detail("BR-FR-12", "InvalidSchema", "...")])

Both send ``flow_changed`` inside the caller's transaction (see ``signals``).
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from facturier.flows.models import AckStatus, Flow, FlowSequence
from facturier.flows.signals import flow_changed


def create_flow(dossier, **fields):
    """Save a new flow of ``dossier`` with the next sequence number and announce it.

    The dossier's sequence row stays locked until the surrounding transaction
    commits, so sequences are handed out in commit order: call this last in the
    transaction that makes what the flow stands for.
    """
    with transaction.atomic():
        flow = Flow(dossier=dossier, sequence=_next_sequence(dossier), **fields)
        flow.updated_at = flow.submitted_at
        flow.save()
        flow_changed.send(sender=Flow, flow=flow)
    return flow


def acknowledge(flow, status, details=()):
    """Settle a pending flow as Ok or Error; False when another request settled it first."""
    now = timezone.now()
    details = list(details)
    with transaction.atomic():
        settled = Flow.objects.filter(pk=flow.pk, ack_status=AckStatus.PENDING).update(
            ack_status=status, ack_details=details, updated_at=now)
        if not settled:
            return False
        flow.ack_status, flow.ack_details, flow.updated_at = status, details, now
        flow_changed.send(sender=Flow, flow=flow)
    return True


def detail(item, reason_code, message, *, level="Error"):
    """One acknowledgement detail as the specification shapes it."""
    return {"level": level, "item": str(item)[:255], "reasonCode": reason_code, "reasonMessage": str(message)}


def _next_sequence(dossier):
    FlowSequence.objects.get_or_create(dossier=dossier)
    FlowSequence.objects.filter(dossier=dossier).update(last_value=F("last_value") + 1)
    return FlowSequence.objects.select_for_update().values_list("last_value", flat=True).get(dossier=dossier)
