"""Which invoices wait for someone: the conditions behind the firm's work counters and the invoice
lists they link to ("À envoyer", "Action attendue"), written once so a counter and its list agree.

- ``to_send``: issued sales invoices whose delivery is pending or failed.
- ``action_required``: invoices waiting for a decision or holding an open blocking anomaly.
"""

from django.db.models import Exists, OuterRef, Q

from facturier.invoices.models import Anomaly, DeliveryState, Direction, InvoiceState


def to_send_condition():
    return Q(direction=Direction.SALES, state=InvoiceState.ISSUED,
             delivery_state__in=[DeliveryState.PENDING, DeliveryState.FAILED])


def open_blocking_anomaly():
    """``Exists`` of an open blocking anomaly on the invoice of the enclosing query."""
    return Exists(Anomaly.objects.filter(invoice=OuterRef("pk"), resolved_at__isnull=True, blocking=True))


def action_required_condition():
    """The condition on one invoice (what ``action_required`` counts, for callers filtering invoices)."""
    return Q(needs_decision=True) | open_blocking_anomaly()
