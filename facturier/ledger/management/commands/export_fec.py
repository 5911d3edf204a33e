"""``facturier export-fec --dossier SIREN --fiscal-year YYYY -o PATH``: the FEC of a fiscal year.

Books what is bookable, writes the FEC (``PATH`` a file, or a directory that
receives ``<SIREN>FEC<AAAAMMJJ>.txt``), archives it, records the export and moves
the fiscal year's invoices to "Intégrée", like the "Exporter le FEC" button.

Exit status: 0 written, 2 usage error (unknown or ambiguous SIREN, bad year,
unwritable path).
"""

import os

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from facturier.dossiers.models import Dossier
from facturier.ledger import fiscal
from facturier.ledger.exports import export_fiscal_year

USAGE = 2


class Command(BaseCommand):
    help = "Export the FEC (fichier des écritures comptables) of a dossier's fiscal year."

    def add_arguments(self, parser):
        parser.add_argument("--dossier", required=True, metavar="SIREN", help="The dossier's SIREN.")
        parser.add_argument("--firm", metavar="SIREN", help="The firm's SIREN, when several firms keep the dossier.")
        parser.add_argument("--fiscal-year", required=True, type=int, metavar="YYYY",
                            help="The fiscal year, named by the year of its closing date.")
        parser.add_argument("-o", "--output", required=True, metavar="PATH", help="A file, or a directory.")

    def handle(self, *args, dossier, firm, fiscal_year, output, **options):
        found = self._dossier(dossier, firm)
        if not 1900 < fiscal_year < 10000:
            raise CommandError(_("Exercice invalide : %(year)s.") % {"year": fiscal_year}, returncode=USAGE)
        path = output
        if os.path.isdir(path):
            path = os.path.join(path, fiscal.fec_filename(found, fiscal_year))
        try:
            # Opened apart from the `with` below, to report why it cannot be created; that `with` closes it.
            destination = open(path, "xb")  # noqa: SIM115
        except FileExistsError:
            raise CommandError(_("Le fichier %(path)s existe déjà.") % {"path": path}, returncode=USAGE) from None
        except OSError as error:
            raise CommandError(_("Impossible d'écrire %(path)s : %(error)s") % {"path": path, "error": error.strerror},
                               returncode=USAGE) from None
        with destination:
            try:
                export = export_fiscal_year(found, fiscal_year, None, destination=destination)
            except BaseException:
                os.unlink(path)  # the export rolled back: leave no partial file behind
                raise
        self.stdout.write(_("%(path)s : %(entries)s écritures, %(lines)s lignes, exercice du %(start)s au %(end)s, "
                            "SHA-256 %(sha256)s") % {
            "path": path, "entries": export.entry_count, "lines": export.line_count,
            "start": f"{export.period_start:%d/%m/%Y}", "end": f"{export.period_end:%d/%m/%Y}",
            "sha256": export.sha256})

    def _dossier(self, siren, firm):
        dossiers = Dossier.objects.filter(siren=siren.replace(" ", ""))
        if firm:
            dossiers = dossiers.filter(firm__siren=firm.replace(" ", ""))
        found = list(dossiers.select_related("firm")[:2])
        if not found:
            raise CommandError(_("Aucun dossier avec le SIREN %(siren)s.") % {"siren": siren}, returncode=USAGE)
        if len(found) > 1:
            raise CommandError(_("Plusieurs cabinets tiennent le dossier %(siren)s : précisez --firm.")
                               % {"siren": siren}, returncode=USAGE)
        return found[0]
