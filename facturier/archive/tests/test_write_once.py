import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from facturier.archive.exceptions import RetentionError, WriteOnceError
from facturier.archive.models import ArchiveRecord, Kind
from facturier.archive.store import archive
from facturier.archive.testing import write_once_suspended

TABLE = ArchiveRecord._meta.db_table


@pytest.fixture
def record(dossier):
    return archive(dossier, b"original", kind=Kind.ORIGINAL_RECEIVED, filename="FA.xml")


def expire(record):
    """Move a record's term to the past, as if ten years had gone by."""
    with write_once_suspended() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET retain_until = %s WHERE id = %s",
                       [timezone.now() - datetime.timedelta(days=1), record.pk])
    return ArchiveRecord.objects.get(pk=record.pk)


def test_orm_refuses_to_change_a_record(record):
    record.filename = "autre.xml"
    with pytest.raises(WriteOnceError):
        record.save()
    with pytest.raises(WriteOnceError):
        ArchiveRecord.objects.filter(pk=record.pk).update(filename="autre.xml")
    with pytest.raises(WriteOnceError):
        ArchiveRecord.objects.bulk_update([record], ["filename"])
    assert ArchiveRecord.objects.get(pk=record.pk).filename == "FA.xml"


def test_orm_refuses_to_delete_before_the_term(record, dossier):
    with pytest.raises(RetentionError):
        record.delete()
    with pytest.raises(RetentionError):
        ArchiveRecord.objects.all().delete()
    with pytest.raises(ProtectedError):
        dossier.delete()
    assert ArchiveRecord.objects.filter(pk=record.pk).exists()


def test_database_refuses_raw_update(record):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET filename = 'autre.xml' WHERE id = %s", [record.pk])
    assert ArchiveRecord.objects.get(pk=record.pk).filename == "FA.xml"


def test_database_refuses_raw_delete_before_the_term(record):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [record.pk])
    assert ArchiveRecord.objects.filter(pk=record.pk).exists()


def test_database_refuses_even_an_expired_record_update(record):
    expired = expire(record)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET filename = 'autre.xml' WHERE id = %s", [expired.pk])


def test_a_record_past_its_term_may_be_deleted(record, dossier):
    expired = expire(record)
    expired.delete()
    assert not ArchiveRecord.objects.filter(pk=record.pk).exists()
    other = expire(archive(dossier, b"x", kind=Kind.OTHER, filename="x.txt"))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [other.pk])
    assert not ArchiveRecord.objects.exists()


def test_triggers_come_back_after_suspension(record):
    with write_once_suspended() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET filename = 'x' WHERE id = %s", [record.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET filename = 'y' WHERE id = %s", [record.pk])
