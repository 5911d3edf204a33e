import datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from facturier.dashboard.activity import MonthTotals, Window
from facturier.dashboard.chart import monthly_chart, nice_step, value_range

WINDOW = Window.ending(datetime.date(2026, 11, 28))


def totals(purchases=(), sales=()):
    purchases = dict(purchases)
    sales = dict(sales)
    return [MonthTotals(month, Decimal(purchases.get(n, 0)), Decimal(sales.get(n, 0)))
            for n, month in enumerate(WINDOW.months)]


@pytest.mark.parametrize(("span", "step"), [(4, 1), (10, 2.5), (37, 10), (1000, 250), (1234.5, 500), (0.4, 0.1)])
def test_nice_steps(span, step):
    assert nice_step(span) == pytest.approx(step)


def test_value_range_encloses_zero_and_every_value():
    assert value_range([0, 120, 380]) == (0, 400, 100)
    assert value_range([-90, 300]) == (-100, 300, 100)
    assert value_range([0, 0]) == (0.0, 1.0, 1.0)


def test_bars_are_proportional_and_titled():
    chart = monthly_chart(totals(purchases={0: "100"}, sales={0: "400", 11: "200"}))
    bars = {(bar.series, n // 2): bar for n, bar in enumerate(chart.bars)}
    assert len(chart.bars) == 24
    assert bars["sales", 0].height == pytest.approx(2 * bars["sales", 11].height, abs=0.2)
    assert bars["sales", 0].height == pytest.approx(4 * bars["purchases", 0].height, abs=0.2)
    assert bars["purchases", 5].height == 0
    assert bars["sales", 0].y + bars["sales", 0].height == pytest.approx(chart.zero_y)
    with translation.override("fr"):
        chart = monthly_chart(totals(sales={0: "1234.5"}))
    assert chart.bars[1].title == "décembre 2025 — Ventes : 1\u202f234,50\u00a0€ HT"


def test_negative_months_hang_below_zero():
    chart = monthly_chart(totals(purchases={3: "-50"}, sales={3: "150"}))
    refund = chart.bars[6]
    assert refund.y == pytest.approx(chart.zero_y) and refund.height > 0
    assert chart.ticks[0].label.startswith("-50") and chart.ticks[-1].label.startswith("150")


def test_french_month_labels():
    with translation.override("fr"):
        labels = [month.label for month in monthly_chart(totals()).months]
    assert labels == ["déc.", "jan.", "fév.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
                      "nov."]


def test_svg_is_accessible_and_unlocalised_numbers():
    with translation.override("fr"):
        svg = render_to_string("dashboard/_chart.html", {
            "chart": monthly_chart(totals(sales={2: "333.33"})), "window": WINDOW,
        })
    assert 'role="img"' in svg and '<title id="monthly-title">' in svg and "<desc" in svg
    assert "de décembre 2025 à novembre 2026" in svg
    assert "Montant HT (€)" in svg and ">Mois<" in svg
    assert "<title>février 2026 — Ventes : 333,33\u00a0€ HT</title>" in svg
    # Coordinates stay dotted decimals whatever the language.
    assert not any("," in value for value in __import__("re").findall(r'(?:x|y|height)="([^"]*)"', svg))
