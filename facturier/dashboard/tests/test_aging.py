import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from facturier.dashboard.aging import BUCKETS, schedules
from facturier.dashboard.tests.factories import make_invoice
from facturier.invoices.models import Direction

TODAY = datetime.date(2026, 11, 28)


def days(n):
    return TODAY + datetime.timedelta(days=n)


def buckets(schedule):
    """{bucket label: (count, amount)} of a schedule."""
    return {cell.label: (cell.count, cell.amount) for cell in schedule.buckets}


def bucket_of(dossier, due, direction=Direction.PURCHASE):
    make_invoice(dossier, direction, amount="100.00", due=due)
    found = [label for label, (count, _amount) in buckets(schedules(dossier, TODAY)[direction]).items() if count]
    return str(found[0]) if len(found) == 1 else found


@pytest.mark.parametrize(("offset", "bucket"), [
    (-1, "En retard"),
    (0, "0-30 jours"),
    (30, "0-30 jours"),
    (31, "30-60 jours"),
    (60, "30-60 jours"),
    (61, "60-90 jours"),
    (90, "60-90 jours"),
    (91, "+ 90 jours"),
    (-400, "En retard"),
])
def test_bucket_boundaries(world, offset, bucket):
    assert bucket_of(world.active, days(offset)) == bucket


def test_open_amounts_partial_payments_and_credit_notes(world):
    dossier = world.active
    make_invoice(dossier, amount="100.00", paid="20.00", due=days(-3))  # 120 due, 100 left
    make_invoice(dossier, amount="50.00", paid="60.00", due=days(-2))  # fully paid: not open
    make_invoice(dossier, amount="10.00", due=days(-1), credit=True)  # 12 to be refunded
    make_invoice(dossier, amount="10.00", paid="12.00", due=days(-1), credit=True)  # refunded
    make_invoice(dossier, amount="1000.00", due=days(-1), draft=True)
    for void in (210, 213, 220, 501):  # refused, rejected, cancelled, inadmissible
        make_invoice(dossier, amount="1000.00", due=days(-1), status=void)
    make_invoice(dossier, amount="5.00", due=days(-1), status=205)  # approved: still owed
    make_invoice(world.foreign, amount="999.00", due=days(-1))  # another tenant

    schedule = schedules(dossier, TODAY)[Direction.PURCHASE]

    assert buckets(schedule)["En retard"] == (3, Decimal("94.00"))  # 100 - 12 + 6
    assert (schedule.total.count, schedule.total.amount) == (3, Decimal("94.00"))


def test_directions_are_apart_and_undated_invoices_count_in_the_total_only(world):
    dossier = world.active
    make_invoice(dossier, Direction.SALES, amount="200.00", due=days(45))
    make_invoice(dossier, Direction.SALES, amount="100.00", due=None)
    make_invoice(dossier, Direction.PURCHASE, amount="7.00", due=days(5))

    both = schedules(dossier, TODAY)
    sales = both[Direction.SALES]

    assert buckets(sales)["30-60 jours"] == (1, Decimal("240.00"))
    assert sum(count for count, _amount in buckets(sales).values()) == 1
    assert (sales.undated.count, sales.undated.amount) == (1, Decimal("120.00"))
    assert (sales.total.count, sales.total.amount) == (2, Decimal("360.00"))
    assert buckets(both[Direction.PURCHASE])["0-30 jours"] == (1, Decimal("8.40"))


def test_empty_dossier_shows_zeros(world):
    schedule = schedules(world.active, TODAY)[Direction.SALES]
    assert [(cell.count, cell.amount) for cell in schedule.buckets] == [(0, Decimal("0"))] * len(BUCKETS)


def test_bucket_filters_for_the_invoice_lists():
    queries = {str(bucket.label): bucket.query(TODAY) for bucket in BUCKETS}
    assert queries == {
        "En retard": {"open": 1, "overdue": 1},
        "0-30 jours": {"open": 1, "due_from": "2026-11-28", "due_to": "2026-12-28"},
        "30-60 jours": {"open": 1, "due_from": "2026-12-29", "due_to": "2027-01-27"},
        "60-90 jours": {"open": 1, "due_from": "2027-01-28", "due_to": "2027-02-26"},
        "+ 90 jours": {"open": 1, "due_from": "2027-02-27"},
    }


def test_cells_link_to_the_invoice_lists(world, settings):
    schedule = schedules(world.active, TODAY)[Direction.PURCHASE]
    purchases = reverse("invoices:purchases", args=[world.active.pk])
    assert schedule.total.url == f"{purchases}?open=1"
    assert schedule.buckets[0].url == f"{purchases}?open=1&overdue=1"
    assert schedule.buckets[1].url == f"{purchases}?open=1&due_from=2026-11-28&due_to=2026-12-28"
    assert schedule.buckets[4].url == f"{purchases}?open=1&due_from=2027-02-27"
    sales = schedules(world.active, TODAY)[Direction.SALES]
    assert sales.buckets[2].url.startswith(reverse("invoices:sales", args=[world.active.pk]) + "?")

