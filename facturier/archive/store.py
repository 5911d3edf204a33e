"""Putting documents into the legal archive and reading them back.

    record = archive(dossier, pdf_bytes, kind=Kind.ORIGINAL_RECEIVED,
                     filename="FA-2026-001.pdf", media_type="application/pdf",
                     period=invoice.issue_date, reference=invoice)
    first, second = append(prepare(dossier, pdf_bytes, ...), prepare(dossier, xml_bytes, ...))
    content = open_content(record)   # raises ArchiveIntegrityError if it changed

Call ``archive`` inside the transaction that creates the archived object: the
record then exists exactly when the object does. Appends to one dossier's chain
are serialised by a lock on its chain head, so sequences stay gapless under any
concurrency; other dossiers are not held up. The lock lasts until the
transaction ends: ``prepare`` writes the bytes beforehand, with no lock, and
``append`` seals several prepared records under one lock.
"""

import datetime
import mimetypes
import os

from django.db import models, transaction
from django.utils import timezone

from facturier.archive import chain, storage
from facturier.archive.models import ArchiveChainHead, ArchiveRecord, Kind

MAX_FILENAME_LENGTH = 255


def archive(dossier, content, *, kind, filename, media_type=None, period=None, reference=None):
    """Append ``content`` to the dossier's archive and return the sealed record.

    ``reference`` is the archived object in the platform: a model instance or
    an ``(app_label, model, pk)`` triple. ``period`` is the document's own date
    (defaults to today), by which the "fichiers" page files it.
    """
    return append(prepare(dossier, content, kind=kind, filename=filename, media_type=media_type, period=period,
                          reference=reference))[0]


def prepare(dossier, content, *, kind, filename, media_type=None, period=None, reference=None):
    """``content`` stored and its record made, unsealed and unsaved: the part of archiving that takes no lock.

    The arguments are ``archive``'s. A transaction archiving several documents
    prepares them all, then appends them together: the dossier's chain then
    stays locked only for their inserts, not while the bytes are written.
    """
    kind = Kind(kind)
    if not isinstance(content, bytes):
        raise TypeError("Archived content must be bytes.")
    filename = clean_filename(filename)
    media_type = media_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if len(media_type) > ArchiveRecord._meta.get_field("media_type").max_length:
        raise ValueError(f"Media type too long: {media_type[:40]}...")
    period = _as_date(period)
    app_label, model, pk = reference_parts(reference)
    sha256 = chain.content_digest(content)
    # Bytes first: a failed insert leaves an unreferenced object, never a record without bytes.
    storage.put(sha256, content)
    return ArchiveRecord(dossier=dossier, kind=kind, filename=filename, media_type=media_type, size=len(content),
                         sha256=sha256, period=period, reference_app=app_label, reference_model=model,
                         reference_pk=pk)


def append(*records):
    """Seal prepared records of one dossier and save them at the end of its chain, in the order given.

    Call it inside the transaction that creates the archived objects, as late
    as it can come: the chain head stays locked until that transaction ends.
    """
    dossiers = {record.dossier_id for record in records}
    if len(dossiers) != 1:
        raise ValueError("Records are appended to one dossier's chain at a time.")
    with transaction.atomic(savepoint=False):
        head = _locked_head(records[0].dossier)
        created_at = timezone.now()
        for record in records:
            record.sequence, record.previous_hash = head.last_sequence + 1, head.last_hash
            record.created_at = created_at
            record.retain_until = chain.retention_end(created_at)
            record.period = record.period or timezone.localdate(created_at)
            record.seal()
            head.last_sequence, head.last_hash = record.sequence, record.chain_hash
        ArchiveRecord.objects.bulk_create(records)
        head.save(update_fields=["last_sequence", "last_hash"])
    return list(records)


def open_content(record):
    """The archived bytes, verified against the record's SHA-256."""
    return storage.read(record.sha256, record.size)


def records_for(obj):
    """The records archived for a platform object (e.g. an invoice), oldest first."""
    app_label, model, pk = reference_parts(obj)
    return ArchiveRecord.objects.filter(reference_app=app_label, reference_model=model, reference_pk=pk).order_by(
        "dossier", "sequence"
    )


def _as_date(period):
    """The document's date; a datetime counts by its own day (a DateField keeps no time)."""
    if period is None or type(period) is datetime.date:
        return period
    if isinstance(period, datetime.datetime):
        return period.date()
    raise TypeError("The period of an archived document is a date.")


def _locked_head(dossier):
    head = ArchiveChainHead.objects.select_for_update().filter(dossier=dossier).first()
    if head is not None:
        return head
    # The dossier's first record: whichever transaction creates the head, the other waits on its lock.
    ArchiveChainHead.objects.get_or_create(dossier=dossier, defaults={"last_hash": chain.genesis_hash(dossier.pk)})
    return ArchiveChainHead.objects.select_for_update().get(dossier=dossier)


def clean_filename(filename):
    """The last path component, without control characters, at most 255 characters."""
    name = os.path.basename(str(filename).replace("\\", "/"))
    name = "".join(char for char in name if char.isprintable()).strip()
    if not name or name in {".", ".."}:
        raise ValueError("An archived file needs a file name.")
    if len(name) <= MAX_FILENAME_LENGTH:
        return name
    stem, extension = os.path.splitext(name)
    if len(extension) > 16:
        return name[:MAX_FILENAME_LENGTH]
    return stem[: MAX_FILENAME_LENGTH - len(extension)] + extension


def reference_parts(reference):
    if reference is None:
        return "", "", ""
    if isinstance(reference, models.Model):
        return reference._meta.app_label, reference._meta.model_name, str(reference.pk)
    app_label, model, pk = reference
    return str(app_label), str(model), str(pk)
