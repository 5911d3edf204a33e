"""Exporting entries to the firm's accounting, and taking the last export back.

    export = export_pending(dossier, user)             # "Exporter" on Attente intégration
    export = export_fiscal_year(dossier, 2026, user)   # the legal FEC of fiscal year 2026
    undo_last_export(dossier, user)                    # its invoices wait for integration again

Both exports book what is bookable first, then, in one transaction, stamp the
invoices they integrate with one ``integrated_at`` value (so the file's lines
are "the entries of the invoices stamped now", whatever their number), write the
FEC to a temporary file chunk by chunk, archive it (kind export) and record the
``Export``. A failure anywhere rolls the whole export back: no invoice is marked
integrated without its file.

Every export file is named like a FEC, ``<SIREN>FEC<AAAAMMJJ>.txt``: by the
closing date of its fiscal year, or for "Exporter", of the fiscal year of its
latest entry.
"""

import hashlib
import shutil
import tempfile

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from facturier.archive.models import Kind
from facturier.archive.store import archive
from facturier.audit.models import AuditAction
from facturier.audit.models import record as audit
from facturier.dossiers.models import Dossier
from facturier.invoices.models import Invoice
from facturier.ledger import fec, fiscal
from facturier.ledger.booking import ELIGIBLE, BookingError, awaiting_integration, book
from facturier.ledger.models import Entry, Export, ExportScope

FEC_MEDIA_TYPE = "text/plain; charset=iso-8859-15"


def book_missing(invoices):
    """Book the eligible invoices among ``invoices`` that have no entry yet; return those that failed."""
    failures = {}
    for invoice in invoices.filter(ELIGIBLE, entry__isnull=True).select_related("dossier", "third_party", "original"):
        try:
            book(invoice)
        except BookingError as error:
            failures[invoice.pk] = str(error)
    return failures


def export_pending(dossier, user, *, destination=None):
    """Export every booked invoice awaiting integration; None when there is none."""
    book_missing(awaiting_integration(dossier))
    with transaction.atomic():
        one_export_at_a_time(dossier)
        stamp = timezone.now()
        count = awaiting_integration(dossier).filter(entry__isnull=False).update(integrated_at=stamp)
        if not count:
            return None
        lines = fec.export_lines(dossier, integrated_at=stamp)
        span = Entry.objects.filter(dossier=dossier, invoice__integrated_at=stamp).aggregate(
            start=Min("date"), end=Max("date"))
        year = fiscal.fiscal_year_of(dossier, span["end"])
        return _record(dossier, user, stamp, lines, destination, scope=ExportScope.PENDING, fiscal_year=year,
                       period_start=span["start"], period_end=span["end"])


def export_fiscal_year(dossier, year, user, *, destination=None):
    """The FEC of fiscal ``year``: every entry dated in it; its invoices not yet integrated become so."""
    start, end = fiscal.bounds(dossier, year)
    in_year = Invoice.objects.filter(dossier=dossier, issue_date__range=(start, end))
    book_missing(in_year.filter(integrated_at__isnull=True))
    with transaction.atomic():
        one_export_at_a_time(dossier)
        stamp = timezone.now()
        in_year.filter(ELIGIBLE, integrated_at__isnull=True, entry__isnull=False).update(integrated_at=stamp)
        lines = fec.export_lines(dossier, start=start, end=end)
        return _record(dossier, user, stamp, lines, destination, scope=ExportScope.FISCAL_YEAR, fiscal_year=year,
                       period_start=start, period_end=end)


@transaction.atomic
def undo_last_export(dossier, user):
    """Move the invoices of the dossier's last export back to "Attente intégration"; None if nothing to undo."""
    one_export_at_a_time(dossier)
    export = Export.objects.select_for_update().filter(dossier=dossier).order_by("-created_at", "-id").first()
    if export is None or export.undone_at is not None:
        return None
    export.invoices.update(integrated_at=None)
    export.undone_at, export.undone_by = timezone.now(), user
    export.save(update_fields=["undone_at", "undone_by"])
    audit(user, AuditAction.LEDGER_EXPORT_UNDONE, dossier=dossier, target=export.filename, export=export.pk)
    return export


def one_export_at_a_time(dossier):
    """Lock the dossier's row until the transaction ends, so its exports and undos run one after the other.

    Two "Exporter" pressed at once would otherwise both stamp the same invoices:
    the second one waits here, then finds nothing left to export. The lock lets
    rows referencing the dossier be written meanwhile (NO KEY UPDATE); SQLite's
    IMMEDIATE transactions already run writers one at a time.
    """
    Dossier.objects.select_for_update(no_key=True).filter(pk=dossier.pk).values_list("pk", flat=True).get()


def _record(dossier, user, stamp, lines, destination, **period):
    filename = fiscal.fec_filename(dossier, period["fiscal_year"])
    with tempfile.TemporaryFile() as spool:
        digest, line_count = hashlib.sha256(), -1
        for chunk in fec.fec_chunks(lines):
            spool.write(chunk)
            digest.update(chunk)
            line_count += chunk.count(b"\r\n")
        spool.seek(0)
        # The archive takes bytes: the one moment the whole file is in memory.
        record = archive(dossier, spool.read(), kind=Kind.EXPORT, filename=filename,
                         media_type=FEC_MEDIA_TYPE, period=period["period_end"])
        if destination is not None:
            spool.seek(0)
            shutil.copyfileobj(spool, destination)
    export = Export.objects.create(
        dossier=dossier, filename=filename, sha256=digest.hexdigest(), line_count=line_count,
        entry_count=lines.values("entry_id").distinct().count(), archived=record, created_by=user,
        created_at=stamp, **period,
    )
    integrated = Invoice.objects.filter(dossier=dossier, integrated_at=stamp).values_list("pk", flat=True)
    Export.invoices.through.objects.bulk_create(
        [Export.invoices.through(export_id=export.pk, invoice_id=pk) for pk in integrated.iterator()],
        batch_size=2000,
    )
    audit(user, AuditAction.LEDGER_EXPORTED, dossier=dossier, target=filename, export=export.pk, scope=export.scope,
          fiscal_year=export.fiscal_year, lines=line_count, sha256=export.sha256)
    return export
