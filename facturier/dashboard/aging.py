"""Échéanciers: what is still owed to and by the dossier, by due date.

Buckets count days from today (the dossier's local day, Europe/Paris) to the
due date, both ends inclusive:

    En retard     due date before today            (days ≤ -1)
    0-30 jours    today … today + 30               (0 ≤ days ≤ 30)
    30-60 jours   today + 31 … today + 60
    60-90 jours   today + 61 … today + 90
    + 90 jours    today + 91 and later

An open invoice without a due date is in the total only. The invoice lists
take the same bounds as ``due_from`` / ``due_to`` (ISO dates, inclusive),
``overdue=1`` and ``open=1``.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from facturier.dashboard.links import optional_url
from facturier.dashboard.scope import MONEY, cents, counted_invoices, is_open, open_amount
from facturier.invoices.models import Direction


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    first_day: int | None  # days from today, inclusive; None: no lower bound
    last_day: int | None  # inclusive; None: no upper bound

    def dates(self, today):
        def shift(days):
            return None if days is None else today + datetime.timedelta(days=days)

        return shift(self.first_day), shift(self.last_day)

    def condition(self, today):
        first, last = self.dates(today)
        condition = Q(due_date__isnull=False)
        if first is not None:
            condition &= Q(due_date__gte=first)
        if last is not None:
            condition &= Q(due_date__lte=last)
        return condition

    def query(self, today):
        """The invoice-list filter showing this bucket's invoices."""
        if self.key == "overdue":
            return {"open": 1, "overdue": 1}
        first, last = self.dates(today)
        query = {"open": 1, "due_from": first.isoformat()}
        if last is not None:
            query["due_to"] = last.isoformat()
        return query


BUCKETS = (
    Bucket("overdue", _("En retard"), None, -1),
    Bucket("d30", _("0-30 jours"), 0, 30),
    Bucket("d60", _("30-60 jours"), 31, 60),
    Bucket("d90", _("60-90 jours"), 61, 90),
    Bucket("later", _("+ 90 jours"), 91, None),
)
LIST_URLS = {Direction.PURCHASE: "invoices:purchases", Direction.SALES: "invoices:sales"}


@dataclass(frozen=True)
class Cell:
    label: str
    count: int
    amount: object  # Decimal
    url: str | None


@dataclass(frozen=True)
class Schedule:
    direction: str
    total: Cell
    buckets: list
    undated: Cell


def schedules(dossier, today):
    """The purchase and sales schedules of ``dossier``, from one aggregate query."""
    aggregates = {}
    for direction in LIST_URLS:
        parts = {"total": Q(), "undated": Q(due_date__isnull=True)}
        parts.update({bucket.key: bucket.condition(today) for bucket in BUCKETS})
        for key, condition in parts.items():
            where = Q(direction=direction) & condition
            aggregates[f"{direction}_{key}_n"] = Count("pk", filter=where)
            aggregates[f"{direction}_{key}_sum"] = Sum(open_amount(), filter=where, output_field=MONEY, default=0)
    figures = counted_invoices(dossier).filter(is_open()).aggregate(**aggregates)
    return {direction: _schedule(dossier, direction, figures, today) for direction in LIST_URLS}


def _schedule(dossier, direction, figures, today):
    def cell(key, label, query):
        url = optional_url(LIST_URLS[direction], dossier.pk, query=query) if query else None
        return Cell(label, figures[f"{direction}_{key}_n"], cents(figures[f"{direction}_{key}_sum"]), url)

    return Schedule(
        direction=direction,
        total=cell("total", _("Total"), {"open": 1}),
        buckets=[cell(bucket.key, bucket.label, bucket.query(today)) for bucket in BUCKETS],
        undated=cell("undated", _("Sans échéance"), None),
    )
