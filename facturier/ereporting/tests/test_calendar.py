"""The calendar of every regime across month ends, leap years and year ends."""

import datetime
import itertools

import pytest

from facturier.dossiers.models import VatRegime
from facturier.ereporting.calendar import Family, Period, period_of, periods_between

d = datetime.date
T, P = Family.TRANSACTIONS, Family.PAYMENTS


@pytest.mark.parametrize(("day", "expected"), [
    (d(2026, 3, 1), Period(d(2026, 3, 1), d(2026, 3, 10), d(2026, 3, 20))),
    (d(2026, 3, 10), Period(d(2026, 3, 1), d(2026, 3, 10), d(2026, 3, 20))),
    (d(2026, 3, 11), Period(d(2026, 3, 11), d(2026, 3, 20), d(2026, 3, 30))),  # "le 30", not the 31st
    (d(2026, 3, 31), Period(d(2026, 3, 21), d(2026, 3, 31), d(2026, 4, 10))),
    (d(2026, 2, 15), Period(d(2026, 2, 11), d(2026, 2, 20), d(2026, 2, 28))),  # February has no 30th
    (d(2028, 2, 15), Period(d(2028, 2, 11), d(2028, 2, 20), d(2028, 2, 29))),  # leap year
    (d(2028, 2, 29), Period(d(2028, 2, 21), d(2028, 2, 29), d(2028, 3, 10))),
    (d(2026, 2, 28), Period(d(2026, 2, 21), d(2026, 2, 28), d(2026, 3, 10))),
    (d(2026, 12, 25), Period(d(2026, 12, 21), d(2026, 12, 31), d(2027, 1, 10))),  # year end
    (d(2026, 4, 20), Period(d(2026, 4, 11), d(2026, 4, 20), d(2026, 4, 30))),
])
def test_normal_monthly_transactions_by_ten_days(day, expected):
    assert period_of(VatRegime.NORMAL_MONTHLY, T, day) == expected


@pytest.mark.parametrize("regime", [VatRegime.NORMAL_MONTHLY, VatRegime.NORMAL_QUARTERLY])
def test_normal_payments_monthly_due_on_the_tenth(regime):
    assert period_of(regime, P, d(2026, 12, 31)) == Period(d(2026, 12, 1), d(2026, 12, 31), d(2027, 1, 10))
    assert period_of(regime, P, d(2028, 2, 3)) == Period(d(2028, 2, 1), d(2028, 2, 29), d(2028, 3, 10))


def test_normal_quarterly_transactions_monthly():
    assert period_of(VatRegime.NORMAL_QUARTERLY, T, d(2026, 1, 31)) == Period(
        d(2026, 1, 1), d(2026, 1, 31), d(2026, 2, 10))


@pytest.mark.parametrize("family", [T, P])
def test_simplified_monthly_due_when_the_window_opens(family):
    assert period_of(VatRegime.SIMPLIFIED, family, d(2026, 12, 5)) == Period(
        d(2026, 12, 1), d(2026, 12, 31), d(2027, 1, 25))
    assert period_of(VatRegime.SIMPLIFIED, family, d(2024, 2, 29)) == Period(
        d(2024, 2, 1), d(2024, 2, 29), d(2024, 3, 25))


@pytest.mark.parametrize(("day", "expected"), [
    (d(2026, 1, 15), Period(d(2026, 1, 1), d(2026, 2, 28), d(2026, 3, 25))),
    (d(2028, 2, 29), Period(d(2028, 1, 1), d(2028, 2, 29), d(2028, 3, 25))),
    (d(2026, 4, 30), Period(d(2026, 3, 1), d(2026, 4, 30), d(2026, 5, 25))),
    (d(2026, 11, 1), Period(d(2026, 11, 1), d(2026, 12, 31), d(2027, 1, 25))),  # year end
    (d(2026, 12, 31), Period(d(2026, 11, 1), d(2026, 12, 31), d(2027, 1, 25))),
])
def test_franchise_every_two_months(day, expected):
    assert period_of(VatRegime.FRANCHISE, T, day) == expected
    assert period_of(VatRegime.FRANCHISE, P, day) == expected


def test_no_regime_no_calendar():
    assert period_of(VatRegime.NOT_SET, T, d(2026, 3, 1)) is None
    assert periods_between(VatRegime.NOT_SET, T, d(2026, 3, 1), d(2026, 4, 1)) == []


def test_periods_cover_a_year_without_gap_or_overlap():
    for regime in (VatRegime.NORMAL_MONTHLY, VatRegime.NORMAL_QUARTERLY, VatRegime.SIMPLIFIED, VatRegime.FRANCHISE):
        for family in (T, P):
            periods = periods_between(regime, family, d(2027, 12, 30), d(2029, 1, 2))
            for before, after in itertools.pairwise(periods):
                assert after.start == before.end + datetime.timedelta(days=1)
                assert before.due > before.end
            assert periods[0].start <= d(2027, 12, 30) and periods[-1].end >= d(2029, 1, 2)
    assert len(periods_between(VatRegime.NORMAL_MONTHLY, T, d(2028, 1, 1), d(2028, 12, 31))) == 36
