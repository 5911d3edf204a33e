"""Exporting moves invoices from "Attente intégration" to "Intégrée"; undo moves them back."""

import datetime
import hashlib

import pytest
from django.utils import timezone

from facturier.archive.models import Kind
from facturier.archive.store import open_content
from facturier.audit.models import AuditEvent
from facturier.invoices.models import Direction, InvoiceState
from facturier.ledger.booking import awaiting_integration
from facturier.ledger.exports import export_fiscal_year, export_pending, undo_last_export
from facturier.ledger.models import Entry, Export
from facturier.ledger.tests.conftest import document, line, receive, row, supplier

pytestmark = pytest.mark.django_db


def test_pending_lists_approved_purchases_and_issued_sales_only(dossier, world):
    approved = row(dossier, "P-OK")
    row(dossier, "P-WAIT", approved_at=None)
    issued = row(dossier, "S-OK", direction=Direction.SALES)
    row(dossier, "", direction=Direction.SALES, state=InvoiceState.DRAFT)
    row(dossier, "P-DONE", integrated_at=timezone.now())
    row(world.own, "OTHER-DOSSIER")
    assert set(awaiting_integration(dossier)) == {approved, issued}


def test_export_books_marks_archives_and_records(dossier, world):
    user = world.user("staff_assigned")
    invoices = [row(dossier, f"P-{n}") for n in range(3)] + [row(dossier, "S-1", direction=Direction.SALES)]
    assert awaiting_integration(dossier).count() == 4

    export = export_pending(dossier, user)

    assert awaiting_integration(dossier).count() == 0  # the counter drops
    assert Entry.objects.filter(dossier=dossier).count() == 4
    assert set(export.invoices.all()) == set(invoices)
    assert export.created_by == user and export.scope == "pending"
    content = open_content(export.archived)
    assert export.archived.kind == Kind.EXPORT and export.archived.filename == export.filename
    assert export.sha256 == hashlib.sha256(content).hexdigest() == export.archived.sha256
    assert export.filename == "356000000FEC20261231.txt"
    assert (export.period_start, export.period_end) == (datetime.date(2026, 3, 14),) * 2
    assert content.count(b"\r\n") == 1 + 12 == export.line_count + 1 and export.entry_count == 4
    assert AuditEvent.objects.filter(action="ledger_exported", dossier=dossier, actor=user).exists()
    assert export_pending(dossier, user) is None  # nothing left


def test_a_second_export_holds_only_the_new_invoices(dossier):
    row(dossier, "FIRST")
    export_pending(dossier, None)
    row(dossier, "SECOND")
    second = export_pending(dossier, None)
    text = open_content(second.archived).decode("iso-8859-15")
    assert "SECOND" in text and "FIRST" not in text
    assert [i.number for i in second.invoices.all()] == ["SECOND"]


def test_undo_moves_exactly_the_last_exports_invoices_back(dossier, world):
    row(dossier, "FIRST")
    first = export_pending(dossier, None)
    row(dossier, "SECOND")
    second = export_pending(dossier, None)

    undone = undo_last_export(dossier, world.user("admin"))

    assert undone == second and undone.undone_by == world.user("admin") and undone.undone_at
    assert [i.number for i in awaiting_integration(dossier)] == ["SECOND"]  # FIRST stays integrated
    assert undo_last_export(dossier, None) is None  # only the last export, once
    assert Export.objects.get(pk=first.pk).undone_at is None
    # Exported again, the invoice is in a new export.
    again = export_pending(dossier, None)
    assert [i.number for i in again.invoices.all()] == ["SECOND"]


def test_undo_with_no_export_does_nothing(dossier):
    assert undo_last_export(dossier, None) is None


def test_fiscal_year_export_integrates_the_years_invoices_and_keeps_others_waiting(dossier):
    row(dossier, "IN-2026", issue_date=datetime.date(2026, 6, 1))
    row(dossier, "IN-2027", issue_date=datetime.date(2027, 1, 2))
    export = export_fiscal_year(dossier, 2026, None)
    assert [i.number for i in export.invoices.all()] == ["IN-2026"]
    assert [i.number for i in awaiting_integration(dossier)] == ["IN-2027"]
    # Exported again, the year's FEC still holds its (already integrated) entries, and integrates nothing new.
    again = export_fiscal_year(dossier, 2026, None)
    assert again.entry_count == 1 and again.invoices.count() == 0


def test_an_unbookable_invoice_stays_waiting_and_the_rest_is_exported(dossier):
    from facturier.archive.store import archive

    broken = row(dossier, "BROKEN")
    broken.original = archive(dossier, b"garbage", kind=Kind.ORIGINAL_RECEIVED, filename="broken.xml")
    broken.save()
    row(dossier, "GOOD")
    export = export_pending(dossier, None)
    assert [i.number for i in export.invoices.all()] == ["GOOD"]
    assert [i.number for i in awaiting_integration(dossier)] == ["BROKEN"]


def test_a_failed_export_marks_nothing(dossier, monkeypatch):
    row(dossier, "P-1")
    from facturier.ledger import exports

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(exports, "archive", fail)
    with pytest.raises(OSError, match="disk full"):
        export_pending(dossier, None)
    assert awaiting_integration(dossier).count() == 1 and not Export.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_invoice_is_booked_when_it_becomes_eligible(dossier, world):
    from facturier.invoices.decisions import decide

    invoice = receive(dossier, document("FA-100", [line("1", "80.00")]), supplier(dossier), approved=False)
    invoice.save()
    assert not Entry.objects.filter(invoice=invoice).exists()
    decide(invoice, world.people["client"], 205, confirmed=True)  # approved: the buyer's decision
    entry = Entry.objects.get(invoice=invoice)
    assert entry.lines.count() == 3 and entry.journal == "AC"


def test_counter_annotation_for_the_client_list(dossier, world):
    from facturier.dossiers.models import Dossier
    from facturier.ledger.booking import awaiting_integration_count

    row(dossier, "P-1")
    row(dossier, "S-1", direction=Direction.SALES)
    row(dossier, "P-2", approved_at=None)
    counts = dict(Dossier.objects.annotate(n=awaiting_integration_count()).values_list("pk", "n"))
    assert counts[dossier.pk] == 2 and counts[world.own.pk] == 0
    export_pending(dossier, None)
    assert Dossier.objects.annotate(n=awaiting_integration_count()).get(pk=dossier.pk).n == 0
