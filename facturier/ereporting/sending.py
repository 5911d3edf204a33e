"""Where a report leaves: through the dossier's accredited-platform connection (``facturier.accredited``).

    send(report)                   # "Envoyer", the command, and the worker's retries
    follow_acknowledgement(report) # a sent report whose acknowledgement was still Pending

A ready report goes as an XP Z12-013 flow (``POST /v1/flows``, ``flowSyntax``
FRR; the platform tells its ``flowType`` from the content, ``Report.flow_type``
says what it should be). Its ``trackingId`` is the report's own, the same on
every try while its content is the same, and each try first asks the platform
whether a flow already bears it (``POST /v1/flows/search``): a try cut short
after the platform took the file (a crash, a lost answer) is never sent twice.
The platform keeps one flow per sender and trackingId too.

A platform that cannot answer now (network, 429, 5xx) leaves the report ready
with ``next_send_at``: the worker tries again then (``schedule``). Once
taken, the report is "Transmis" (``mark_sent``), then "Accepté" or "Refusé"
with the acknowledgement (``record_acknowledgement``). Each transition is a
conditional update: a double click, two tabs or two workers move a report once.
"""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from facturier.accredited.client import PlatformClient, PlatformRefused, PlatformUnavailable
from facturier.accredited.models import connection_for
from facturier.ereporting.models import Report, ReportStatus

TRACKING_NAMESPACE = uuid.UUID("0d8b3f52-6a3e-4f0e-8c0b-5a7e2d9c4b11")
RETRY_AFTER = 300  # seconds before trying again a platform that gave no Retry-After
ACK_OK, ACK_ERROR, ACK_PENDING = "Ok", "Error", "Pending"


class NotSendable(Exception):
    """The report cannot leave now; the message says why, for the person who asked."""


class SendLater(NotSendable):
    """The platform cannot answer now: the worker tries again at ``next_send_at``."""


def platform_connection(dossier):
    """The dossier's accredited-platform connection (``DossierConnection``), or None."""
    return connection_for(dossier)


def tracking_id(report):
    """The report's ``trackingId``: the same on every try of the same content, never another report's."""
    return "facturier-frr-" + uuid.uuid5(TRACKING_NAMESPACE, f"{report.pk}:{report.content_hash}").hex


def send(report):
    """Hand a ready report to the dossier's accredited platform and record what it answers."""
    if report.status != ReportStatus.READY:
        raise NotSendable(_("Seul un rapport prêt, sans erreur, peut être transmis."))
    link = platform_connection(report.dossier)
    if link is None:
        raise NotSendable(_(
            "Ce dossier n'est pas relié à une plateforme agréée : le rapport ne peut pas être transmis d'ici. "
            "Choisissez sa connexion dans les paramètres du dossier, ou téléchargez le rapport (XML) pour le "
            "déposer vous-même."))
    with PlatformClient(link.connection, organization_id=link.organization_id) as platform:
        try:
            flow = _flow(platform, report)
        except PlatformUnavailable as error:
            wait = error.retry_after if error.retry_after is not None else RETRY_AFTER
            Report.objects.filter(pk=report.pk, status=ReportStatus.READY).update(
                next_send_at=timezone.now() + datetime.timedelta(seconds=wait), send_error=error.message)
            raise SendLater(_("%(reason)s Le rapport sera transmis automatiquement dès qu'elle répondra.")
                            % {"reason": error.message}) from error
        except PlatformRefused as error:
            Report.objects.filter(pk=report.pk, status=ReportStatus.READY).update(
                next_send_at=None, send_error=error.message)
            raise NotSendable(_("%(reason)s Vérifiez la connexion du dossier à la plateforme, puis renvoyez.")
                              % {"reason": error.message}) from error
        if not mark_sent(report, str(flow.get("flowId") or "")):
            raise NotSendable(_("Le rapport a changé ou a été transmis pendant l'envoi : rechargez la page."))
        _record(report, flow)
    report.refresh_from_db()
    return report


def _flow(platform, report):
    """The flow bearing the report's trackingId: found if an earlier try arrived, else created."""
    tracking = tracking_id(report)
    found = platform.search_flows({"trackingId": tracking}, limit=1).get("results") or []
    if found:
        return found[0]
    return platform.create_flow(data=report.xml, filename=report.filename,
                                flow_info={"flowSyntax": "FRR", "trackingId": tracking})


def follow_acknowledgement(report):
    """Ask the platform again for the acknowledgement of a sent report still waiting for one."""
    link = platform_connection(report.dossier)
    if report.status != ReportStatus.SENT or not report.flow_id or link is None:
        return False
    with PlatformClient(link.connection, organization_id=link.organization_id) as platform:
        return _record(report, platform.get_flow(report.flow_id))


def _record(report, flow):
    """Record the flow's acknowledgement when it has one (Ok: accepted; Error: refused with its reasons)."""
    ack = flow.get("acknowledgement") or {}
    status = ack.get("status")
    if status not in (ACK_OK, ACK_ERROR):
        return False
    reasons = "; ".join(f"{detail.get('item', '')} : {detail.get('reasonMessage', '')}".strip(" :")
                        for detail in ack.get("details") or [])
    return record_acknowledgement(report, accepted=status == ACK_OK, detail=reasons)


def mark_sent(report, flow_id, at=None):
    """Record that the platform took the report (its flow id), as it was read (same content); the report it
    rectifies is replaced. False when it had already left or was rebuilt meanwhile."""
    at = at or timezone.now()
    with transaction.atomic():
        moved = Report.objects.filter(pk=report.pk, status=ReportStatus.READY,
                                      content_hash=report.content_hash).update(
            status=ReportStatus.SENT, flow_id=flow_id, sent_at=at, next_send_at=None, send_error="")
        if moved and report.replaces_id:
            Report.objects.filter(pk=report.replaces_id).update(status=ReportStatus.REPLACED)
    return bool(moved)


def record_acknowledgement(report, accepted, detail=""):
    """Record the platform's answer on a sent report: accepted, or rejected with its reason."""
    status = ReportStatus.ACKNOWLEDGED if accepted else ReportStatus.REJECTED
    return bool(Report.objects.filter(pk=report.pk, status=ReportStatus.SENT).update(
        status=status, acknowledged_at=timezone.now(), status_detail=detail))
