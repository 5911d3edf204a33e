"""What is due: each dossier's periods with their reports, and the counts the home pages show.

A period is "to send" from the day it closes until its due date while no
report of it has left; "late" after its due date. Reports that left are done,
unless rejected. Only periods ending after ``EREPORTING_START`` count, and
only those closed in the last ``WINDOW_DAYS`` plus the one under way.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from facturier.ereporting.calendar import period_of, periods_between
from facturier.ereporting.gathering import kinds_for
from facturier.ereporting.models import FAMILIES, LEFT, Report, ReportKind, ReportStatus

WINDOW_DAYS = 92
SOON_DAYS = 7


@dataclass
class DueItem:
    dossier: object
    kind: str
    period: object
    report: Report | None
    today: datetime.date

    @property
    def kind_label(self):
        return ReportKind(self.kind).label

    @property
    def is_open(self):
        return not self.period.is_closed(self.today)

    @property
    def is_done(self):
        return self.report is not None and self.report.status in LEFT and self.report.status != ReportStatus.REJECTED

    @property
    def is_late(self):
        return not self.is_open and not self.is_done and self.period.due < self.today

    @property
    def is_to_send(self):
        return not self.is_open and not self.is_done and not self.is_late

    @property
    def is_due_soon(self):
        return self.is_to_send and (self.period.due - self.today).days <= SOON_DAYS

    @property
    def has_errors(self):
        return self.report is not None and self.report.status == ReportStatus.INVALID

    @property
    def state(self):
        if self.is_open:
            return "open"
        if self.is_done:
            return "done"
        return "late" if self.is_late else "to_send"


def start_date():
    return datetime.date.fromisoformat(settings.EREPORTING_START)


def dossier_periods(dossier, today=None, reports=None):
    """The dossier's recent periods for each report its profile calls for, latest first."""
    today = today or timezone.localdate()
    first = max(start_date(), today - datetime.timedelta(days=WINDOW_DAYS))
    if reports is None:
        reports = latest_reports([dossier], first)
    items = []
    for kind in kinds_for(dossier):
        family = FAMILIES[kind]
        if period_of(dossier.vat_regime, family, today) is None:
            continue
        for period in periods_between(dossier.vat_regime, family, first, today):
            if period.end < start_date():
                continue
            items.append(DueItem(dossier, kind, period, reports.get((dossier.pk, kind, period.start)), today))
    items.sort(key=lambda item: (item.period.start, item.kind), reverse=True)
    return items


def latest_reports(dossiers, since):
    """The latest revision of each report of ``dossiers`` whose period starts from ``since`` (one query)."""
    latest = {}
    rows = Report.objects.filter(dossier__in=dossiers, period_start__gte=since - datetime.timedelta(days=62)).defer(
        "xml_gzip", "summary")
    for report in rows.order_by("revision"):
        latest[report.dossier_id, report.kind, report.period_start] = report
    return latest


def firm_overview(dossiers, today=None):
    """Every dossier's items that need someone: to send, late or with errors (one query of reports)."""
    today = today or timezone.localdate()
    dossiers = list(dossiers)
    reports = latest_reports(dossiers, max(start_date(), today - datetime.timedelta(days=WINDOW_DAYS)))
    items = []
    for dossier in dossiers:
        items += [item for item in dossier_periods(dossier, today, reports)
                  if item.is_to_send or item.is_late or item.has_errors]
    items.sort(key=lambda item: (item.period.due, item.dossier.name))
    return items


def counts(items):
    return {"to_send": sum(item.is_to_send for item in items), "late": sum(item.is_late for item in items),
            "errors": sum(item.has_errors for item in items)}
