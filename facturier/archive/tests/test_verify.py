import os

import pytest

from facturier.archive.models import ArchiveChainHead, ArchiveRecord, Kind
from facturier.archive.store import archive
from facturier.archive.testing import write_once_suspended
from facturier.archive.verify import Reason, verify_chain

TABLE = ArchiveRecord._meta.db_table


@pytest.fixture
def records(dossier, world):
    archive(world.other_dossier, b"untouched", kind=Kind.OTHER, filename="autre.txt")
    return [
        archive(dossier, f"<Invoice>{n}</Invoice>".encode(), kind=Kind.ORIGINAL_RECEIVED, filename=f"FA-{n}.xml")
        for n in range(1, 6)
    ]


def raw(sql, params=()):
    with write_once_suspended() as cursor:
        cursor.execute(sql, params)


def only_break(dossier):
    result = verify_chain(dossier)
    assert not result.ok
    assert len(result.breaks) == 1
    return result.first_break


def test_an_intact_archive_verifies(records, dossier):
    result = verify_chain(dossier)
    assert result.ok and result.first_break is None
    assert (result.dossiers_checked, result.records_checked) == (1, 5)
    everything = verify_chain()
    assert everything.ok
    assert (everything.dossiers_checked, everything.records_checked) == (2, 6)


def test_a_changed_content_byte_is_detected(records, dossier, archive_dir):
    path = archive_dir / records[2].storage_name
    os.chmod(path, 0o640)
    content = bytearray(path.read_bytes())
    content[10] ^= 0x01
    path.write_bytes(bytes(content))

    broken = only_break(dossier)
    assert (broken.sequence, broken.record_id, broken.reason) == (3, records[2].pk, Reason.CONTENT_CHANGED)
    assert "FA-3.xml" in str(broken)


def test_a_missing_file_is_detected(records, dossier, archive_dir):
    (archive_dir / records[1].storage_name).unlink()
    broken = only_break(dossier)
    assert (broken.sequence, broken.reason) == (2, Reason.CONTENT_MISSING)


def test_content_check_can_be_left_out(records, dossier, archive_dir):
    (archive_dir / records[1].storage_name).unlink()
    assert verify_chain(dossier, check_content=False).ok


@pytest.mark.parametrize("column, value", [
    ("filename", "FA-999.xml"),
    ("kind", Kind.OTHER.value),
    ("sha256", "0" * 64),
    ("size", 1),
    ("period", "2020-01-01"),
    ("reference_pk", "7"),
])
def test_a_changed_metadata_field_is_detected(records, dossier, column, value):
    raw(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", [value, records[3].pk])
    broken = only_break(dossier)
    assert (broken.sequence, broken.record_id, broken.reason) == (4, records[3].pk, Reason.METADATA_CHANGED)


def test_a_changed_record_with_its_hash_recomputed_breaks_the_next_link(records, dossier):
    forged = ArchiveRecord.objects.get(pk=records[1].pk)
    forged.filename = "FA-forged.xml"
    raw(f"UPDATE {TABLE} SET filename = %s, chain_hash = %s WHERE id = %s",
        [forged.filename, forged.compute_chain_hash(), forged.pk])
    broken = only_break(dossier)
    assert (broken.sequence, broken.reason) == (3, Reason.LINK_BROKEN)


def test_a_removed_record_is_detected(records, dossier):
    raw(f"DELETE FROM {TABLE} WHERE id = %s", [records[2].pk])
    broken = only_break(dossier)
    assert (broken.sequence, broken.record_id, broken.reason) == (3, records[3].pk, Reason.RECORD_MISSING)
    assert "3" in broken.message


def test_a_removed_record_hidden_by_renumbering_is_detected(records, dossier):
    raw(f"DELETE FROM {TABLE} WHERE id = %s", [records[2].pk])
    for record in records[3:]:
        raw(f"UPDATE {TABLE} SET sequence = %s WHERE id = %s", [record.sequence - 1, record.pk])
    broken = only_break(dossier)
    assert (broken.sequence, broken.record_id, broken.reason) == (3, records[3].pk, Reason.LINK_BROKEN)


def test_removed_records_at_the_end_are_detected(records, dossier):
    raw(f"DELETE FROM {TABLE} WHERE id IN (%s, %s)", [records[3].pk, records[4].pk])
    broken = only_break(dossier)
    assert (broken.sequence, broken.reason) == (4, Reason.TAIL_MISSING)
    assert "4" in broken.message and "5" in broken.message


def test_a_reordered_chain_is_detected(records, dossier):
    second, third = records[1], records[2]
    raw(f"UPDATE {TABLE} SET sequence = 999 WHERE id = %s", [second.pk])
    raw(f"UPDATE {TABLE} SET sequence = 2 WHERE id = %s", [third.pk])
    raw(f"UPDATE {TABLE} SET sequence = 3 WHERE id = %s", [second.pk])
    broken = only_break(dossier)
    assert (broken.sequence, broken.record_id, broken.reason) == (2, third.pk, Reason.REORDERED)


def test_a_chain_moved_to_another_dossier_is_detected(records, dossier, world):
    raw(f"DELETE FROM {TABLE} WHERE dossier_id = %s", [world.other_dossier.pk])
    raw(f"UPDATE {TABLE} SET dossier_id = %s WHERE dossier_id = %s", [world.other_dossier.pk, dossier.pk])
    broken = only_break(world.other_dossier)
    assert (broken.sequence, broken.reason) == (1, Reason.LINK_BROKEN)


def test_a_missing_chain_head_is_detected(records, dossier):
    ArchiveChainHead.objects.filter(dossier=dossier).delete()
    assert only_break(dossier).reason == Reason.HEAD_MISSING


def test_every_broken_dossier_is_named_and_intact_ones_are_not(records, dossier, world):
    raw(f"DELETE FROM {TABLE} WHERE id = %s", [records[0].pk])
    result = verify_chain()
    assert [(b.dossier_id, b.sequence, b.reason) for b in result.breaks] == [(dossier.pk, 1, Reason.RECORD_MISSING)]
    assert result.dossiers_checked == 2
