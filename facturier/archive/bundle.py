"""A period of the archive as one zip file, streamed as it is built.

The zip holds every file of the selection, named ``<sequence>-<original name>``,
and a ``manifest.csv`` listing each with its SHA-256 and chain hash, so whoever
receives the zip can check it without the platform. Records are read in two
passes (manifest, then files) bounded by the last sequence seen at the start:
archive rows never change, so both passes see the same files, and memory stays
flat whatever the number of files.
"""

import csv
import io
import zipfile

from django.utils import timezone

from facturier.archive import storage
from facturier.spreadsheets import inert_row

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = [
    "sequence", "path", "filename", "kind", "media_type", "size", "period",
    "created_at", "sha256", "previous_hash", "chain_hash", "reference",
]
BATCH_SIZE = 500


def entry_name(record):
    return f"{record.sequence:06d}-{record.filename}"


def zip_chunks(records):
    """Yield the bytes of a zip of ``records`` (a queryset in chain order)."""
    last = records.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    records = records.filter(sequence__lte=last).order_by("sequence")
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(_entry_info(MANIFEST_NAME, timezone.now()), "w") as manifest:
            text = io.TextIOWrapper(manifest, encoding="utf-8", newline="")
            writer = csv.writer(text)
            writer.writerow(MANIFEST_COLUMNS)
            for record in records.iterator(chunk_size=BATCH_SIZE):
                writer.writerow(_manifest_row(record))
            text.flush()
            text.detach()
        yield sink.take()
        for record in records.iterator(chunk_size=BATCH_SIZE):
            with archive.open(_entry_info(entry_name(record), record.created_at), "w") as entry:
                entry.write(storage.read(record.sha256, record.size))
            yield sink.take()
    yield sink.take()


def _manifest_row(record):
    """A file name like ``=HYPERLINK(...)`` must stay text when the manifest is opened in a spreadsheet."""
    return inert_row((
        record.sequence, entry_name(record), record.filename, record.kind, record.media_type, record.size,
        record.period.isoformat(), record.created_at.isoformat(), record.sha256, record.previous_hash,
        record.chain_hash, record.reference,
    ))


def _entry_info(name, moment):
    local = timezone.localtime(moment)
    info = zipfile.ZipInfo(name, date_time=local.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


class _Sink:
    """A write-only file that hands over what was written since the last call."""

    def __init__(self):
        self._chunks = []

    def write(self, data):
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self):
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data
