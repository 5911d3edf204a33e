"""The e-reporting calendar: which periods a dossier reports on, and by when, from its VAT regime.

    periods = transaction_periods(VatRegime.NORMAL_MONTHLY, day)   # the periods around ``day``
    period = period_of(regime, Family.PAYMENTS, day)                # the period holding ``day``

The table (docs/ereporting.md gives it with its source, décret n° 2022-1299
of 7 October 2022, and where it departs from issue 12's wording):

=========================  ==============================  =============================
regime                     transactions (10.1, 10.3)       payments (10.2, 10.4)
=========================  ==============================  =============================
réel normal mensuel        ten-day periods: 1-10 due the   month, due the 10th of the
                           20th, 11-20 due the 30th (the   next month
                           last day of a shorter month),
                           21-end due the 10th of the
                           next month
réel normal trimestriel    month, due the 10th of the      same
                           next month
réel simplifié             month, due the 25th of the      same
                           next month (the window opens
                           on the 25th, closes on the 30th)
franchise en base          two months (Jan-Feb, Mar-Apr…), same
                           due the 25th of the month after
=========================  ==============================  =============================

Where the decree gives a window ("entre le 25 et le 30"), the platform shows
its first day: a firm with hundreds of dossiers plans on the earliest date.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from facturier.dossiers.models import VatRegime

# The last day of a second ten-day period: "le 30", or the month's last day when it is shorter.
SECOND_PERIOD_DUE_DAY = 30
WINDOW_OPENS_DAY = 25


class Family(models.TextChoices):
    TRANSACTIONS = "transactions", _("Transactions")
    PAYMENTS = "payments", _("Paiements")


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    due: datetime.date

    def is_closed(self, today):
        return self.end < today


def month_end(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day, months=1):
    """The first day of the month ``months`` after ``day``'s."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_of(regime, family, day):
    """The reporting period of ``regime`` and ``family`` that holds ``day``; None without a regime."""
    if regime == VatRegime.NORMAL_MONTHLY and family == Family.TRANSACTIONS:
        return _ten_days(day)
    if regime in (VatRegime.NORMAL_MONTHLY, VatRegime.NORMAL_QUARTERLY):
        start = day.replace(day=1)
        return Period(start, month_end(start), next_month(start).replace(day=10))
    if regime == VatRegime.SIMPLIFIED:
        start = day.replace(day=1)
        return Period(start, month_end(start), next_month(start).replace(day=WINDOW_OPENS_DAY))
    if regime == VatRegime.FRANCHISE:
        start = day.replace(month=day.month - (day.month - 1) % 2, day=1)
        return Period(start, month_end(next_month(start)), next_month(start, 2).replace(day=WINDOW_OPENS_DAY))
    return None


def _ten_days(day):
    if day.day <= 10:
        start = day.replace(day=1)
        return Period(start, day.replace(day=10), day.replace(day=20))
    if day.day <= 20:
        end = day.replace(day=20)
        return Period(day.replace(day=11), end, day.replace(day=min(SECOND_PERIOD_DUE_DAY, month_end(day).day)))
    return Period(day.replace(day=21), month_end(day), next_month(day).replace(day=10))


def periods_between(regime, family, first_day, last_day):
    """Every period of ``regime`` and ``family`` that meets [first_day, last_day], in order."""
    periods = []
    day = first_day
    while day <= last_day:
        period = period_of(regime, family, day)
        if period is None:
            return []
        periods.append(period)
        day = period.end + datetime.timedelta(days=1)
    return periods
