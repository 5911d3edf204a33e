"""The monthly bar chart of the dossier home, drawn as SVG on the server.

A grouped bar chart: for each month a purchases bar and a sales bar, a value
axis with round ticks (0 always among them, negative months when credit notes
outweigh invoices), French month names under the bars. The template renders
the geometry computed here; the page needs no script and no outside asset.
"""

import math
from dataclasses import dataclass

from django.utils import dateformat
from django.utils.translation import gettext as _

from facturier.formats import money

WIDTH, HEIGHT = 720, 290
LEFT, RIGHT, TOP, BOTTOM = 96, 12, 34, 56
BAR_WIDTH, BAR_GAP = 16, 3
TICKS = 4
SERIES = ("purchases", "sales")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: str
    title: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class MonthLabel:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    zero_y: float
    ticks: list
    months: list
    bars: list
    empty: bool

    @property
    def plot_middle(self):
        return (self.plot_top + self.plot_bottom) / 2


def nice_step(span):
    """The round step (1, 2, 2.5 or 5 × 10ⁿ) splitting ``span`` into at most TICKS intervals."""
    raw = span / TICKS
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def value_range(values):
    """Axis bounds and step: multiples of a round step enclosing every value and zero."""
    high, low = max([0.0, *values]), min([0.0, *values])
    if high == low:
        return 0.0, 1.0, 1.0
    step = nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def monthly_chart(totals):
    """The Chart of a list of MonthTotals (oldest first)."""
    values = [float(getattr(row, name)) for row in totals for name in SERIES]
    bottom, top, step = value_range(values)
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / len(totals)

    def y_of(value):
        return TOP + (top - value) / (top - bottom) * plot_height

    names = {"purchases": _("Achats"), "sales": _("Ventes")}
    bars, months = [], []
    for index, row in enumerate(totals):
        centre = LEFT + slot * (index + 0.5)
        months.append(MonthLabel(round(centre, 1), dateformat.format(row.month, "N")))
        for offset, name in zip((-1, 1), SERIES, strict=True):
            value = getattr(row, name)
            edge = y_of(float(value))
            bars.append(Bar(
                x=round(centre + (BAR_GAP / 2 if offset > 0 else -BAR_GAP / 2 - BAR_WIDTH), 1),
                y=round(min(edge, y_of(0)), 1),
                width=BAR_WIDTH,
                height=round(abs(y_of(0) - edge), 1),
                series=name,
                title=_("%(month)s — %(series)s : %(amount)s HT") % {
                    "month": dateformat.format(row.month, "F Y"), "series": names[name], "amount": money(value),
                },
            ))
    count = round((top - bottom) / step)
    ticks = [Tick(round(y_of(bottom + n * step), 1), money(bottom + n * step, whole=True)) for n in range(count + 1)]
    return Chart(
        width=WIDTH, height=HEIGHT, plot_left=LEFT, plot_right=WIDTH - RIGHT, plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM, zero_y=round(y_of(0), 1), ticks=ticks, months=months, bars=bars,
        empty=not any(values),
    )
