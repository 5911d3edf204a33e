import threading

import pytest
from django.db import connection, connections

from facturier.archive.models import ArchiveRecord, Kind
from facturier.archive.store import archive
from facturier.archive.verify import verify_chain

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between connections are a PostgreSQL matter"
)

THREADS = 4
APPENDS = 15


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_the_chain_gapless_and_intact(world):
    dossier = world.dossier
    start = threading.Barrier(THREADS)
    errors = []

    def append(worker):
        try:
            start.wait()
            for n in range(APPENDS):
                archive(dossier, f"{worker}-{n}".encode(), kind=Kind.LIFECYCLE, filename=f"{worker}-{n}.xml")
        except Exception as error:  # reported to the test thread below
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=append, args=(worker,)) for worker in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    sequences = list(ArchiveRecord.objects.filter(dossier=dossier).values_list("sequence", flat=True))
    assert sequences == list(range(1, THREADS * APPENDS + 1))
    result = verify_chain(dossier)
    assert result.ok, result.first_break
    assert result.records_checked == THREADS * APPENDS
