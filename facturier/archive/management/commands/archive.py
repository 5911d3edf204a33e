"""``facturier archive verify [--dossier SIREN]``: prove the legal archive intact.

Exit status: 0 when every chain is intact, 1 when one is broken (the first broken
record of each broken dossier is named), 2 on a usage error or an unknown SIREN.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from facturier.archive.verify import verify_chain
from facturier.audit.models import AuditAction, record as audit
from facturier.dossiers.models import Dossier

BROKEN = 1
USAGE = 2


class Command(BaseCommand):
    help = "Legal archive maintenance."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        verify = actions.add_parser("verify", help="Check every archived file and every link of the hash chains.")
        verify.add_argument("--dossier", metavar="SIREN", help="Check only the dossier(s) with this SIREN.")

    def handle(self, *args, action, **options):
        if action == "verify":
            return self.verify(options["dossier"])
        raise CommandError(f"Unknown action {action}", returncode=USAGE)

    def verify(self, siren):
        dossiers = [None]
        if siren is not None:
            dossiers = list(Dossier.objects.filter(siren=siren.replace(" ", "")).order_by("pk"))
            if not dossiers:
                raise CommandError(_("Aucun dossier avec le SIREN %(siren)s.") % {"siren": siren}, returncode=USAGE)
        started = time.perf_counter()
        breaks, dossier_count, record_count = [], 0, 0
        for dossier in dossiers:
            result = verify_chain(dossier)
            breaks += result.breaks
            dossier_count += result.dossiers_checked
            record_count += result.records_checked
        elapsed = time.perf_counter() - started
        counts = ngettext(
            "%(records)s enregistrement vérifié", "%(records)s enregistrements vérifiés", record_count
        ) % {"records": record_count}
        summary = _("%(counts)s dans %(dossiers)s dossier(s) en %(seconds).1f s.") % {
            "counts": counts, "dossiers": dossier_count, "seconds": elapsed}
        audit(None, AuditAction.ARCHIVE_VERIFIED, target=siren or "*", ok=not breaks, records=record_count,
              breaks=[{"dossier": b.dossier_id, "sequence": b.sequence, "reason": b.reason} for b in breaks])
        if not breaks:
            self.stdout.write(_("Archive intacte : %(summary)s") % {"summary": summary})
            return
        self.stderr.write(_("Archive altérée : %(summary)s") % {"summary": summary})
        for broken in breaks:
            self.stderr.write(f"  {broken}  [{broken.reason}]")
        sys.exit(BROKEN)
