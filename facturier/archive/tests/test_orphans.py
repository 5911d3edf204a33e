"""Files written whole, and what a crash leaves behind found and dealt with."""

import datetime
import hashlib
import os
import time

import pytest

from facturier.archive import checkpoint, orphans, storage
from facturier.archive.models import ArchiveRecord, Kind
from facturier.archive.store import archive, open_content
from facturier.archive.tests.test_command import run

PDF = b"%PDF-1.7 facture FA-2026-001\n" * 100


def age(path, hours=2):
    past = time.time() - hours * 3600
    os.utime(path, (past, past))


def test_a_partial_file_left_at_the_final_name_does_not_block_a_later_archive(dossier, archive_dir):
    sha256 = hashlib.sha256(PDF).hexdigest()
    path = archive_dir / storage.object_name(sha256)
    path.parent.mkdir(parents=True)
    path.write_bytes(PDF[:40])  # what a crash mid-write used to leave
    os.chmod(path, 0o440)

    record = archive(dossier, PDF, kind=Kind.ORIGINAL_RECEIVED, filename="FA.pdf")

    assert open_content(record) == PDF
    assert os.stat(path).st_mode & 0o222 == 0
    assert list(os.listdir(path.parent)) == [sha256]


def test_a_write_that_fails_leaves_no_file_behind(dossier, archive_dir, monkeypatch):
    def crash(descriptor):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        archive(dossier, PDF, kind=Kind.OTHER, filename="FA.pdf")
    assert [files for _, _, files in os.walk(archive_dir) if files] == []
    assert not ArchiveRecord.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_orphan_files_are_listed_then_removed_and_verify_mentions_them(dossier, archive_dir, capsys, signing_key):
    kept = archive(dossier, b"kept", kind=Kind.OTHER, filename="kept.txt")
    checkpoint.make()
    for path in (archive_dir / "checkpoints").rglob("*.json"):
        age(path)
    storage.put("0" * 64, b"bytes whose record was never inserted")
    leftover = archive_dir / "aa" / "bb" / f"{storage.TEMPORARY_PREFIX}x1y2"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"half")
    for path in (archive_dir / storage.object_name("0" * 64), leftover, archive_dir / kept.storage_name):
        age(path)

    code, out, _ = run(capsys, "verify")
    assert code == 0 and "2 fichier(s) sans enregistrement" in out

    code, out, _ = run(capsys, "orphans")
    assert code == 1
    assert storage.object_name("0" * 64) in out and leftover.name in out and kept.sha256 not in out

    code, out, _ = run(capsys, "orphans", "--fix")
    assert code == 0 and "2 fichier(s) supprimé(s)" in out
    assert not leftover.exists() and not (archive_dir / storage.object_name("0" * 64)).exists()
    assert open_content(kept) == b"kept"
    assert run(capsys, "orphans")[:2] == (0, "Aucun orphelin.\n")
    assert checkpoint.latest_index(checkpoint.public_key()) is not None


@pytest.mark.django_db(transaction=True)
def test_a_fresh_file_is_an_upload_in_flight_not_an_orphan(dossier, capsys):
    storage.put("1" * 64, b"being archived right now")
    assert run(capsys, "orphans")[0] == 0


@pytest.mark.django_db(transaction=True)
def test_a_record_nothing_refers_to_and_nobody_adopts_stays_listed(dossier, capsys, monkeypatch):
    monkeypatch.setattr(orphans, "GRACE", datetime.timedelta(0))
    lonely = archive(dossier, b"export", kind=Kind.EXPORT, filename="export.txt")
    archive(dossier, b"linked", kind=Kind.LIFECYCLE, filename="cdar.xml", reference=("invoices", "invoice", 1))

    code, out, _ = run(capsys, "orphans")
    assert code == 1 and "n° 1, export.txt" in out and "cdar.xml" not in out
    code, _, err = run(capsys, "orphans", "--fix")
    assert code == 1 and "1 fichier(s) archivé(s) restent sans objet" in err
    assert ArchiveRecord.objects.filter(pk=lonely.pk).exists()
