"""What a crash leaves behind: stored files without a record, records nothing refers to.

Bytes are stored before their record is inserted, and an intake archives a file
before it files it: a server stopped between the two leaves

- an *orphan file*: an object (or a temporary file) in the archive storage with
  no record. It is removed: nobody was told it was archived.
- an *orphan record*: an archived file that no platform object (invoice,
  received file, lifecycle event, export) refers to. Records are write-once, so
  it is offered for adoption to the app that makes such records (the invoices
  app files a received original as if it had just been uploaded); one nobody
  adopts stays listed.

Only what is older than ``GRACE`` counts: an upload in flight is not an orphan.
"""

import datetime
from dataclasses import dataclass, field

from django.dispatch import Signal
from django.utils import timezone

from facturier.archive import storage
from facturier.archive.models import ArchiveRecord

GRACE = datetime.timedelta(hours=1)

# Sent with ``record=`` for each orphan record; a receiver that files it returns a true value.
adopt_record = Signal()


@dataclass
class Orphans:
    files: list = field(default_factory=list)
    records: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.files or self.records)


def find(now=None):
    cutoff = (now or timezone.now()) - GRACE
    return Orphans(files=list(orphan_files(cutoff)), records=list(orphan_records(cutoff)))


def orphan_files(cutoff):
    """Names of stored files older than ``cutoff`` that no record holds."""
    for name, digest, modified in storage.stored_objects():
        if modified >= cutoff:
            continue
        if digest is None or not ArchiveRecord.objects.filter(sha256=digest).exists():
            yield name


def orphan_records(cutoff):
    """Records older than ``cutoff`` with no reference and no platform object pointing at them."""
    records = ArchiveRecord.objects.filter(created_at__lt=cutoff, reference_app="", reference_pk="")
    for relation in ArchiveRecord._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one):
            name = relation.field.name
            pointing = relation.related_model._base_manager.filter(**{f"{name}__isnull": False}).values(name)
            records = records.exclude(pk__in=pointing)
    return records.select_related("dossier").order_by("dossier", "sequence")


def remove_files(names):
    for name in names:
        storage.remove(name)


def adopt(record):
    """True when an app filed the record."""
    return any(answer for _, answer in adopt_record.send(sender=ArchiveRecord, record=record))
