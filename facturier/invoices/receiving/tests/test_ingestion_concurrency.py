"""Two uploads of the same invoice at the same moment: one invoice, one DOUBLON (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from facturier.invoices.models import Invoice
from facturier.invoices.receiving.intake import receive_file
from facturier.invoices.receiving.tests.receiving_samples import purchase_cii, purchase_ubl
from facturier.testing.world import build_world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("offline_registry")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.parametrize("round_", range(3))
def test_concurrent_uploads_of_one_invoice(round_):
    world = build_world()
    dossier = world.active
    payloads = [purchase_cii(dossier.siren), purchase_ubl(dossier.siren)]
    start, outcomes, errors = threading.Barrier(2), [], []

    def upload(data):
        try:
            start.wait()
            outcomes.append(receive_file(dossier, "f.xml", data).outcome)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upload, args=(data,)) for data in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == ["accepted", "duplicate"]
    assert Invoice.objects.filter(dossier=dossier).count() == 1


UPLOADERS = 12


def test_simultaneous_identical_uploads_give_one_acceptance_and_doublons():
    """The same file uploaded from twelve tabs at once: one invoice, eleven DOUBLON, never an error."""
    world = build_world()
    dossier = world.active
    # A few megabytes, so each upload is still writing its copy while the others start theirs.
    data = purchase_cii(dossier.siren).replace(b"?>", b"?><!--" + b" " * 4_000_000 + b"-->", 1)
    start, outcomes, errors = threading.Barrier(UPLOADERS), [], []

    def upload():
        try:
            start.wait()
            outcomes.append(receive_file(dossier, "f.xml", data).outcome)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upload) for _ in range(UPLOADERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == ["accepted"] + ["duplicate"] * (UPLOADERS - 1)
    assert Invoice.objects.filter(dossier=dossier).count() == 1
