"""Two "Exporter" (or two "Annuler l'export") at the same moment: one export, one undo (PostgreSQL)."""

import pytest
from django.db import connection

from facturier.invoices.models import Invoice
from facturier.ledger.exports import export_pending, undo_last_export
from facturier.ledger.models import Export
from facturier.ledger.tests.conftest import row
from facturier.testing.concurrency import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]


@pytest.mark.parametrize("round_", range(3))
def test_concurrent_exports_export_once(world, round_):
    dossier = world.active
    invoices = [row(dossier, f"P-{n}") for n in range(5)]

    results, errors = at_once(lambda _index: export_pending(dossier, None), 4)

    assert errors == []
    exports = [export for export in results if export is not None]
    assert len(exports) == 1 and Export.objects.count() == 1
    assert set(exports[0].invoices.all()) == set(invoices)
    assert Invoice.objects.filter(integrated_at=exports[0].created_at).count() == 5


def test_concurrent_undos_undo_once(world):
    dossier = world.active
    row(dossier, "FIRST")
    first = export_pending(dossier, None)
    row(dossier, "SECOND")
    export_pending(dossier, None)

    results, errors = at_once(lambda _index: undo_last_export(dossier, None), 4)

    assert errors == []
    assert len([undone for undone in results if undone is not None]) == 1
    assert Export.objects.filter(undone_at__isnull=False).count() == 1
    assert Invoice.objects.get(number="FIRST").integrated_at == first.created_at
    assert Invoice.objects.get(number="SECOND").integrated_at is None
