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

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from facturier.invoices.models import Direction, Invoice, InvoiceState
from facturier.invoices.worklists import open_blocking_anomaly, to_send_condition

COUNTERS = ("to_send", "awaiting_integration", "action_required")


def awaiting_integration_condition():
    return Q(integrated_at__isnull=True) & (
        Q(direction=Direction.PURCHASE, approved_at__isnull=False)
        | Q(direction=Direction.SALES, state=InvoiceState.ISSUED)
    )


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


def counter_links(dossier_id):
    """The list behind each counter of a dossier: the sales to send, the invoices awaiting integration
    (the accounting page), the purchases (or, from there, sales) awaiting action."""
    return {
        "to_send": reverse("invoices:sales", args=[dossier_id]) + "?a_envoyer=on",
        "awaiting_integration": reverse("ledger:pending", args=[dossier_id]),
        "action_required": reverse("invoices:purchases", args=[dossier_id]) + "?action=on",
    }


def with_counters(dossiers):
    """``dossiers`` annotated with ``to_send``, ``awaiting_integration`` and ``action_required``."""
    return dossiers.annotate(
        to_send=_count(to_send_condition()),
        awaiting_integration=_count(awaiting_integration_condition()),
        action_required=_action_required(),
    )
