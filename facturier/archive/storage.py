"""Where archived bytes live: one content-addressed object per distinct file.

Any Django storage backend works (``settings.ARCHIVE_STORAGE`` names an alias of
``STORAGES``): the filesystem by default, S3-compatible object storage through
django-storages. An object's name is derived from its SHA-256, so it is written
once and never overwritten; a second record of the same bytes reuses it.
"""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from facturier.archive.exceptions import ContentChanged, ContentMissing

CHUNK_SIZE = 64 * 1024


def archive_storage():
    return storages[settings.ARCHIVE_STORAGE]


def object_name(sha256):
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def put(sha256, content):
    """Store ``content`` under its digest unless an intact copy is already there."""
    storage = archive_storage()
    name = object_name(sha256)
    if storage.exists(name):
        try:
            read(sha256, len(content))
            return
        except ContentMissing:
            pass
    saved = storage.save(name, ContentFile(content))
    if saved != name:
        # Another process stored the same bytes meanwhile: keep theirs, check it.
        storage.delete(saved)
        read(sha256, len(content))


def read(sha256, size):
    """The stored bytes, checked against their digest and size."""
    return _load(sha256, size, keep=True)


def check(sha256, size):
    """Re-hash a stored object without keeping its bytes; raise when it changed."""
    _load(sha256, size, keep=False)


def _load(sha256, size, *, keep):
    digest = hashlib.sha256()
    chunks = []
    length = 0
    try:
        with archive_storage().open(object_name(sha256), "rb") as stored:
            while chunk := stored.read(CHUNK_SIZE):
                digest.update(chunk)
                length += len(chunk)
                if keep:
                    chunks.append(chunk)
    except OSError as error:
        raise ContentMissing(f"Archived content {sha256} is missing: {error}") from error
    if digest.hexdigest() != sha256 or length != size:
        raise ContentChanged(f"Archived content {sha256} no longer matches its digest.")
    return b"".join(chunks)
