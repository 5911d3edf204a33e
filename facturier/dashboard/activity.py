"""What the dossier bought and sold over the last twelve months.

The window is the current month (in the dossier's time zone, Europe/Paris)
and the eleven before it, by issue date; amounts are excluding VAT, credit
notes negative.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Sum

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
    """Twelve MonthTotals, oldest first, months without invoices at zero; one query.

    The database sums per direction and issue date, walking its
    (dossier, direction, issue date) index; days fold into months here, which
    spares SQLite a date-truncating function call per row.
    """
    rows = (
        _in_window(dossier, window)
        .filter(direction__in=[Direction.PURCHASE, Direction.SALES])
        .values_list("direction", "issue_date")
        .annotate(total=Sum(signed(F("total_excl_vat")), output_field=MONEY))
        .order_by()
    )
    months = {month: {Direction.PURCHASE: 0, Direction.SALES: 0} for month in window.months}
    for direction, issue_date, total in rows:
        months[issue_date.replace(day=1)][direction] += total
    return [
        MonthTotals(month, cents(sums[Direction.PURCHASE]), cents(sums[Direction.SALES]))
        for month, sums in months.items()
    ]


@dataclass(frozen=True)
class PartyTotal:
    third_party_id: int
    name: str
    total: object  # Decimal, excluding VAT
    count: int


def top_parties(dossier, direction, window, size=TOP_SIZE):
    """The biggest customers (sales) or suppliers (purchases) over the window; one query.

    Counted per third party of the dossier (the customers and suppliers its
    directory holds, which "+ Ajouter" adds to); an invoice not linked to one
    yet waits for its anomaly to be resolved. Ties go to the party with more
    invoices, then by name.
    """
    rows = (
        _in_window(dossier, window)
        .filter(direction=direction, third_party__isnull=False)
        .values("third_party_id", "third_party__name")
        .annotate(total=Sum(signed(F("total_excl_vat")), output_field=MONEY), count=Count("pk"))
        .order_by("-total", "-count", "third_party__name")[:size]
    )
    return [
        PartyTotal(row["third_party_id"], row["third_party__name"], cents(row["total"]), row["count"])
        for row in rows
    ]
