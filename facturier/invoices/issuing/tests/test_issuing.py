"""Issuing: totals as EN 16931 computes them, every French VAT category, outputs the engine accepts,
invalid invoices refused before they get a number, credit notes referencing their invoice."""

from decimal import Decimal

import pytest
from django.core import mail

from einvoice.read import read_invoice
from einvoice.validate import validate
from facturier.archive.models import ArchiveRecord, Kind
from facturier.archive.store import open_content
from facturier.exchange.tests.support import committed, customer, draft, issued_invoice
from facturier.invoices.issuing import issue as issuing
from facturier.invoices.issuing.document import build_document
from facturier.invoices.issuing.errors import place_errors
from facturier.invoices.models import (
    DeliveryState,
    InvoiceState,
    LifecycleEvent,
    NumberSequence,
)
from facturier.invoices.signals import invoice_issued
from facturier.invoices.usage import monthly_usage


def line(description="Conseil", quantity="1", price="100", vat="S:20", unit="C62", **extra):
    return {"description": description, "quantity": quantity, "unit": unit, "unit_price": price, "vat": vat,
            **extra}


def test_totals_are_rounded_per_line_and_per_vat_group(seller_world):
    buyer = customer(seller_world.active)
    document = build_document(draft(buyer, lines=[
        line(quantity="3", price="33.335"),                  # 100.005 -> 100.01
        line(quantity="1", price="10.99", vat="S:5.5"),      # VAT 0.60445 -> 0.60
        line(quantity="2.5", price="19.99", vat="S:10"),     # 49.975 -> 49.98
    ], adjustments=[{"kind": "allowance", "reason": "Remise", "amount": "10.00", "vat": "S:20"},
                    {"kind": "charge", "reason": "Port", "amount": "5.50", "vat": "S:20"}]),
        dossier=seller_world.active, customer=buyer)
    totals = document.totals
    assert [line.net_amount for line in document.lines] == [Decimal("100.01"), Decimal("10.99"), Decimal("49.98")]
    assert totals.line_total == Decimal("160.98")
    assert totals.tax_exclusive == Decimal("156.48")
    vat = {(v.category, v.rate): (v.taxable_amount, v.tax_amount) for v in document.vat_breakdown}
    assert vat[("S", Decimal("20"))] == (Decimal("95.51"), Decimal("19.10"))
    assert vat[("S", Decimal("5.5"))] == (Decimal("10.99"), Decimal("0.60"))
    assert vat[("S", Decimal("10"))] == (Decimal("49.98"), Decimal("5.00"))
    assert totals.tax_total == Decimal("24.70")
    assert totals.payable == Decimal("181.18")


def test_a_draft_keeps_the_form_and_its_totals_without_a_number(seller_world):
    buyer = customer(seller_world.active)
    invoice = issuing.save_draft(seller_world.active, draft(buyer), customer=buyer)
    assert invoice.state == InvoiceState.DRAFT and invoice.number == ""
    assert invoice.total_incl_vat == Decimal("240.00") and invoice.draft["lines"][0]["unit"] == "HUR"
    assert not NumberSequence.objects.exists()


VAT_CASES = {
    "S:20": {},
    "S:10": {},
    "S:5.5": {},
    "S:2.1": {},
    "Z:0": {},
    "E:0": {"line": {"exemption_reason": "Exonération de TVA, article 261-4-4° du CGI"}},
    "AE:0": {},
    "K:0": {"header": {"delivery_address": "Hauptstraße 1", "delivery_city": "Berlin",
                       "delivery_postal_code": "10115", "delivery_country": "DE", "delivery_date": "2026-11-20"}},
    "G:0": {},
    "O:": {},
}


@pytest.mark.parametrize("vat", list(VAT_CASES))
def test_every_french_vat_category_issues_a_valid_invoice(seller_world, vat):
    case = VAT_CASES[vat]
    buyer = customer(seller_world.active, output_format="cii")
    invoice = issued_invoice(seller_world.active, buyer, lines=[line(vat=vat, **case.get("line", {}))],
                             **case.get("header", {}))
    content = open_content(invoice.original)
    assert validate(content, "fr").valid
    document = read_invoice(content)
    category, _sep, rate = vat.partition(":")
    [breakdown] = document.vat_breakdown
    assert breakdown.category == category
    assert breakdown.tax_amount == (Decimal("100") * Decimal(rate) / 100).quantize(Decimal("0.01")) if rate else True
    if category in ("E", "AE", "K", "G", "O"):
        assert breakdown.exemption_reason
    if category == "O":
        assert document.seller.vat_id is None and document.buyer.vat_id is None


@pytest.mark.parametrize("fmt, syntax, media_type", [
    ("facturx", "Factur-X", "application/pdf"), ("cii", "CII", "application/xml"), ("ubl", "UBL", "application/xml"),
])
def test_issued_original_in_the_customer_format_is_valid(seller_world, fmt, syntax, media_type):
    buyer = customer(seller_world.active, output_format=fmt)
    invoice = issued_invoice(seller_world.active, buyer)
    record = invoice.original
    assert record.kind == Kind.ORIGINAL_ISSUED and record.media_type == media_type
    assert record.filename == f"F2026-00001.{'pdf' if fmt == 'facturx' else 'xml'}"
    report = validate(open_content(record), "fr")
    assert report.valid, report.as_dict()
    assert report.syntax == syntax
    document = read_invoice(open_content(record))
    assert document.number == "F2026-00001" and document.business_process == "S1"
    assert document.seller.legal_registration.value == seller_world.active.siren
    assert document.seller.legal_registration.scheme == "0002"
    assert (document.seller.electronic_address.value, document.seller.electronic_address.scheme) == (
        seller_world.active.siren, "0225")
    assert document.buyer.legal_registration.value == buyer.siren
    assert document.buyer.electronic_address.value == buyer.siren
    assert {note.subject_code for note in document.notes} == {"PMT", "PMD", "AAB"}
    assert document.payment_instructions.credit_transfers[0].account_id == seller_world.active.iban
    assert invoice.syntax == syntax


def test_customer_without_a_format_gets_the_dossier_default(seller_world):
    seller_world.active.default_output_format = "ubl"
    seller_world.active.save()
    buyer = customer(seller_world.active, output_format="")
    invoice = issued_invoice(seller_world.active, buyer)
    assert invoice.syntax == "UBL"


def test_issuing_numbers_archives_records_200_and_announces_once_committed(seller_world,
                                                                          django_capture_on_commit_callbacks):
    buyer = customer(seller_world.active, output_format="cii")
    invoice = issuing.save_draft(seller_world.active, draft(buyer, vat_on_debits=True), customer=buyer)
    announced = []
    invoice_issued.connect(lambda sender, invoice, **kw: announced.append(invoice.number), weak=False,
                           dispatch_uid="test-announced")
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            issuing.issue(invoice)
        assert announced == []  # nothing announced before the commit
        invoice.refresh_from_db()
        assert invoice.delivery_state == DeliveryState.PENDING
        for callback in callbacks:
            callback()
    finally:
        invoice_issued.disconnect(dispatch_uid="test-announced")
    invoice.refresh_from_db()
    assert announced == ["F2026-00001"]
    assert invoice.state == InvoiceState.ISSUED and invoice.number == "F2026-00001"
    assert invoice.delivery_state == DeliveryState.DELIVERED and invoice.lifecycle_status == 200
    assert invoice.is_valid and invoice.buyer_siren == buyer.siren
    assert list(invoice.events.values_list("status", flat=True)) == [200]
    assert [(m.issued, m.received) for m in monthly_usage(seller_world.active)] == [(1, 0)]
    assert read_invoice(open_content(invoice.original)).tax_point_date_code == "3"  # VAT on debits (BT-8)


def test_an_issued_invoice_cannot_be_issued_again(seller_world):
    buyer = customer(seller_world.active, output_format="cii")
    invoice = issued_invoice(seller_world.active, buyer)
    with pytest.raises(issuing.IssuingError):
        issuing.issue(invoice)
    assert NumberSequence.objects.get().last_value == 1


def test_a_copy_loaded_before_the_issue_never_turns_the_invoice_back_into_a_draft(seller_world):
    buyer = customer(seller_world.active, output_format="cii")
    first_tab = issuing.save_draft(seller_world.active, draft(buyer), customer=buyer)
    second_tab = type(first_tab).objects.get(pk=first_tab.pk)  # loaded while it was still a draft
    with committed():
        issuing.issue(first_tab)

    with pytest.raises(issuing.AlreadyIssued):
        issuing.save_draft(seller_world.active, draft(buyer), customer=buyer, invoice=second_tab)
    with pytest.raises(issuing.AlreadyIssued):
        issuing.issue(second_tab)

    first_tab.refresh_from_db()
    assert (first_tab.state, first_tab.number) == (InvoiceState.ISSUED, "F2026-00001")
    assert NumberSequence.objects.get().last_value == 1


def test_a_draft_saved_again_while_it_is_checked_is_not_issued(seller_world, monkeypatch):
    buyer = customer(seller_world.active, output_format="cii")
    invoice = issuing.save_draft(seller_world.active, draft(buyer), customer=buyer)
    checked = issuing.check

    def check_while_another_tab_saves(draft_invoice):
        issuing.save_draft(seller_world.active, draft(buyer, payment_terms="45 jours"), customer=buyer,
                           invoice=type(invoice).objects.get(pk=invoice.pk))
        return checked(draft_invoice)

    monkeypatch.setattr(issuing, "check", check_while_another_tab_saves)
    with pytest.raises(issuing.DraftChanged):
        issuing.issue(invoice)
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.DRAFT and invoice.draft["payment_terms"] == "45 jours"
    assert not NumberSequence.objects.filter(last_value__gt=0).exists()


def test_an_invalid_invoice_is_refused_with_its_errors_placed_on_the_form(seller_world):
    buyer = customer(seller_world.active, output_format="cii")
    data = draft(buyer, lines=[line(vat="K:0")])  # intra-EU supply without delivery country
    invoice = issuing.save_draft(seller_world.active, data, customer=buyer)
    with pytest.raises(issuing.InvoiceInvalid) as refused:
        issuing.issue(invoice)
    placed = place_errors(refused.value.report, data)
    assert any(finding.rule == "BR-IC-12" for finding in placed["delivery_address"])
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.DRAFT and invoice.number == "" and not invoice.is_valid
    assert invoice.validation["errors"]
    assert not ArchiveRecord.objects.exists() and not NumberSequence.objects.exists()
    assert not LifecycleEvent.objects.exists() and not mail.outbox


def test_credit_note_references_the_invoice_it_corrects(seller_world):
    buyer = customer(seller_world.active, output_format="ubl")
    invoice = issued_invoice(seller_world.active, buyer)
    credit = issuing.save_draft(seller_world.active, issuing.credit_note_draft(invoice), customer=buyer,
                                preceding=invoice)
    assert credit.draft["lines"] == invoice.draft["lines"]
    issuing.issue(credit)
    credit.refresh_from_db()
    assert credit.is_credit_note and credit.type_code == "381" and credit.preceding_invoice == invoice
    assert credit.number == "F2026-00002"
    content = open_content(credit.original)
    assert validate(content, "fr").valid
    document = read_invoice(content)
    assert document.type_code == "381"
    assert [(p.number, p.issue_date) for p in document.preceding_invoices] == [(invoice.number, invoice.issue_date)]
    assert b"<CreditNote" in content
