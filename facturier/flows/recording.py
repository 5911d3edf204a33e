"""Writing flows: each one numbered in its dossier's commit order and announced with ``flow_changed``.

    flow = create_flow(dossier, direction="Out", syntax="CII", name="F-1.xml", ack_status="Ok", ...)

A flow is written already acknowledged (Ok or Error): the platform takes a file
in, or refuses it, in the request that brings it, so no flow waits "Pending".
``flow_changed`` is sent inside the caller's transaction (see ``signals``).
"""

from django.db import transaction
from django.db.models import F

from facturier.flows.models import Flow, FlowSequence
from facturier.flows.signals import flow_changed


def create_flow(dossier, **fields):
    """Save a new flow of ``dossier`` with the next sequence number and announce it.

    The dossier's sequence row stays locked until the surrounding transaction
    commits, so sequences are handed out in commit order: call this last in the
    transaction that makes what the flow stands for.
    """
    with transaction.atomic(savepoint=False):
        flow = Flow(dossier=dossier, sequence=_next_sequence(dossier), **fields)
        flow.updated_at = flow.submitted_at
        flow.save()
        flow_changed.send(sender=Flow, flow=flow)
    return flow


def detail(item, reason_code, message, *, level="Error"):
    """One acknowledgement detail as the specification shapes it."""
    return {"level": level, "item": str(item)[:255], "reasonCode": reason_code, "reasonMessage": str(message)}


def _next_sequence(dossier):
    """The dossier's next sequence; the UPDATE keeps its row locked until the transaction ends."""
    sequence = FlowSequence.objects.filter(dossier=dossier)
    if not sequence.update(last_value=F("last_value") + 1):  # the dossier's first flow
        FlowSequence.objects.get_or_create(dossier=dossier)
        sequence.update(last_value=F("last_value") + 1)
    return sequence.values_list("last_value", flat=True).get()
