"""``facturier export-fec --dossier SIREN --fiscal-year YYYY -o PATH``."""

import pytest

from facturier.cli import main
from facturier.ledger.booking import awaiting_integration
from facturier.ledger.models import Export
from facturier.ledger.tests.conftest import row
from facturier.testing.world import make_dossier

# The command line closes the database connections when it is done, as a real run does.
pytestmark = pytest.mark.django_db(transaction=True)


def run(capsys, *args):
    try:
        main(["export-fec", *args])
    except SystemExit as exit_info:
        code = exit_info.code
    else:
        code = 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_writes_the_fec_into_a_directory_under_its_legal_name(world, tmp_path, capsys):
    row(world.active, "P-1")
    code, out, err = run(capsys, "--dossier", "356000000", "--fiscal-year", "2026", "-o", str(tmp_path))
    assert (code, err) == (0, "")
    written = tmp_path / "356000000FEC20261231.txt"
    content = written.read_bytes()
    assert content.startswith(b"JournalCode\tJournalLib\tEcritureNum\t") and content.count(b"\r\n") == 4
    export = Export.objects.get()
    assert f"{written} : 1 écritures, 3 lignes, exercice du 01/01/2026 au 31/12/2026, SHA-256 {export.sha256}" in out
    assert export.created_by is None and export.scope == "fiscal_year"
    assert awaiting_integration(world.active).count() == 0


def test_writes_to_the_given_file(world, tmp_path, capsys):
    target = tmp_path / "fec.txt"
    code, _, _ = run(capsys, "--dossier", "356 000 000", "--fiscal-year", "2026", "--output", str(target))
    assert code == 0 and target.read_bytes().count(b"\r\n") == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--dossier", "999999999", "--fiscal-year", "2026"], "Aucun dossier avec le SIREN 999999999."),
    (["--dossier", "356000000", "--fiscal-year", "12"], "Exercice invalide : 12."),
])
def test_usage_errors_exit_2(world, tmp_path, capsys, args, message):
    code, _, err = run(capsys, *args, "-o", str(tmp_path))
    assert code == 2 and message in err
    assert not Export.objects.exists() and list(tmp_path.iterdir()) == []


def test_an_existing_file_is_never_overwritten(world, tmp_path, capsys):
    target = tmp_path / "fec.txt"
    target.write_text("précieux")
    code, _, err = run(capsys, "--dossier", "356000000", "--fiscal-year", "2026", "-o", str(target))
    assert code == 2 and "existe déjà" in err and target.read_text() == "précieux"
    assert not Export.objects.exists()


def test_unwritable_path_exits_2(world, tmp_path, capsys):
    code, _, err = run(capsys, "--dossier", "356000000", "--fiscal-year", "2026",
                       "-o", str(tmp_path / "missing" / "fec.txt"))
    assert code == 2 and "Impossible d'écrire" in err


def test_a_siren_kept_by_two_firms_needs_the_firm(world, tmp_path, capsys):
    make_dossier(world.foreign_firm, "Société Active bis", "356000000")
    code, _, err = run(capsys, "--dossier", "356000000", "--fiscal-year", "2026", "-o", str(tmp_path))
    assert code == 2 and "--firm" in err
    code, _, _ = run(capsys, "--dossier", "356000000", "--firm", world.firm.siren, "--fiscal-year", "2026",
                     "-o", str(tmp_path))
    assert code == 0 and Export.objects.get().dossier == world.active


def test_missing_arguments_exit_2(world, capsys):
    code, _, err = run(capsys)
    assert code == 2 and "--dossier" in err and "--fiscal-year" in err
