"""Where a report leaves: the seam with the dossier's accredited-platform connection (issue 11).

Today no dossier has such a connection: ``send`` refuses with a message that
says so, and the report stays ready to be downloaded. The connection will
carry the XML as an XP Z12-013 flow (``flowSyntax`` FRR, ``flowType`` from
``Report.flow_type``) and call ``mark_sent`` then ``record_acknowledgement``
with what comes back. Each transition is a conditional update: a double
click, two tabs or a retried job move a report once.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from facturier.ereporting.models import Report, ReportStatus


class NotSendable(Exception):
    """The report cannot leave; the message says why, for the person who asked."""


def platform_connection(dossier):
    """The dossier's accredited-platform connection: none exists before issue 11."""
    return None


def send(report):
    """Hand a ready report to the dossier's accredited platform."""
    if report.status != ReportStatus.READY:
        raise NotSendable(_("Seul un rapport prêt, sans erreur, peut être transmis."))
    if platform_connection(report.dossier) is None:
        raise NotSendable(_(
            "Ce dossier n'est pas encore relié à une plateforme agréée : le rapport ne peut pas être transmis "
            "d'ici. Il est prêt et contrôlé ; vous pouvez le télécharger (XML) pour le déposer vous-même."))
    raise NotSendable(_("La transmission par la plateforme agréée n'est pas encore disponible."))


def mark_sent(report, flow_id, at=None):
    """Record that the platform took the report (its flow id); the report it rectifies is replaced."""
    at = at or timezone.now()
    with transaction.atomic():
        moved = Report.objects.filter(pk=report.pk, status=ReportStatus.READY).update(
            status=ReportStatus.SENT, flow_id=flow_id, sent_at=at)
        if moved and report.replaces_id:
            Report.objects.filter(pk=report.replaces_id).update(status=ReportStatus.REPLACED)
    return bool(moved)


def record_acknowledgement(report, accepted, detail=""):
    """Record the platform's answer on a sent report: accepted, or rejected with its reason."""
    status = ReportStatus.ACKNOWLEDGED if accepted else ReportStatus.REJECTED
    return bool(Report.objects.filter(pk=report.pk, status=ReportStatus.SENT).update(
        status=status, acknowledged_at=timezone.now(), status_detail=detail))
