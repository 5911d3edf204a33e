"""Files held a short time outside the legal archive, then erased.

    held = hold(dossier, data, filename="devis.txt")     # stored, kept until told otherwise
    content = held_content(held)                         # the bytes, checked against their digest
    expire(held)            # not a document to archive: erased FACTURIER_REJECTED_FILES_DAYS days from now
    release(held)           # archived elsewhere: erased once the transaction commits
    purge_expired()         # what the worker (or `facturier archive purge-held`) runs; how many it erased

The legal archive keeps the originals of invoices and the platform's own
documents for ten years in a hash chain from which nothing can be removed
(see ``models.ArchiveRecord``). A file that is not one of those documents (a
text file sent by mistake, an order, a photograph) has no business there:
keeping it for ten years would store what nobody needs, and personal data
with it. Such a file is held here instead, where rows and bytes are deleted
freely. Each held file is its own stored object (``held/<token>``), never
shared with the archive's content-addressed objects, so erasing one can never
take bytes an archive record needs.
"""

import datetime
import hashlib
import mimetypes
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from facturier.archive import storage
from facturier.archive.exceptions import ContentChanged, ContentMissing
from facturier.archive.models import HeldFile

PREFIX = "held"


def retention():
    """How long a file that is not a document to archive stays (``FACTURIER_REJECTED_FILES_DAYS``)."""
    return datetime.timedelta(days=settings.REJECTED_FILES_DAYS)


def object_name(held):
    return f"{PREFIX}/{held.token}"


def hold(dossier, content, *, filename, media_type=None):
    """Store ``content`` for the dossier until it is released or expires; the bytes go first."""
    if not isinstance(content, bytes):
        raise TypeError("Held content must be bytes.")
    held = HeldFile(dossier=dossier, token=secrets.token_hex(16), filename=filename, size=len(content),
                    media_type=(media_type or mimetypes.guess_type(filename)[0] or "application/octet-stream")[:127],
                    sha256=hashlib.sha256(content).hexdigest())
    storage.archive_storage().save(object_name(held), ContentFile(content))
    held.save()
    return held


def held_content(held):
    """The held bytes, checked against their digest and size."""
    try:
        with storage.archive_storage().open(object_name(held), "rb") as stored:
            content = stored.read()
    except OSError as error:
        raise ContentMissing(f"Held file {held.token} is missing: {error}") from error
    if len(content) != held.size or hashlib.sha256(content).hexdigest() != held.sha256:
        raise ContentChanged(f"Held file {held.token} no longer matches its digest.")
    return content


def expire(held, now=None):
    """Keep the file only for the configured time from now (it is not a document to archive)."""
    held.delete_after = (now or timezone.now()) + retention()
    HeldFile.objects.filter(pk=held.pk).update(delete_after=held.delete_after)
    return held.delete_after


def release(held):
    """Erase a held file now that its content is kept elsewhere (after the transaction that did so commits)."""
    transaction.on_commit(lambda: erase(held))


def purge_expired(now=None):
    """Erase every held file past its term; how many."""
    expired = HeldFile.objects.filter(delete_after__lte=now or timezone.now())
    return sum(erase(held) for held in expired.iterator())


def erase(held):
    """Delete the row, then the bytes (a crash between leaves bytes nobody lists, never a row without them)."""
    deleted, _ = HeldFile.objects.filter(pk=held.pk).delete()
    if deleted:
        storage.remove(object_name(held))
    return bool(deleted)
