"""A server stopped between archiving an upload and filing it: `facturier archive orphans --fix` files it."""

import datetime
import hashlib

import pytest

from facturier.archive import orphans, storage
from facturier.archive.models import Kind
from facturier.archive.store import archive, open_content
from facturier.archive.tests.test_command import run
from facturier.invoices.models import IncomingFile, Invoice
from facturier.invoices.receiving.intake import receive_file
from facturier.invoices.receiving.tests.receiving_samples import purchase_cii
from facturier.testing.world import build_world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("offline_registry")]


def test_an_original_archived_by_an_interrupted_upload_is_adopted(capsys, monkeypatch):
    monkeypatch.setattr(orphans, "GRACE", datetime.timedelta(0))
    dossier = build_world().active
    data = purchase_cii(dossier.siren)
    # What the intake had done when the server was killed: archived, not yet filed.
    record = archive(dossier, data, kind=Kind.ORIGINAL_RECEIVED, filename="F2026-0042.xml")

    code, out, _ = run(capsys, "verify")
    assert code == 0 and "1 fichier(s) archivé(s) sans objet" in out
    code, out, _ = run(capsys, "orphans", "--fix")

    assert code == 0 and "1 fichier(s) archivé(s) rattaché(s)" in out
    incoming = IncomingFile.objects.get(archived=record)
    assert incoming.outcome == IncomingFile.Outcome.ACCEPTED and incoming.received_at == record.created_at
    assert incoming.invoice.original == record and incoming.invoice.number == "F2026-0042"
    assert run(capsys, "orphans")[0] == 0
    # The same file uploaded again is the DOUBLON it is.
    assert receive_file(dossier, "F2026-0042.xml", data).outcome == IncomingFile.Outcome.DUPLICATE
    assert Invoice.objects.filter(dossier=dossier).count() == 1


def test_a_partial_file_left_by_a_crash_does_not_break_a_later_upload(archive_dir):
    dossier = build_world().active
    data = purchase_cii(dossier.siren)
    record_path = archive_dir / storage.object_name(hashlib.sha256(data).hexdigest())
    record_path.parent.mkdir(parents=True)
    record_path.write_bytes(data[: len(data) // 2])

    incoming = receive_file(dossier, "F2026-0042.xml", data)

    assert incoming.outcome == IncomingFile.Outcome.ACCEPTED
    assert open_content(incoming.archived) == data
