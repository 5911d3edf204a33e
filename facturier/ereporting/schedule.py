"""What the worker does for e-reporting by itself, every ``EREPORTING_SWEEP_SECONDS``.

    sweep()   # build the reports of periods just closed; send again, follow acknowledgements

- A period that has closed gets its reports built (and checked) without
  anyone asking, exactly once whatever the number of workers: each report is
  claimed first (``ScheduledBuild``), and only the worker whose claim holds
  builds it. A claim whose worker died is taken over after ``CLAIM_EXPIRES``.
  Reports already built (by a person or an earlier sweep) are left as they are.
- A report a person asked to send while the platform could not answer is
  sent again once its ``next_send_at`` has come (the same trackingId: never
  twice, see ``sending``).
- A sent report whose acknowledgement was still Pending is asked about again.

Sending itself stays a person's decision ("Envoyer", or the command).
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from facturier.accredited.client import PlatformError
from facturier.audit.models import AuditAction, record
from facturier.dossiers.models import Dossier, DossierStatus
from facturier.ereporting import overview
from facturier.ereporting.building import build
from facturier.ereporting.models import Report, ReportStatus, ScheduledBuild
from facturier.ereporting.sending import NotSendable, follow_acknowledgement, send

logger = logging.getLogger(__name__)

CLAIM_EXPIRES = datetime.timedelta(minutes=30)


def sweep(today=None, now=None):
    """One round of the worker's e-reporting work; returns (built, sent, acknowledged) counts."""
    return build_closed_periods(today, now), send_due(now), follow_pending()


def build_closed_periods(today=None, now=None):
    """Build the reports of closed periods that have none yet; each by one worker only."""
    built = 0
    dossiers = Dossier.objects.filter(status=DossierStatus.ACTIVE).exclude(vat_regime="").order_by("pk")
    for dossier in dossiers:
        for item in overview.dossier_periods(dossier, today):
            if item.is_open or item.report is not None:
                continue
            if claim(dossier, item.kind, item.period.start, now):
                report = build(dossier, item.kind, item.period, now=now)
                ScheduledBuild.objects.filter(dossier=dossier, kind=item.kind, period_start=item.period.start
                                              ).update(built_at=now or timezone.now())
                record(None, AuditAction.EREPORT_BUILT, dossier=dossier, target=str(report), status=report.status,
                       revision=report.revision, automatic=True)
                built += 1
    return built


def claim(dossier, kind, period_start, now=None):
    """Whether this worker may build the report: its claim is new, or it took over one left by a dead worker."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            ScheduledBuild.objects.create(dossier=dossier, kind=kind, period_start=period_start, claimed_at=now)
        return True
    except IntegrityError:
        return bool(ScheduledBuild.objects.filter(
            dossier=dossier, kind=kind, period_start=period_start, built_at__isnull=True,
            claimed_at__lt=now - CLAIM_EXPIRES).update(claimed_at=now))


def send_due(now=None):
    """Send again the ready reports a platform could not take earlier, once their time has come."""
    sent = 0
    due = Report.objects.filter(status=ReportStatus.READY, next_send_at__lte=now or timezone.now())
    for report in due.select_related("dossier").order_by("next_send_at"):
        try:
            send(report)
            sent += 1
        except NotSendable as refusal:
            logger.info("E-reporting report %s not sent: %s", report.pk, refusal)
    return sent


def follow_pending():
    """Ask again about the sent reports still waiting for their acknowledgement."""
    done = 0
    for report in Report.objects.filter(status=ReportStatus.SENT).exclude(flow_id="").select_related("dossier"):
        try:
            done += follow_acknowledgement(report)
        except PlatformError as error:
            logger.info("E-reporting report %s: no acknowledgement yet (%s)", report.pk, error)
    return done
