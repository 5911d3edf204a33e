"""Someone with database access cuts a chain short or recomputes it: the signed checkpoint shows it."""

import json
import shutil
import subprocess

import pytest
from django.db import DatabaseError, connection, transaction

from facturier.archive import checkpoint, storage, timestamping
from facturier.archive.chain import content_digest
from facturier.archive.models import ArchiveChainHead, ArchiveRecord, Kind
from facturier.archive.store import archive
from facturier.archive.testing import write_once_suspended
from facturier.archive.verify import Reason, verify_chain
from facturier.audit import models as audit
from facturier.audit.models import AuditEvent
from facturier.testing.tsa import PATH as TSA_PATH
from facturier.testing.tsa import TimeStampAuthority

TABLE = ArchiveRecord._meta.db_table
AUDIT_TABLE = AuditEvent._meta.db_table


@pytest.fixture
def records(dossier, world, signing_key):
    archive(world.other_dossier, b"untouched", kind=Kind.OTHER, filename="autre.txt")
    made = [archive(dossier, f"<Invoice>{n}</Invoice>".encode(), kind=Kind.ORIGINAL_RECEIVED,
                    filename=f"FA-{n}.xml") for n in range(1, 6)]
    for n in range(3):
        audit.record(None, audit.AuditAction.DOSSIER_SETTINGS_CHANGED, dossier=dossier, target=f"event {n}", n=n)
    checkpoint.make()
    return made


def raw(sql, params=()):
    with write_once_suspended() as cursor:
        cursor.execute(sql, params)


def test_an_untouched_archive_verifies_against_its_checkpoint(records, dossier):
    result = verify_chain()
    assert result.ok, (result.breaks, result.problems)
    assert result.checkpoint_at


def test_deleting_the_last_records_and_rolling_the_head_back_is_detected(records, dossier):
    raw(f"DELETE FROM {TABLE} WHERE id IN (%s, %s)", [records[3].pk, records[4].pk])
    ArchiveChainHead.objects.filter(dossier=dossier).update(last_sequence=3, last_hash=records[2].chain_hash)

    result = verify_chain(dossier)
    assert [(b.sequence, b.reason) for b in result.breaks] == [(4, Reason.TRUNCATED)]
    assert "4 à 5" in result.breaks[0].message


def test_rewriting_a_file_and_recomputing_the_chain_is_detected(records, dossier):
    forged = b"<Invoice>3, forged</Invoice>"
    storage.put(content_digest(forged), forged)
    previous_hash = records[1].chain_hash
    for record in ArchiveRecord.objects.filter(dossier=dossier, sequence__gte=3).order_by("sequence"):
        if record.sequence == 3:
            record.sha256, record.size = content_digest(forged), len(forged)
        record.previous_hash = previous_hash
        record.seal()
        raw(f"UPDATE {TABLE} SET sha256 = %s, size = %s, previous_hash = %s, chain_hash = %s WHERE id = %s",
            [record.sha256, record.size, record.previous_hash, record.chain_hash, record.pk])
        previous_hash = record.chain_hash
    ArchiveChainHead.objects.filter(dossier=dossier).update(last_hash=previous_hash)

    result = verify_chain(dossier)
    assert [(b.sequence, b.reason) for b in result.breaks] == [(5, Reason.RECOMPUTED)]


def test_a_changed_checkpoint_fails_its_signature(records, dossier, archive_dir):
    path = archive_dir / checkpoint.latest_name(checkpoint.INDEX_DIRECTORY)
    envelope = json.loads(path.read_bytes())
    envelope["statement"]["dossiers"][str(dossier.pk)]["sequence"] = 3
    path.chmod(0o640)
    path.write_text(json.dumps(envelope))

    result = verify_chain()
    assert not result.ok
    assert any("signature" in problem for problem in result.problems)


def test_a_checkpoint_signed_by_another_key_is_refused(records, settings, tmp_path):
    settings.ARCHIVE_SIGNING_KEY_FILE = str(checkpoint.generate_key_file(tmp_path / "other.pem"))
    assert any("signature" in problem for problem in verify_chain().problems)


def test_a_dossier_statement_is_signed_for_its_people(records, dossier, archive_dir):
    envelope = json.loads((archive_dir / checkpoint.latest_for_dossier(dossier.pk)).read_bytes())
    statement = checkpoint.open_signed(envelope, checkpoint.public_key())
    assert (statement["dossier"], statement["sequence"], statement["hash"]) == (
        dossier.pk, 5, records[4].chain_hash)


def test_a_checkpoint_needs_a_key(db, settings):
    settings.ARCHIVE_SIGNING_KEY_FILE = ""
    with pytest.raises(checkpoint.CheckpointError):
        checkpoint.make()


# The audit trail


def test_an_edited_audit_row_is_detected(records):
    event = AuditEvent.objects.get(target="event 1")
    raw(f"UPDATE {AUDIT_TABLE} SET target = 'event x' WHERE id = %s", [event.pk])
    assert any(f"n° {event.sequence}" in problem for problem in verify_chain().problems)


def test_deleting_the_last_audit_events_and_the_head_is_detected(records):
    last = AuditEvent.objects.order_by("-sequence").first()
    raw(f"DELETE FROM {AUDIT_TABLE} WHERE id = %s", [last.pk])
    previous = AuditEvent.objects.get(sequence=last.sequence - 1)
    audit.AuditChainHead.objects.filter(pk=1).update(last_sequence=previous.sequence, last_hash=previous.chain_hash)
    assert any("ont disparu" in problem for problem in verify_chain().problems)


def test_the_database_refuses_to_change_or_delete_an_audit_event(records):
    event = AuditEvent.objects.first()
    for sql in (f"UPDATE {AUDIT_TABLE} SET target = 'x' WHERE id = %s", f"DELETE FROM {AUDIT_TABLE} WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).target == event.target


def test_deleting_a_user_still_nulls_its_events_and_the_trail_verifies(records, world):
    audit.record(world.unassigned_staff, audit.AuditAction.ARCHIVE_DOWNLOADED)
    world.unassigned_staff.delete()
    assert AuditEvent.objects.get(action=audit.AuditAction.ARCHIVE_DOWNLOADED).actor_id is None
    assert audit.first_break() is None


# RFC 3161 time-stamps, from a local time-stamping authority


@pytest.fixture
def tsa(http_stub, settings):
    authority = TimeStampAuthority(http_stub)
    settings.ARCHIVE_TSA_URL = http_stub.url + TSA_PATH
    return authority


def test_a_checkpoint_is_time_stamped_by_the_authority(records, tsa, archive_dir):
    checkpoint.make()
    name = checkpoint.latest_name(checkpoint.INDEX_DIRECTORY)
    token = (archive_dir / f"{name}.tsr").read_bytes()
    info = timestamping.check(token, (archive_dir / name).read_bytes())
    assert info["serial_number"] == tsa.issued == 1
    assert checkpoint.check_timestamp(name) == info["gen_time"]
    assert verify_chain().ok


def test_a_checkpoint_rewritten_after_its_time_stamp_is_detected(records, tsa, archive_dir):
    checkpoint.make()
    path = archive_dir / checkpoint.latest_name(checkpoint.INDEX_DIRECTORY)
    path.chmod(0o640)
    path.write_bytes(path.read_bytes().replace(b'"statement"', b' "statement"'))  # still validly signed
    problems = verify_chain().problems
    assert any("horodatage" in problem for problem in problems)


def test_a_refusing_authority_leaves_the_signed_checkpoint_and_says_so(records, tsa):
    tsa.refusing = True
    with pytest.raises(timestamping.TimestampError):
        checkpoint.make()
    assert checkpoint.latest_index(checkpoint.public_key()) is not None


@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl is not installed")
def test_the_time_stamp_verifies_with_openssl(records, tsa, archive_dir, tmp_path):
    checkpoint.make()
    name = archive_dir / checkpoint.latest_name(checkpoint.INDEX_DIRECTORY)
    (tmp_path / "tsa.pem").write_bytes(tsa.certificate_pem)
    result = subprocess.run(["openssl", "ts", "-verify", "-data", str(name), "-in", f"{name}.tsr", "-token_in",
                             "-CAfile", str(tmp_path / "tsa.pem")], capture_output=True, text=True)
    assert "Verification: OK" in result.stdout, result.stderr


def test_events_recorded_together_join_the_chain_in_order(records, dossier):
    imported = audit.AuditAction.DOSSIERS_IMPORTED
    events = audit.record_many([AuditEvent(action=imported, dossier=dossier, target=str(n)) for n in range(3)])
    assert [event.sequence for event in events] == [4, 5, 6]
    assert audit.first_break() is None


def test_an_event_written_around_the_chain_is_reported(records):
    AuditEvent.objects.create(action="test.sneaked_in")
    assert any("unchained" in problem for problem in verify_chain().problems)


def test_a_dossier_removed_with_its_whole_archive_is_detected(records, world):
    other, pk = world.other_dossier, world.other_dossier.pk
    raw(f"DELETE FROM {TABLE} WHERE dossier_id = %s", [pk])
    ArchiveChainHead.objects.filter(dossier=other).delete()
    other.delete()
    assert any(f"dossier n° {pk} " in problem for problem in verify_chain().problems)


def test_no_checkpoint_seals_a_truncated_chain(records, dossier):
    raw(f"DELETE FROM {TABLE} WHERE id = %s", [records[4].pk])
    ArchiveChainHead.objects.filter(dossier=dossier).update(last_sequence=4, last_hash=records[3].chain_hash)
    with pytest.raises(checkpoint.ChainDiverged) as refused:
        checkpoint.make()
    assert refused.value.chains == [f"dossier {dossier.pk}"]
    assert [b.reason for b in verify_chain(dossier).breaks] == [Reason.TRUNCATED]


def test_no_checkpoint_seals_a_rewritten_audit_trail(records):
    last = AuditEvent.objects.order_by("-sequence").first()
    raw(f"UPDATE {AUDIT_TABLE} SET chain_hash = %s WHERE id = %s", ["0" * 64, last.pk])
    with pytest.raises(checkpoint.ChainDiverged) as refused:
        checkpoint.make()
    assert refused.value.chains == ["audit"]
