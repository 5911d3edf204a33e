"""How many invoices a dossier issued and received, per month, and the firm's free invoices.

Computed from the invoices themselves by one aggregate query rather than kept
in ``MonthlyUsage``: a counter maintained on every creation can drift (a failed
transaction, a row created by another path, a deletion), the aggregate cannot,
and over the dossier's index it stays cheap for a page that is seldom opened.
A month is the month the invoice entered the platform (``created_at``, in the
platform's time zone); drafts do not count.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from facturier.invoices.models import Direction, Invoice, InvoiceState

FREE_INVOICES = 500  # offered to each firm for its own dossier (seed: "500 premières factures offertes")


@dataclass(frozen=True)
class MonthUsage:
    month: object  # first day of the month
    issued: int
    received: int

    @property
    def total(self):
        return self.issued + self.received


def counted_invoices(dossier):
    return Invoice.objects.filter(dossier=dossier).exclude(state=InvoiceState.DRAFT)


def monthly_usage(dossier):
    """The dossier's months with invoices, newest first."""
    rows = (
        counted_invoices(dossier)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(issued=Count("pk", filter=Q(direction=Direction.SALES)),
                  received=Count("pk", filter=Q(direction=Direction.PURCHASE)))
        .order_by("-month")
    )
    return [MonthUsage(_as_date(row["month"]), row["issued"], row["received"]) for row in rows]


def free_invoices_used(dossier):
    """How many of the firm's free invoices its own dossier used (at most the allowance)."""
    return min(counted_invoices(dossier).count(), FREE_INVOICES)


def _as_date(value):
    return value.date() if hasattr(value, "date") else value
