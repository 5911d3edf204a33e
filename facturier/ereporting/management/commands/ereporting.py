"""``facturier ereporting build|send [--dossier SIREN] [--period YYYY-MM-DD] [-o DIR]``: e-reporting from a script.

``build`` prepares and checks, for each dossier (the one given, or every active
dossier with a VAT regime), the reports of the closed periods that have not
left (or the periods holding ``--period``), like the "Préparer" button; with
``-o`` it writes each report's XML into DIR. ``send`` hands the ready reports
to the dossier's accredited platform, like "Envoyer" (never twice: see ``sending``).

One line per report. Exit status: 0 done, 1 some report has errors or could
not be sent, 2 usage error (unknown SIREN, bad date, unwritable directory).
"""

import datetime
import os

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from facturier.dossiers.models import Dossier, DossierStatus
from facturier.ereporting import overview
from facturier.ereporting.building import build
from facturier.ereporting.calendar import period_of
from facturier.ereporting.gathering import kinds_for
from facturier.ereporting.models import FAMILIES, Report, ReportStatus
from facturier.ereporting.sending import NotSendable, send

USAGE = 2


class Command(BaseCommand):
    help = "Build and check (build) or send (send) the dossiers' e-reporting reports."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["build", "send"])
        parser.add_argument("--dossier", metavar="SIREN", help="Only this dossier.")
        parser.add_argument("--period", metavar="YYYY-MM-DD", help="The periods that hold this day.")
        parser.add_argument("-o", "--output", metavar="DIR", help="build: write each report's XML here.")

    def handle(self, *args, action, dossier, period, output, **options):
        day = self._day(period)
        if output and not os.path.isdir(output):
            raise CommandError(_("%(path)s n'est pas un répertoire.") % {"path": output}, returncode=USAGE)
        failed = False
        for found in self._dossiers(dossier):
            for kind, chosen in self._periods(found, day):
                if action == "build":
                    failed |= self._build(found, kind, chosen, output)
                else:
                    failed |= self._send(found, kind, chosen)
        if failed:
            raise CommandError(_("Des rapports ont des erreurs ou n'ont pas pu être transmis."), returncode=1)

    def _build(self, dossier, kind, period, output):
        report = build(dossier, kind, period)
        self._line(dossier, report, _("%(count)s erreur(s)") % {"count": len(report.errors)})
        if output:
            with open(os.path.join(output, report.filename), "wb") as destination:
                destination.write(report.xml)
        return report.status == ReportStatus.INVALID

    def _send(self, dossier, kind, period):
        report = Report.objects.filter(dossier=dossier, kind=kind, period_start=period.start).order_by(
            "-revision").first()
        if report is None or report.has_left:
            return False
        try:
            report = send(report)
        except NotSendable as refusal:
            self._line(dossier, report, str(refusal))
            return True
        self._line(dossier, report, report.flow_id)
        return False

    def _line(self, dossier, report, detail):
        self.stdout.write(f"{dossier.siren}\t{report.kind}\t{report.period_start:%Y-%m-%d}\t{report.period_end:%Y-%m-%d}"
                          f"\t{report.get_status_display()}\t{detail}")

    def _day(self, text):
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise CommandError(_("Date invalide : %(value)s (AAAA-MM-JJ).") % {"value": text},
                               returncode=USAGE) from None

    def _dossiers(self, siren):
        dossiers = Dossier.objects.filter(status=DossierStatus.ACTIVE).exclude(vat_regime="").order_by("name")
        if siren is None:
            return list(dossiers)
        found = list(dossiers.filter(siren=siren))
        if not found:
            raise CommandError(_("Aucun dossier actif avec un régime de TVA pour le SIREN %(siren)s.")
                               % {"siren": siren}, returncode=USAGE)
        return found

    def _periods(self, dossier, day):
        """(kind, period) pairs: those holding ``day``, or the closed ones of the recent window not yet sent."""
        if day is not None:
            return [(kind, period_of(dossier.vat_regime, FAMILIES[kind], day)) for kind in kinds_for(dossier)]
        return [(item.kind, item.period) for item in overview.dossier_periods(dossier)
                if not item.is_open and not item.is_done]
