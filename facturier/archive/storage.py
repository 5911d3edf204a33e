"""Where archived bytes live: one content-addressed object per distinct file.

Any Django storage backend works (``settings.ARCHIVE_STORAGE`` names an alias of
``STORAGES``): the filesystem by default, S3-compatible object storage through
django-storages. An object's name is derived from its SHA-256, so it is written
once and never overwritten; a second record of the same bytes reuses it.

An object is whole or absent. On the filesystem it is written under a temporary
name in its final directory, flushed to disk and renamed into place (a rename is
atomic), so a crash leaves at worst a temporary file, never a partial object;
an object-store put is whole by itself. A damaged copy found at an object's
name (a partial file from an older version, a changed byte) is replaced by the
intact bytes when the same content is archived again, never trusted.
"""

import datetime
import hashlib
import os
import tempfile
from contextlib import suppress

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages

from facturier.archive.exceptions import ArchiveIntegrityError, ContentChanged, ContentMissing

CHUNK_SIZE = 64 * 1024
TEMPORARY_PREFIX = ".partial-"


def archive_storage():
    return storages[settings.ARCHIVE_STORAGE]


def object_name(sha256):
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def put(sha256, content):
    """Store ``content`` under its digest unless an intact copy is already there."""
    if is_intact(sha256, len(content)):
        return
    storage = archive_storage()
    if isinstance(storage, FileSystemStorage):
        _write_whole(storage, object_name(sha256), content)
        return
    name = object_name(sha256)
    if storage.exists(name):
        storage.delete(name)  # damaged: the intact bytes take its place
    saved = storage.save(name, ContentFile(content))
    if saved != name:
        # Another process stored the same bytes meanwhile: keep theirs, check it.
        storage.delete(saved)
        read(sha256, len(content))


def is_intact(sha256, size):
    try:
        check(sha256, size)
    except ArchiveIntegrityError:
        return False
    return True


def _write_whole(storage, name, content):
    """Write to a temporary file beside the object, sync it, then rename it into place."""
    path = storage.path(name)
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=TEMPORARY_PREFIX)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        if storage.file_permissions_mode is not None:
            os.chmod(temporary, storage.file_permissions_mode)
        # Concurrent writers of the same content each rename a whole copy: the last one stays.
        os.replace(temporary, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _sync_directory(directory)


def _sync_directory(directory):
    """Make the rename itself survive a power cut (POSIX; a no-op where directories cannot be opened)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def stored_objects():
    """``(name, digest, modified)`` of every object and leftover temporary file in the archive storage.

    ``digest`` is None for what is not an object (a temporary file a crash left behind).
    """
    storage = archive_storage()
    for first in filter(_is_fan_out, _listdir(storage, "")[0]):  # not checkpoints/
        for second in filter(_is_fan_out, _listdir(storage, first)[0]):
            for filename in _listdir(storage, f"{first}/{second}")[1]:
                name = f"{first}/{second}/{filename}"
                digest = filename if object_name(filename) == name and _is_hex_digest(filename) else None
                yield name, digest, _modified(storage, name)


def remove(name):
    archive_storage().delete(name)


def listdir(path):
    return _listdir(archive_storage(), path)


def _listdir(storage, path):
    try:
        return storage.listdir(path)
    except FileNotFoundError:
        return [], []


def _modified(storage, name):
    try:
        return storage.get_modified_time(name)
    except (OSError, NotImplementedError):
        return datetime.datetime.now(datetime.UTC)


def _is_fan_out(directory):
    return len(directory) == 2 and _is_hex(directory)


def _is_hex_digest(text):
    return len(text) == 64 and _is_hex(text)


def _is_hex(text):
    return all(char in "0123456789abcdef" for char in text)


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
