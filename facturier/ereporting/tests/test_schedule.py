"""The worker builds the reports of closed periods by itself, once each, even with two workers."""

import datetime

from facturier.audit.models import AuditAction, AuditEvent
from facturier.ereporting import schedule
from facturier.ereporting.models import Report, ReportKind, ReportStatus, ScheduledBuild
from facturier.ereporting.tests.conftest import b2c
from facturier.testing.live import LiveSite

d = datetime.date


def test_closed_periods_get_their_reports_once(shop):
    b2c(shop, d(2026, 3, 2), "20", "100")
    b2c(shop, d(2026, 3, 22), "20", "40")  # the period under way on the 25th: not built yet
    today = d(2026, 3, 25)

    built = schedule.build_closed_periods(today)

    reports = Report.objects.filter(dossier=shop)
    assert built == reports.count() > 0
    assert reports.filter(kind=ReportKind.B2C, period_start=d(2026, 3, 1)).get().status == ReportStatus.READY
    assert not reports.filter(period_start=d(2026, 3, 21)).exists()
    assert all(report.revision == 0 for report in reports)
    assert schedule.build_closed_periods(today) == 0  # a second sweep, or a second worker, builds nothing
    assert AuditEvent.objects.filter(action=AuditAction.EREPORT_BUILT).count() == built


def test_a_report_built_by_a_person_is_left_as_it_is(shop, client):
    from facturier.ereporting.building import build
    from facturier.ereporting.calendar import Family, period_of

    person = build(shop, ReportKind.B2C, period_of(shop.vat_regime, Family.TRANSACTIONS, d(2026, 3, 2)))
    schedule.build_closed_periods(d(2026, 3, 15))
    assert Report.objects.get(pk=person.pk).built_at == person.built_at
    assert not ScheduledBuild.objects.filter(kind=ReportKind.B2C, period_start=d(2026, 3, 1)).exists()


def test_a_claim_is_won_once_and_taken_over_when_its_worker_died(shop):
    now = datetime.datetime(2026, 3, 25, 1, 0, tzinfo=datetime.UTC)
    assert schedule.claim(shop, ReportKind.B2C, d(2026, 3, 1), now) is True
    assert schedule.claim(shop, ReportKind.B2C, d(2026, 3, 1), now) is False
    later = now + schedule.CLAIM_EXPIRES + datetime.timedelta(seconds=1)
    assert schedule.claim(shop, ReportKind.B2C, d(2026, 3, 1), later) is True  # never built: taken over
    assert schedule.claim(shop, ReportKind.B2C, d(2026, 3, 1), later) is False


SETUP = """
import datetime
from decimal import Decimal
from django.core.management import call_command
call_command("migrate", verbosity=0)
from facturier.testing.world import build_world
from facturier.dossiers.models import VatRegime
from facturier.ereporting.models import B2CDay
world = build_world()
dossier = world.active
dossier.vat_regime = VatRegime.NORMAL_QUARTERLY
dossier.sells_to_individuals = True
dossier.save()
B2CDay.objects.create(dossier=dossier, date=datetime.date(2026, 10, 5), rate=Decimal("20"),
                      amount_excl_vat=Decimal("100"), vat_amount=Decimal("20"))
print_json(dossier.pk)
"""
STATE = """
from facturier.audit.models import AuditEvent
from facturier.ereporting.models import Report, ScheduledBuild
print_json({
    "reports": sorted(Report.objects.values_list("kind", "period_start", "revision")),
    "claims": ScheduledBuild.objects.filter(built_at__isnull=False).count(),
    "builds": AuditEvent.objects.filter(action="ereport_built").count(),
})
"""


def test_two_workers_build_each_closed_period_once(tmp_path):
    with LiveSite(tmp_path, FACTURIER_EREPORTING_SWEEP_SECONDS="1", FACTURIER_EREPORTING_START="2026-09-01",
                  FACTURIER_TASKS_ABANDONED_AFTER="600") as site:
        site.django(SETUP)
        site.work()
        site.work()
        deadline = datetime.datetime.now() + datetime.timedelta(minutes=3)
        state = site.django(STATE)
        while (not state["reports"] or state["claims"] < len(state["reports"])) and datetime.datetime.now() < deadline:
            site._check_alive()
            state = site.django(STATE)
        state = site.django(STATE)  # after a few more sweeps of both workers
    assert state["reports"], "the workers built nothing"
    assert all(revision == 0 for _kind, _start, revision in state["reports"])
    assert len(state["reports"]) == len({tuple(report) for report in state["reports"]}) == state["claims"] \
        == state["builds"], state
