"""The three work counters of the client list and the staff dashboard.

- ``to_send`` ("À envoyer"): issued sales invoices whose delivery is pending or failed.
- ``awaiting_integration`` ("Attente intégration"): approved purchase invoices and
  issued sales invoices not yet exported to accounting.
- ``action_required`` ("Action attendue"): invoices waiting for a decision or
  holding an open blocking anomaly.

Each counter is a correlated ``Subquery`` count over the dossier's invoices, so
the list stays one query per page (no query per row) and can still sort on a
counter. Each subquery is a range scan of an index of ``Invoice`` that starts
with the dossier (see ``bench/client_list_counters.py`` for the figures).
"""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from facturier.invoices.models import Anomaly, DeliveryState, Direction, Invoice, InvoiceState

COUNTERS = ("to_send", "awaiting_integration", "action_required")


def to_send_condition():
    return Q(direction=Direction.SALES, state=InvoiceState.ISSUED,
             delivery_state__in=[DeliveryState.PENDING, DeliveryState.FAILED])


def awaiting_integration_condition():
    return Q(integrated_at__isnull=True) & (
        Q(direction=Direction.PURCHASE, approved_at__isnull=False)
        | Q(direction=Direction.SALES, state=InvoiceState.ISSUED)
    )


def open_blocking_anomaly():
    """``Exists`` of an open blocking anomaly on the invoice of the enclosing query."""
    return Exists(Anomaly.objects.filter(invoice=OuterRef("pk"), resolved_at__isnull=True, blocking=True))


def action_required_condition():
    """The condition on one invoice (what ``action_required`` counts, for callers filtering invoices)."""
    return Q(needs_decision=True) | open_blocking_anomaly()


def _count(condition):
    """The number of the outer dossier's invoices meeting ``condition``, 0 when none."""
    counted = (
        Invoice.objects.filter(condition, dossier=OuterRef("pk"))
        .order_by().values("dossier").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _action_required():
    """Invoices waiting for a decision, plus the others holding an open blocking anomaly.

    Two counts, each walking the dossier's invoices through an index and, for
    the second, probing the anomaly index per invoice: a single ``OR`` with
    ``EXISTS``, or a join from the anomalies, lets PostgreSQL scan every open
    anomaly of the platform once per dossier.
    """
    return _count(Q(needs_decision=True)) + _count(Q(needs_decision=False) & open_blocking_anomaly())


def with_counters(dossiers):
    """``dossiers`` annotated with ``to_send``, ``awaiting_integration`` and ``action_required``."""
    return dossiers.annotate(
        to_send=_count(to_send_condition()),
        awaiting_integration=_count(awaiting_integration_condition()),
        action_required=_action_required(),
    )
