"""Reports built from a realistic dossier validate against the official XSD and rules; wrong data are refused
with the rule that catches them, shown next to what caused them; rebuilding after sending rectifies."""

import datetime
from decimal import Decimal

import pytest
from lxml import etree

from einvoice.ereporting import validate
from facturier.dossiers.models import ServicesVatBasis
from facturier.ereporting.building import build
from facturier.ereporting.calendar import Family, period_of
from facturier.ereporting.gathering import kinds_for
from facturier.ereporting.models import InvoiceFacts, ReportKind, ReportStatus
from facturier.ereporting.sending import NotSendable, mark_sent, record_acknowledgement, send
from facturier.ereporting.tests.conftest import (
    b2c,
    domestic_sale,
    foreign_purchase,
    foreign_sale,
    paid,
    private_sale,
)

d = datetime.date
D = Decimal


def first_ten_days(dossier):
    return period_of(dossier.vat_regime, Family.TRANSACTIONS, d(2026, 3, 5))


def month(dossier):
    return period_of(dossier.vat_regime, Family.PAYMENTS, d(2026, 3, 5))


def test_profile_decides_the_reports(shop):
    assert kinds_for(shop) == [ReportKind.SALES, ReportKind.PURCHASES, ReportKind.PAYMENTS, ReportKind.B2C,
                               ReportKind.B2C_PAYMENTS]
    shop.services_vat_basis = ServicesVatBasis.DEBITS
    shop.sells_to_individuals = False
    assert kinds_for(shop) == [ReportKind.SALES, ReportKind.PURCHASES]
    shop.vat_regime = ""
    assert kinds_for(shop) == []


def test_foreign_sales_report_is_valid_and_leaves_domestic_invoices_out(shop):
    foreign_sale(shop, "F-2026-001", "1000", d(2026, 3, 2))
    foreign_sale(shop, "F-2026-002", "250.50", d(2026, 3, 9))
    foreign_sale(shop, "F-2026-003", "99", d(2026, 3, 12))  # next ten-day period
    domestic_sale(shop, "F-2026-004", "500", d(2026, 3, 3))

    report = build(shop, ReportKind.SALES, first_ten_days(shop))

    assert report.status == ReportStatus.READY, report.errors
    assert validate(report.xml).valid
    root = etree.fromstring(report.xml)
    assert [n.text for n in root.iterfind("TransactionsReport/Invoice/ID")] == ["F-2026-001", "F-2026-002"]
    assert root.findtext("ReportDocument/Issuer/Id") == "356000000"
    assert root.findtext("ReportDocument/Issuer/RoleCode") == "SE"
    assert root.findtext("ReportDocument/TypeCode") == "IN"
    assert root.find("TransactionsReport/Invoice/Buyer/CompanyId").get("schemeId") == "0223"
    assert root.findtext("TransactionsReport/Invoice/TaxSubTotal/TaxCategory/Code") == "K"
    assert report.summary["count"] == 2
    assert report.summary["total_base"] == "1250.50"
    assert report.due_date == d(2026, 3, 20)
    assert InvoiceFacts.objects.filter(invoice__dossier=shop).count() == 2  # read once, kept


def test_foreign_purchases_report(shop):
    foreign_purchase(shop, "US-77", "4000", d(2026, 3, 4))
    report = build(shop, ReportKind.PURCHASES, first_ten_days(shop))
    assert report.status == ReportStatus.READY, report.errors
    root = etree.fromstring(report.xml)
    assert root.findtext("ReportDocument/Issuer/RoleCode") == "BY"
    assert root.find("TransactionsReport/Invoice/Seller/CompanyId").get("schemeId") == "0227"
    assert root.findtext("TransactionsReport/Invoice/Seller/CompanyId") == "US987654321"


def test_receipts_report_spreads_the_amount_received_per_rate(shop):
    invoice = foreign_sale(shop, "F-2026-010", "1000", d(2026, 2, 20), category="S", rate="20", reason=None)
    paid(invoice, "600", d(2026, 3, 15))
    paid(invoice, "600", d(2026, 4, 2))  # next month

    report = build(shop, ReportKind.PAYMENTS, month(shop))

    assert report.status == ReportStatus.READY, report.errors
    root = etree.fromstring(report.xml)
    assert root.findtext("PaymentsReport/Invoice/InvoiceID") == "F-2026-010"
    assert root.findtext("PaymentsReport/Invoice/Payment/Date") == "20260315"
    assert root.findtext("PaymentsReport/Invoice/Payment/SubTotals/TaxPercent") == "20"
    assert root.findtext("PaymentsReport/Invoice/Payment/SubTotals/Amount") == "600.00"
    assert root.find("TransactionsReport") is None


def test_b2c_reports(shop):
    b2c(shop, d(2026, 3, 2), "20", "1000", count=42)
    b2c(shop, d(2026, 3, 2), "5.5", "200", count=10)
    b2c(shop, d(2026, 3, 3), "20", "300", category="TPS1", received="360")

    sales = build(shop, ReportKind.B2C, first_ten_days(shop))
    receipts = build(shop, ReportKind.B2C_PAYMENTS, month(shop))

    assert sales.status == ReportStatus.READY, sales.errors
    root = etree.fromstring(sales.xml)
    days = root.findall("TransactionsReport/Transactions")
    assert [(t.findtext("Date"), t.findtext("CategoryCode"), t.findtext("TaxExclusiveAmount"),
             t.findtext("TaxTotal"), t.findtext("TransactionsCount")) for t in days] == [
        ("20260302", "TLB1", "1200.00", "211.00", "52"), ("20260303", "TPS1", "300.00", "60.00", None)]
    assert [s.findtext("TaxPercent") for s in days[0].iterfind("TaxSubtotal")] == ["20", "5.5"]
    assert receipts.status == ReportStatus.READY, receipts.errors
    assert etree.fromstring(receipts.xml).findtext("PaymentsReport/Transactions/Payment/SubTotals/Amount") \
        == "360.00"


def test_wrong_data_refused_with_the_right_rule_next_to_its_cause(shop):
    foreign_sale(shop, "F-2026-020", "100", d(2026, 3, 2))
    foreign_sale(shop, "F-2026-021", "100", d(2026, 3, 3), rate="19")  # a rate France does not have
    b2c(shop, d(2026, 3, 2), "19.5", "100")

    sales = build(shop, ReportKind.SALES, first_ten_days(shop))
    days = build(shop, ReportKind.B2C, first_ten_days(shop))

    assert sales.status == ReportStatus.INVALID
    assert {(e["rule"], e["subject"]) for e in sales.errors} == {("G1.24", "Facture F-2026-021")}
    assert "taux de TVA" in sales.errors[0]["message"]
    assert sales.errors[0]["invoice_id"] is not None
    assert days.status == ReportStatus.INVALID
    assert days.errors[0]["rule"] == "G1.24" and days.errors[0]["subject"].startswith("Ventes du 02/03/2026")


def test_a_dossier_without_siren_is_told_what_to_fill(shop):
    shop.siren = ""
    shop.save()
    report = build(shop, ReportKind.B2C, first_ten_days(shop))
    assert report.status == ReportStatus.INVALID
    assert "G6.26" in {e["rule"] for e in report.errors}
    assert any("SIREN" in e["message"] for e in report.errors)


def test_rebuilding_before_sending_updates_in_place(shop):
    b2c(shop, d(2026, 3, 2), "20", "100")
    first = build(shop, ReportKind.B2C, first_ten_days(shop))
    b2c(shop, d(2026, 3, 4), "20", "50")
    again = build(shop, ReportKind.B2C, first_ten_days(shop))
    assert again.pk == first.pk and again.revision == 0 and again.summary["total_base"] == "150.00"


def test_data_changed_after_sending_make_a_rectifying_report(shop):
    b2c(shop, d(2026, 3, 2), "20", "100")
    sent = build(shop, ReportKind.B2C, first_ten_days(shop))
    assert mark_sent(sent, "flow-1") is True
    assert mark_sent(sent, "flow-1") is False  # a second click moves nothing

    assert build(shop, ReportKind.B2C, first_ten_days(shop)).pk == sent.pk  # nothing changed: nothing to send
    b2c(shop, d(2026, 3, 4), "20", "50")
    rectifying = build(shop, ReportKind.B2C, first_ten_days(shop))

    assert rectifying.pk != sent.pk and rectifying.revision == 1 and rectifying.replaces_id == sent.pk
    assert etree.fromstring(rectifying.xml).findtext("ReportDocument/TypeCode") == "RE"
    assert rectifying.status == ReportStatus.READY
    mark_sent(rectifying, "flow-2")
    sent.refresh_from_db()
    assert sent.status == ReportStatus.REPLACED
    assert record_acknowledgement(rectifying, accepted=True)
    rectifying.refresh_from_db()
    assert rectifying.status == ReportStatus.ACKNOWLEDGED


def test_sending_explains_there_is_no_platform_connection_yet(shop):
    b2c(shop, d(2026, 3, 2), "20", "100")
    report = build(shop, ReportKind.B2C, first_ten_days(shop))
    with pytest.raises(NotSendable, match="plateforme agréée"):
        send(report)
    report.refresh_from_db()
    assert report.status == ReportStatus.READY


def test_a_received_foreign_invoice_has_its_facts_read_in_the_background(shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invoice = foreign_purchase(shop, "US-90", "10", d(2026, 3, 4))
    facts = InvoiceFacts.objects.get(invoice=invoice)
    assert (facts.seller_country, facts.seller_id, facts.vat[0]["category"]) == ("US", "US987654321", "AE")


def test_a_refused_report_is_built_again_as_an_initial_one(shop):
    b2c(shop, d(2026, 3, 2), "20", "100")
    refused = build(shop, ReportKind.B2C, first_ten_days(shop))
    mark_sent(refused, "flow-1")
    assert record_acknowledgement(refused, accepted=False, detail="Rejet : format")
    assert record_acknowledgement(refused, accepted=True) is False  # the answer is recorded once

    again = build(shop, ReportKind.B2C, first_ten_days(shop))

    assert again.pk != refused.pk and again.revision == 1 and again.replaces_id is None
    assert again.type_code == "IN"
    assert etree.fromstring(again.xml).findtext("ReportDocument/TypeCode") == "IN"
    refused.refresh_from_db()
    assert refused.status == ReportStatus.REJECTED and refused.status_detail == "Rejet : format"


def test_invoices_to_private_persons_in_france_feed_the_b2c_reports(shop):
    """Issued to a person (no SIREN, no VAT number): a B2C sale, declared in the day's totals (10.3), and its
    payment, for services on receipts, in 10.4; a company's invoice (domestic B2B) is in neither."""
    b2c(shop, d(2026, 3, 2), "20", "1000", category="TPS1", count=40)
    service = private_sale(shop, "P-1", "50", d(2026, 3, 2))
    private_sale(shop, "P-2", "200", d(2026, 3, 3), frame="B1", rate="5.5")
    domestic_sale(shop, "F-DOM", "999", d(2026, 3, 2))
    paid(service, "60", d(2026, 3, 4))

    sales = build(shop, ReportKind.B2C, first_ten_days(shop))
    receipts = build(shop, ReportKind.B2C_PAYMENTS, month(shop))

    assert sales.status == ReportStatus.READY, sales.errors
    days = etree.fromstring(sales.xml).findall("TransactionsReport/Transactions")
    assert [(t.findtext("Date"), t.findtext("CategoryCode"), t.findtext("TaxExclusiveAmount"),
             t.findtext("TransactionsCount")) for t in days] == [
        ("20260302", "TPS1", "1050.00", "41"), ("20260303", "TLB1", "200.00", "1")]
    assert receipts.status == ReportStatus.READY, receipts.errors
    assert etree.fromstring(receipts.xml).findtext("PaymentsReport/Transactions/Payment/SubTotals/Amount") \
        == "60.00"
    assert build(shop, ReportKind.SALES, first_ten_days(shop)).summary["count"] == 0  # not international


def test_a_report_rebuilt_while_it_was_being_sent_is_not_recorded_as_sent(shop):
    b2c(shop, d(2026, 3, 2), "20", "100")
    read = build(shop, ReportKind.B2C, first_ten_days(shop))  # what the sender read and sent
    b2c(shop, d(2026, 3, 4), "20", "50")
    build(shop, ReportKind.B2C, first_ten_days(shop))  # rebuilt in place meanwhile: other content

    assert mark_sent(read, "flow-1") is False
    read.refresh_from_db()
    assert read.status == ReportStatus.READY and read.summary["total_base"] == "150.00"
