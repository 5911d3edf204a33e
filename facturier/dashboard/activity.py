"""What the dossier bought and sold over the last twelve months.

The window is the current month (in the dossier's time zone, Europe/Paris)
and the eleven before it, by issue date; amounts are excluding VAT, credit
notes negative.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth

from facturier.dashboard.scope import MONEY, cents, counted_invoices, signed
from facturier.invoices.models import Direction

MONTHS = 12
TOP_SIZE = 5


def add_months(month, count):
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Window:
    """Twelve calendar months ending with the month of ``today``; ``end`` excluded."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def ending(cls, today):
        this_month = today.replace(day=1)
        return cls(add_months(this_month, 1 - MONTHS), add_months(this_month, 1))

    @property
    def last_month(self):
        return add_months(self.end, -1)

    @property
    def months(self):
        return [add_months(self.start, n) for n in range(MONTHS)]


@dataclass(frozen=True)
class MonthTotals:
    month: datetime.date
    purchases: object  # Decimal
    sales: object


def _in_window(dossier, window):
    return counted_invoices(dossier).filter(issue_date__gte=window.start, issue_date__lt=window.end)


def monthly_totals(dossier, window):
    """Twelve MonthTotals, oldest first, months without invoices at zero; one query."""
    excl_vat = signed(F("total_excl_vat"))
    rows = (
        _in_window(dossier, window)
        .filter(direction__in=[Direction.PURCHASE, Direction.SALES])
        .annotate(month=TruncMonth("issue_date"))
        .values("month")
        .annotate(
            purchases=Sum(excl_vat, filter=Q(direction=Direction.PURCHASE), output_field=MONEY, default=0),
            sales=Sum(excl_vat, filter=Q(direction=Direction.SALES), output_field=MONEY, default=0),
        )
        .order_by()
    )
    found = {_as_date(row["month"]): row for row in rows}
    return [
        MonthTotals(month, cents(found.get(month, {}).get("purchases")), cents(found.get(month, {}).get("sales")))
        for month in window.months
    ]


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


@dataclass(frozen=True)
class PartyTotal:
    third_party_id: int | None
    name: str
    total: object  # Decimal, excluding VAT
    count: int


def top_parties(dossier, direction, window, size=TOP_SIZE):
    """The biggest customers (sales) or suppliers (purchases) over the window; one query.

    Invoices linked to a third party count for it; the others for the name the
    invoice gives. Ties go to the party with more invoices, then by name.
    """
    counterpart = "buyer_name" if direction == Direction.SALES else "seller_name"
    rows = (
        _in_window(dossier, window)
        .filter(direction=direction)
        .values("third_party_id", party=Coalesce(F("third_party__name"), F(counterpart)))
        .annotate(total=Sum(signed(F("total_excl_vat")), output_field=MONEY), count=Count("pk"))
        .order_by("-total", "-count", "party")[:size]
    )
    return [PartyTotal(row["third_party_id"], row["party"], cents(row["total"]), row["count"]) for row in rows]
