"""What the dossier bought and sold over the last twelve months.

The window is the current month (in the dossier's time zone, Europe/Paris)
and the eleven before it, by issue date; amounts are excluding VAT, credit
notes negative. The monthly chart and both top fives come from one pass over
the window: the database sums per direction, month and third party (a few
thousand rows at most), the rest is folding those sums here.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import CharField, Count, F, Func, Sum

from facturier.dashboard.scope import MONEY, cents, counted_invoices, signed
from facturier.invoices.models import Direction, ThirdParty

MONTHS = 12
TOP_SIZE = 5
DIRECTIONS = (Direction.PURCHASE, Direction.SALES)


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


class YearMonth(Func):
    """'YYYY-MM' of a date column: a plain SQL expression where TruncMonth costs
    SQLite a Python function call per row."""

    template = "to_char(%(expressions)s, 'YYYY-MM')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="substr(%(expressions)s, 1, 7)", **extra)


@dataclass(frozen=True)
class MonthTotals:
    month: datetime.date
    purchases: object  # Decimal
    sales: object


@dataclass(frozen=True)
class PartyTotal:
    third_party_id: int
    name: str
    total: object  # Decimal, excluding VAT
    count: int


@dataclass(frozen=True)
class Activity:
    monthly: list  # MonthTotals, oldest first, months without invoices at zero
    top: dict  # direction -> PartyTotals, biggest first


def activity(dossier, window, size=TOP_SIZE):
    """Monthly totals and top parties of ``dossier`` over ``window``: two queries."""
    rows = (
        counted_invoices(dossier)
        .filter(issue_date__gte=window.start, issue_date__lt=window.end, direction__in=DIRECTIONS)
        .annotate(month=YearMonth("issue_date"))
        .values_list("direction", "month", "third_party_id")
        .annotate(total=Sum(signed(F("total_excl_vat")), output_field=MONEY), count=Count("*"))
        .order_by()
    )
    months = {month: dict.fromkeys(DIRECTIONS, 0) for month in window.months}
    parties = {direction: defaultdict(lambda: [0, 0]) for direction in DIRECTIONS}
    for direction, month, party, total, count in rows:
        year, number = month.split("-")
        months[datetime.date(int(year), int(number), 1)][direction] += total
        if party is not None:
            parties[direction][party][0] += total
            parties[direction][party][1] += count
    monthly = [MonthTotals(month, cents(sums[Direction.PURCHASE]), cents(sums[Direction.SALES]))
               for month, sums in months.items()]
    return Activity(monthly, _top(dossier, parties, size))


def _top(dossier, parties, size):
    """The ``size`` biggest parties per direction; ties by invoice count, then name.

    Only the candidates (the first ``size`` and whoever ties with the last of
    them) need a name, fetched in one query.
    """
    candidates = {}
    for direction, totals in parties.items():
        ranked = sorted(totals.items(), key=lambda item: (-item[1][0], -item[1][1]))
        if len(ranked) > size:
            cut = ranked[size - 1][1]
            ranked = ranked[:size] + [item for item in ranked[size:] if item[1] == cut]
        candidates[direction] = ranked
    ids = {party for ranked in candidates.values() for party, _sums in ranked}
    names = dict(ThirdParty.objects.filter(dossier=dossier, pk__in=ids).values_list("pk", "name")) if ids else {}
    return {
        direction: sorted(
            (PartyTotal(party, names.get(party, ""), cents(total), count) for party, (total, count) in ranked),
            key=lambda row: (-row.total, -row.count, row.name),
        )[:size]
        for direction, ranked in candidates.items()
    }
