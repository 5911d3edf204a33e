"""What the platform emits is clean: every issued invoice and its CDAR messages pass with no error and no warning.

The issuing form's options are driven through the document builder one at a
time (each VAT choice, allowances and charges, every billing frame, delivery
address and date, BT-8, the legal notes, payment means, credit notes), each
written in every customer syntax, and checked with the engine under the French
rules plus CEN's own EN 16931 stylesheets; the platform's CDAR messages about
them are checked with the French CDAR Schematron, warnings included.
"""

import datetime
from types import SimpleNamespace

import pytest

from einvoice.detect import detect
from einvoice.lifecycle import LifecycleStatus, build_cdar, message_for_invoice
from einvoice.pdf import extract_invoice_xml
from einvoice.validate import validate
from facturier.exchange.tests.support import customer, draft
from facturier.invoices.issuing.document import build_document
from facturier.invoices.issuing.issue import render_output
from facturier.invoices.issuing.terms import BILLING_FRAMES, PAYMENT_MEANS, VAT_CHOICES
from facturier.invoices.models import OutputFormat

EXEMPTION = "Exonération de TVA, article 261-4-4° du CGI"
ABROAD = {"delivery_address": "Hauptstraße 1", "delivery_city": "Berlin", "delivery_postal_code": "10115",
          "delivery_country": "DE"}


def line(vat="S:20", **extra):
    return {"description": "Conseil", "quantity": "2", "unit": "HUR", "unit_price": "100", "vat": vat, **extra}


def vat_option(choice):
    extra = {"exemption_reason": EXEMPTION} if choice.startswith("E:") else {}
    header = ABROAD if choice == "K:0" else {}
    return {"lines": [line(choice, **extra)], **header}


OPTIONS = {
    **{f"vat {choice}": vat_option(choice) for choice, _label in VAT_CHOICES},
    **{f"frame {frame}": {"billing_frame": frame} for frame, _label in BILLING_FRAMES},
    **{f"payment {means}": {"payment_means": means} for means, _label in PAYMENT_MEANS},
    "several rates, allowance and charge": {
        "lines": [line(), line("S:5.5"), line("S:10", quantity="3", unit_price="19.99")],
        "adjustments": [{"kind": "allowance", "reason": "Remise", "amount": "10.00", "vat": "S:20"},
                        {"kind": "charge", "reason": "Port", "amount": "5.50", "vat": "S:5.5"}]},
    "delivery address and date": {"delivery_name": "Entrepôt", "delivery_address": "3 rue du Port",
                                  "delivery_city": "Marseille", "delivery_postal_code": "13002",
                                  "delivery_date": "2026-11-20"},
    "delivery date only": {"delivery_date": "2026-11-20"},
    "vat on debits (BT-8)": {"vat_on_debits": True},
    "references": {"buyer_reference": "SERVICE-ACHATS", "purchase_order_reference": "BC-2026-118"},
    "credit note": {"type_code": "381"},  # issued from an invoice: see PRECEDING
}
# A credit note cancels an issued invoice (``issuing.credit_note_draft``), which it references (BG-3).
PRECEDING = {"credit note": SimpleNamespace(number="F2026-0000", issue_date=datetime.date(2026, 11, 2))}
FORMATS = [OutputFormat.FACTURX, OutputFormat.CII, OutputFormat.UBL]


def cen_findings(detected):
    from einvoice.tests.test_convert_corpus import cen_issues

    return cen_issues(detected)


def findings(data):
    """Every error and warning the engine (French rules) and CEN's stylesheets raise on ``data``."""
    detected = detect(data)
    report = validate(detected, "fr")
    issues = (*report.errors, *report.warnings, *cen_findings(detected))
    return sorted({f"{issue.rule}: {issue.message[:160]}" for issue in issues if issue.severity != "information"})


@pytest.fixture
def document(seller_world, request):
    buyer = customer(seller_world.active)
    return build_document(draft(buyer, **OPTIONS[request.param]), dossier=seller_world.active, customer=buyer,
                          number="F2026-0001", preceding=PRECEDING.get(request.param))


@pytest.mark.parametrize("fmt", [OutputFormat.CII, OutputFormat.UBL])
@pytest.mark.parametrize("document", OPTIONS, indirect=True)
def test_every_issuing_option_gives_an_invoice_without_error_or_warning(document, fmt):
    assert findings(render_output(document, fmt)) == []


@pytest.mark.parametrize("document", ["vat S:20", "several rates, allowance and charge", "credit note"],
                         indirect=True)
def test_the_factur_x_carries_that_same_clean_cii(document):
    """Laying out a PDF costs a second: the Factur-X is checked on a sample, its CII being the CII output."""
    pdf = render_output(document, OutputFormat.FACTURX)
    assert extract_invoice_xml(pdf)[1] == render_output(document, OutputFormat.CII)
    assert findings(pdf) == []


@pytest.mark.parametrize(("status", "set_by", "details"), [
    (LifecycleStatus.DEPOSEE, "platform", {}),
    (LifecycleStatus.ENCAISSEE, "seller", {"characteristics": None}),
])
@pytest.mark.parametrize("document", ["vat S:20", "several rates, allowance and charge", "credit note"],
                         indirect=True)
def test_the_platform_cdar_messages_pass_without_error_or_warning(document, status, set_by, details):
    from einvoice.tests.cdar_validation import schematron_failures, xsd_errors

    if "characteristics" in details:
        from facturier.invoices.lifecycle import paid_amounts

        details = {"characteristics": paid_amounts(document, document.totals.payable)}
    at = datetime.datetime(2026, 11, 28, 9, 30, tzinfo=datetime.UTC)
    cdar = build_cdar(message_for_invoice(document, status, set_by=set_by, issued_at=at, status_at=at, **details))
    assert xsd_errors(cdar) == []
    assert schematron_failures(cdar) == []
