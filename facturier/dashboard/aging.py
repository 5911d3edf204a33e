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

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from facturier.dashboard.links import optional_url
from facturier.dashboard.scope import (
    MONEY,
    cents,
    counted_invoices,
    is_open,
    open_amount,
)
from facturier.invoices.models import Direction


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    first_day: int | None  # days from today, inclusive; None: no lower bound
    last_day: int | None  # inclusive; None: no upper bound

    def holds(self, days):
        return (self.first_day is None or days >= self.first_day) and (self.last_day is None or days <= self.last_day)

    def dates(self, today):
        def shift(days):
            return None if days is None else today + datetime.timedelta(days=days)

        return shift(self.first_day), shift(self.last_day)

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
KEYS = [bucket.key for bucket in BUCKETS]
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
    """The purchase and sales schedules of ``dossier``, from one aggregate query.

    The database sums open amounts per direction and due date (a few hundred
    rows even for a large dossier, read in index order); the buckets are then
    a matter of date arithmetic here.
    """
    figures = {(direction, key): [0, 0] for direction in LIST_URLS for key in ("total", "undated", *KEYS)}
    rows = (
        counted_invoices(dossier).filter(is_open(), direction__in=list(LIST_URLS))
        .values_list("direction", "due_date")
        .annotate(count=Count("*"), amount=Sum(open_amount(), output_field=MONEY))
        .order_by()
    )
    for direction, due_date, count, amount in rows:
        key = "undated" if due_date is None else bucket_for((due_date - today).days).key
        for cell in (figures[direction, key], figures[direction, "total"]):
            cell[0] += count
            cell[1] += amount
    return {direction: _schedule(dossier, direction, figures, today) for direction in LIST_URLS}


def bucket_for(days):
    """The bucket of an invoice due in ``days`` days (negative: overdue)."""
    return next(bucket for bucket in BUCKETS if bucket.holds(days))


def _schedule(dossier, direction, figures, today):
    def cell(key, label, query):
        url = optional_url(LIST_URLS[direction], dossier.pk, query=query) if query else None
        count, amount = figures[direction, key]
        return Cell(label, count, cents(amount), url)

    return Schedule(
        direction=direction,
        total=cell("total", _("Total"), {"open": 1}),
        buckets=[cell(bucket.key, bucket.label, bucket.query(today)) for bucket in BUCKETS],
        undated=cell("undated", _("Sans échéance"), None),
    )
