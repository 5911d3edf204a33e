"""Legal archive maintenance.

``facturier archive verify [--dossier SIREN]`` proves the legal archive intact.
Exit status: 0 when every chain is intact, 1 when one is broken (the first broken
record of each broken dossier is named), 2 on a usage error or an unknown SIREN.
It also says when a crash left orphans behind.

``facturier archive checkpoint`` signs and stores every chain head (see
``checkpoint``): run it from cron, e.g. hourly. ``facturier archive keygen PATH``
writes a new signing key for ``FACTURIER_ARCHIVE_SIGNING_KEY_FILE``.

``facturier archive orphans [--fix]`` lists them (see ``orphans``); ``--fix``
removes the orphan files and hands orphan records to the app that adopts them.
Exit status: 0 when nothing is (or remains) orphaned, 1 otherwise.

``facturier archive purge-held`` erases the received files that were not invoices
once their ``FACTURIER_REJECTED_FILES_DAYS`` are over (see ``held``); the worker
does it every hour by itself.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from facturier.archive import checkpoint, held, orphans, timestamping
from facturier.archive.verify import verify_chain
from facturier.audit.models import AuditAction
from facturier.audit.models import record as audit
from facturier.dossiers.models import Dossier

BROKEN = 1
USAGE = 2


class Command(BaseCommand):
    help = "Legal archive maintenance."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        verify = actions.add_parser("verify", help="Check every archived file and every link of the hash chains.")
        verify.add_argument("--dossier", metavar="SIREN", help="Check only the dossier(s) with this SIREN.")
        actions.add_parser("checkpoint", help="Sign and store the head of every chain (run it periodically).")
        keygen = actions.add_parser("keygen", help="Write a new Ed25519 signing key for the checkpoints.")
        keygen.add_argument("path", help="Where to write the key (PEM); the file must not exist.")
        orphan = actions.add_parser("orphans", help="List files and records a crash left without their owner.")
        orphan.add_argument("--fix", action="store_true", help="Remove orphan files, have orphan records adopted.")
        actions.add_parser("purge-held", help="Erase the received non-invoice files whose term is over.")

    def handle(self, *args, action, **options):
        if action == "verify":
            return self.verify(options["dossier"])
        if action == "checkpoint":
            return self.checkpoint()
        if action == "keygen":
            return self.keygen(options["path"], options["verbosity"])
        if action == "orphans":
            return self.orphans(fix=options["fix"])
        if action == "purge-held":
            erased = held.purge_expired()
            self.stdout.write(ngettext("%(count)s fichier effacé.", "%(count)s fichiers effacés.", erased)
                              % {"count": erased})
            return None
        raise CommandError(f"Unknown action {action}", returncode=USAGE)

    def verify(self, siren):
        dossiers = [None]
        if siren is not None:
            dossiers = list(Dossier.objects.filter(siren=siren.replace(" ", "")).order_by("pk"))
            if not dossiers:
                raise CommandError(_("Aucun dossier avec le SIREN %(siren)s.") % {"siren": siren}, returncode=USAGE)
        started = time.perf_counter()
        breaks, problems, dossier_count, record_count, anchored_at = [], [], 0, 0, ""
        for dossier in dossiers:
            result = verify_chain(dossier)
            breaks += result.breaks
            problems += result.problems
            anchored_at = result.checkpoint_at
            dossier_count += result.dossiers_checked
            record_count += result.records_checked
        elapsed = time.perf_counter() - started
        counts = ngettext(
            "%(records)s enregistrement vérifié", "%(records)s enregistrements vérifiés", record_count
        ) % {"records": record_count}
        summary = _("%(counts)s dans %(dossiers)s dossier(s) en %(seconds).1f s.") % {
            "counts": counts, "dossiers": dossier_count, "seconds": elapsed}
        audit(None, AuditAction.ARCHIVE_VERIFIED, target=siren or "*", ok=not (breaks or problems),
              records=record_count,
              breaks=[{"dossier": b.dossier_id, "sequence": b.sequence, "reason": b.reason} for b in breaks],
              problems=problems)
        if siren is None:
            self.report_orphans(orphans.find())
        self.report_checkpoint(anchored_at)
        if not (breaks or problems):
            self.stdout.write(_("Archive intacte : %(summary)s") % {"summary": summary})
            return
        self.stderr.write(_("Archive altérée : %(summary)s") % {"summary": summary})
        for broken in breaks:
            self.stderr.write(f"  {broken}  [{broken.reason}]")
        for problem in problems:
            self.stderr.write(f"  {problem}")
        sys.exit(BROKEN)

    def report_checkpoint(self, anchored_at):
        if anchored_at:
            self.stdout.write(_("Chaînes comparées au point de contrôle signé du %(date)s.") % {"date": anchored_at})
        else:
            self.stdout.write(_("Aucun point de contrôle signé à comparer (clé de signature absente ou aucun "
                                "point de contrôle fait) : une troncature ou un recalcul resterait invisible."))

    def checkpoint(self):
        try:
            index = checkpoint.make()
        except checkpoint.ChainDiverged as error:
            audit(None, AuditAction.ARCHIVE_CHECKPOINT_REFUSED, target="*", chains=error.chains)
            self.stderr.write(_(
                "Point de contrôle refusé : %(chains)s ne contiennent plus ce que le précédent a scellé. "
                "Lancez « facturier archive verify ».") % {"chains": ", ".join(error.chains)})
            sys.exit(BROKEN)
        except checkpoint.CheckpointError as error:
            raise CommandError(str(error), returncode=USAGE) from error
        except timestamping.TimestampError as error:
            audit(None, AuditAction.ARCHIVE_CHECKPOINT_MADE, target="*", timestamp_error=str(error))
            self.stderr.write(_("Point de contrôle signé, mais non horodaté : %(error)s") % {"error": error})
            sys.exit(BROKEN)
        audit(None, AuditAction.ARCHIVE_CHECKPOINT_MADE, target=index["made_at"], dossiers=len(index["dossiers"]),
              audit_sequence=index["audit"]["sequence"])
        self.stdout.write(_("Point de contrôle signé du %(date)s : %(count)s dossier(s).") % {
            "date": index["made_at"], "count": len(index["dossiers"])})

    def keygen(self, path, verbosity):
        try:
            checkpoint.generate_key_file(path)
        except OSError as error:
            raise CommandError(str(error), returncode=USAGE) from error
        if verbosity:
            self.stdout.write(path)

    def report_orphans(self, found):
        if found:
            self.stdout.write(_(
                "Orphelins : %(files)s fichier(s) sans enregistrement, %(records)s fichier(s) archivé(s) "
                "sans objet dans la plateforme ; « facturier archive orphans --fix » les traite."
            ) % {"files": len(found.files), "records": len(found.records)})

    def orphans(self, *, fix):
        found = orphans.find()
        for name in found.files:
            self.stdout.write(_("Fichier sans enregistrement : %(name)s") % {"name": name})
        for record in found.records:
            self.stdout.write(_("Fichier archivé sans objet : dossier %(siren)s, n° %(sequence)s, %(filename)s") % {
                "siren": record.dossier.siren or record.dossier_id, "sequence": record.sequence,
                "filename": record.filename})
        if not fix:
            if found:
                sys.exit(BROKEN)
            self.stdout.write(_("Aucun orphelin."))
            return
        orphans.remove_files(found.files)
        adopted = [record for record in found.records if orphans.adopt(record)]
        audit(None, AuditAction.ARCHIVE_ORPHANS_HANDLED, target="*", removed=found.files,
              adopted=[{"dossier": r.dossier_id, "sequence": r.sequence} for r in adopted])
        self.stdout.write(_("%(removed)s fichier(s) supprimé(s), %(adopted)s fichier(s) archivé(s) rattaché(s).") % {
            "removed": len(found.files), "adopted": len(adopted)})
        if len(adopted) < len(found.records):
            self.stderr.write(_("%(count)s fichier(s) archivé(s) restent sans objet.") % {
                "count": len(found.records) - len(adopted)})
            sys.exit(BROKEN)
