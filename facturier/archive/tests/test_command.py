import pytest

from facturier.archive.models import ArchiveChainHead, ArchiveRecord, Kind
from facturier.archive.store import archive
from facturier.archive.testing import write_once_suspended
from facturier.audit.models import AuditEvent
from facturier.cli import main

TABLE = ArchiveRecord._meta.db_table
# The command line closes the database connections when it is done, as a real run does.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def records(dossier, world):
    archive(world.other_dossier, b"autre", kind=Kind.OTHER, filename="autre.txt")
    return [archive(dossier, f"{n}".encode(), kind=Kind.GENERATED, filename=f"doc-{n}.pdf") for n in range(1, 4)]


def run(capsys, *args):
    """The real command line, as `facturier archive ...` runs it."""
    try:
        main(["archive", *args])
    except SystemExit as exit_info:
        code = exit_info.code
    else:
        code = 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_intact_archive_exits_0(records, capsys):
    code, out, _ = run(capsys, "verify")
    assert code == 0
    assert "Archive intacte" in out and "4 enregistrements" in out
    assert AuditEvent.objects.get(action="archive_verified").detail["ok"] is True


def test_one_dossier_by_siren(records, dossier, capsys):
    code, out, _ = run(capsys, "verify", "--dossier", dossier.siren)
    assert code == 0
    assert "3 enregistrements" in out


def test_broken_archive_exits_1_naming_the_first_broken_record(records, dossier, capsys):
    with write_once_suspended() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET filename = 'faux.pdf' WHERE id = %s", [records[1].pk])
    code, _, err = run(capsys, "verify")
    assert code == 1
    assert "Archive altérée" in err
    assert f"SIREN {dossier.siren}" in err and "n° 2" in err and "metadata_changed" in err
    assert AuditEvent.objects.get(action="archive_verified").detail["ok"] is False


def test_other_dossier_still_verifies_when_one_is_broken(records, world, capsys):
    with write_once_suspended() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [records[0].pk])
    assert run(capsys, "verify", "--dossier", world.other_dossier.siren)[0] == 0
    assert run(capsys, "verify", "--dossier", world.dossier.siren)[0] == 1


def test_unknown_siren_exits_2(records, capsys):
    code, _, err = run(capsys, "verify", "--dossier", "999999999")
    assert code == 2
    assert "999999999" in err


@pytest.mark.parametrize("args", [[], ["repair"], ["verify", "--bogus"]])
def test_usage_errors_exit_2(db, capsys, args):
    assert run(capsys, *args)[0] == 2


def test_checkpoint_then_verify_against_it(records, dossier, capsys, settings, tmp_path):
    code, out, _ = run(capsys, "keygen", str(tmp_path / "key.pem"))
    assert code == 0 and (tmp_path / "key.pem").exists()
    settings.ARCHIVE_SIGNING_KEY_FILE = str(tmp_path / "key.pem")
    code, out, _ = run(capsys, "checkpoint")
    assert code == 0 and "2 dossier(s)" in out

    code, out, _ = run(capsys, "verify")
    assert code == 0 and "point de contrôle signé du" in out
    with write_once_suspended() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [records[2].pk])
    ArchiveChainHead.objects.filter(dossier=dossier).update(last_sequence=2, last_hash=records[1].chain_hash)
    code, _, err = run(capsys, "verify")
    assert code == 1 and "truncated" in err and "n° 3" in err
    code, _, err = run(capsys, "checkpoint")
    assert code == 1 and "Point de contrôle refusé" in err and f"dossier {dossier.pk}" in err


def test_checkpoint_without_a_key_is_a_usage_error(records, capsys, settings):
    settings.ARCHIVE_SIGNING_KEY_FILE = ""
    code, _, err = run(capsys, "checkpoint")
    assert code == 2 and "FACTURIER_ARCHIVE_SIGNING_KEY_FILE" in err


def test_verify_says_when_no_checkpoint_backs_it(records, capsys, settings):
    settings.ARCHIVE_SIGNING_KEY_FILE = ""
    assert "Aucun point de contrôle signé" in run(capsys, "verify")[1]
