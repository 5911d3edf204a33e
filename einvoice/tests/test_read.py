"""Reading CII, UBL and Factur-X PDFs into the model; broken and foreign input fails cleanly."""

import datetime
from decimal import Decimal

import pytest

from einvoice.errors import UnreadableError, UnsupportedFormatError
from einvoice.model import Identifier
from einvoice.read import read_invoice
from einvoice.tests.samples import CORPUS

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")
AFNOR = CORPUS / "afnor-examples" / "xp-z12-012-annex-b-v1.2" / "Factures"


def sample(relative):
    return (CORPUS / relative).read_bytes()


CII = b"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID>
 </ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>
 <rsm:ExchangedDocument><ram:ID>F1</ram:ID><ram:TypeCode>380</ram:TypeCode>
  <ram:IssueDateTime><udt:DateTimeString format="102">%(date)s</udt:DateTimeString></ram:IssueDateTime>
 </rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:ApplicableHeaderTradeAgreement/><ram:ApplicableHeaderTradeDelivery/>
  <ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:TaxBasisTotalAmount>%(amount)s</ram:TaxBasisTotalAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>"""


def minimal_cii(date=b"20260115", amount=b"100.00"):
    return CII % {b"date": date, b"amount": amount}


def test_minimal_cii_reads_with_absent_parts_empty():
    invoice = read_invoice(minimal_cii())
    assert (invoice.number, invoice.issue_date, invoice.currency) == ("F1", datetime.date(2026, 1, 15), "EUR")
    assert invoice.totals.tax_exclusive == Decimal("100.00")
    assert invoice.lines == [] and invoice.notes == [] and invoice.vat_breakdown == []
    assert invoice.payee is None and invoice.delivery is None and invoice.payment_instructions is None
    assert (invoice.source_syntax, invoice.source_profile) == ("CII", "EN 16931")


@pytest.mark.parametrize("amount", [b"12,50", b"abc", b"1e5", b"NaN", b"Infinity"])
def test_non_numeric_amount_is_unreadable_with_the_value_and_line(amount):
    with pytest.raises(UnreadableError, match=r"TaxBasisTotalAmount \(line \d+\).*not a decimal"):
        read_invoice(minimal_cii(amount=amount))


@pytest.mark.parametrize("date", [b"20261341", b"2026-01", b"yesterday"])
def test_impossible_date_is_unreadable(date):
    with pytest.raises(UnreadableError, match="not a valid date"):
        read_invoice(minimal_cii(date=date))


def test_broken_xml_is_unreadable():
    with pytest.raises(UnreadableError):
        read_invoice(minimal_cii()[:-40])


def test_foreign_xml_is_unsupported():
    with pytest.raises(UnsupportedFormatError):
        read_invoice(b"<?xml version='1.0'?><FatturaElettronica xmlns='http://ivaservizi.agenziaentrate.gov.it'/>")


def test_pdf_without_invoice_is_unsupported():
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(UnsupportedFormatError, match="no structured invoice"):
        read_invoice(buffer.getvalue())


@needs_corpus
@pytest.mark.parametrize("name,label", [
    ("zugferd-basic.xml", "ZUGFeRD 1.0"), ("order-x-basic.xml", "Order-X"),
])
def test_zugferd_1_and_order_x_are_unsupported(name, label):
    with pytest.raises(UnsupportedFormatError, match=label):
        read_invoice(sample(f"facturx-lib-fixtures/xml/{name}"))


@needs_corpus
def test_afnor_extended_cii_carries_the_french_terms():
    invoice = read_invoice((AFNOR / "F202500001" / "F202500001_INV_20250201_CII_Commentee_EXTENDED.xml").read_bytes())
    assert invoice.source_profile == "EXTENDED"
    assert invoice.business_process == "B1"
    assert invoice.notes_with_subject("PMT") == [
        "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €."
    ]
    assert invoice.notes_with_subject("AAB")
    seller = invoice.seller
    assert seller.legal_registration == Identifier("100000009", "0002")
    assert seller.electronic_address == Identifier("100000009_STATUTS", "0225")
    assert Identifier("10000000900017", "0009") in seller.identifiers
    assert Identifier("PRIVATE_123") == seller.identifiers[0]
    assert (seller.trading_name, seller.vat_id) == ("VENDEUR NOM COMMERCIAL", "FR88100000009")
    assert seller.contact.department == "DEP ADV"
    assert Identifier("CDROUT1", "0224") in invoice.buyer.identifiers
    assert invoice.tax_point_date_code == "3"  # CII 5 (issue date) is UNTDID 2005 code 3
    assert invoice.tax_representative.vat_id == "FR78500000005"
    assert invoice.payee.name == "TIERS Bénéficiaire"
    assert invoice.tender_reference == "APPEL_OFFRE-FRE0087"
    assert invoice.invoiced_object_identifier == Identifier("REF_CLIENT2514", "IT")
    assert invoice.attachments[0].id == "REF_ANNEXE_009875" and invoice.attachments[0].uri == "url:gffter"
    categories = [(vat.category, vat.rate, vat.exemption_reason_code) for vat in invoice.vat_breakdown]
    assert ("E", Decimal("0.00"), "VATEX-EU-79-C") in categories and len(categories) == 4
    assert [a.reason_code for a in invoice.allowances][:2] == ["95", "100"]
    line = invoice.lines[1]
    assert (line.note_subject_code, line.item.standard_id) == ("BLU", Identifier("598785412598745", "0160"))
    assert (line.price.gross_price, line.price.discount, line.price.net_price) == (
        Decimal("0.8000"), Decimal("0.1000"), Decimal("0.7000"))
    assert line.item.attributes[0].name == "CO2(g)" and line.item.classifications[0] == Identifier("SKU2578", "SK")
    transfer = invoice.payment_instructions.credit_transfers[0]
    assert (transfer.account_id, transfer.service_provider_id) == ("FR20 1254 2547 2569 8542 5874 698", "BIC_MONCOMPTE")
    assert invoice.payment_instructions.direct_debit.debited_account_id == "CPTE DEBIT"


@needs_corpus
def test_ubl_extended_ctc_fr_notes_frame_and_preceding_invoice():
    invoice = read_invoice(sample("facturx-lib-fixtures/xml/ubl-21-extended-ctc-fr.xml"))
    assert (invoice.source_syntax, invoice.source_profile) == ("UBL", "EXTENDED-CTC-FR")
    assert invoice.business_process == "S1"
    assert invoice.notes_with_subject("AAI") == ["Ceci est une information générale"]
    assert any(note.subject_code is None and note.text == "note sans sujet !" for note in invoice.notes)
    assert invoice.tax_point_date_code == "3"
    assert invoice.preceding_invoices[0].type_code == "386"
    assert invoice.seller.legal_registration == Identifier("999999998", "0002")
    assert invoice.seller.electronic_address == Identifier("999999998_042", "0225")
    assert invoice.seller.tax_registration_id == "DGFIP_ref_1242"
    assert invoice.invoiced_object_identifier == Identifier("EMPL042", "AHK")


@needs_corpus
def test_ubl_max_content_every_group():
    invoice = read_invoice(sample("en16931/unit-tests/testfiles/Invoice-Max_content.xml"))
    assert (invoice.currency, invoice.tax_currency) == ("SEK", "EUR")
    assert (invoice.totals.tax_total, invoice.totals.tax_total_accounting) == (Decimal(2500), Decimal(249))
    assert invoice.seller.name == "The Global Chain Sweden AB" and invoice.seller.trading_name == "Global Trade Chain"
    assert invoice.payee.name == "Finansiell Support u.p.a."
    assert invoice.delivery.location_id == Identifier("7350000001211", "0088")
    assert len(invoice.payment_instructions.credit_transfers) == 4
    assert invoice.payment_terms.endswith("Line break should be respected here.")


@needs_corpus
def test_ubl_credit_note_reads_its_lines():
    invoice = read_invoice(sample("en16931/ubl-examples/ubl-tc434-creditnote1.xml"))
    assert invoice.is_credit_note and invoice.lines and all(line.quantity is not None for line in invoice.lines)


@needs_corpus
def test_ubl_embedded_attachment_is_decoded():
    invoice = read_invoice(sample("en16931/ubl-examples/ubl-tc434-example5.xml"))
    embedded = [a for a in invoice.attachments if a.content]
    assert embedded and embedded[0].mime_code and embedded[0].filename


@needs_corpus
def test_factur_x_pdf_reads_its_embedded_cii():
    invoice = read_invoice(sample("facturx-lib-fixtures/pdf/invoice_EN16931.pdf"))
    assert (invoice.source_syntax, invoice.source_profile) == ("Factur-X", "EN 16931")
    assert invoice.number and invoice.lines


@needs_corpus
@pytest.mark.parametrize("name,profile", [
    ("factur-x-minimum.xml", "MINIMUM"), ("factur-x-basicwl.xml", "BASIC WL"), ("factur-x-basic.xml", "BASIC"),
    ("factur-x-en16931.xml", "EN 16931"), ("factur-x-extended.xml", "EXTENDED"),
])
def test_every_factur_x_profile_reads(name, profile):
    invoice = read_invoice(sample(f"facturx-lib-fixtures/xml/{name}"))
    assert invoice.source_profile == profile
    assert invoice.number and invoice.totals.payable is not None


def test_doctype_is_refused_as_hostile():
    from einvoice.errors import HostileInputError

    hostile = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]>' + minimal_cii().split(b"?>", 1)[1]
    with pytest.raises(HostileInputError):
        read_invoice(hostile)


def test_invalid_base64_attachment_is_unreadable():
    attachment = (b"<ram:AdditionalReferencedDocument><ram:IssuerAssignedID>A1</ram:IssuerAssignedID>"
                  b"<ram:TypeCode>916</ram:TypeCode><ram:AttachmentBinaryObject mimeCode='application/pdf' "
                  b"filename='a.pdf'>%%%not base64</ram:AttachmentBinaryObject></ram:AdditionalReferencedDocument>")
    data = minimal_cii().replace(b"<ram:ApplicableHeaderTradeAgreement/>",
                                 b"<ram:ApplicableHeaderTradeAgreement>" + attachment
                                 + b"</ram:ApplicableHeaderTradeAgreement>")
    with pytest.raises(UnreadableError, match="not valid base64"):
        read_invoice(data)


def test_missing_charge_indicator_is_unreadable():
    charge = (b"<ram:SpecifiedTradeAllowanceCharge><ram:ActualAmount>5</ram:ActualAmount>"
              b"</ram:SpecifiedTradeAllowanceCharge>")
    data = minimal_cii().replace(b"<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>",
                                 b"<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>" + charge)
    with pytest.raises(UnreadableError, match="charge indicator"):
        read_invoice(data)


@needs_corpus
def test_ubl_agent_parties_are_the_cii_sales_and_buyer_agents():
    from einvoice.write import EXTENDED_CTC_FR, to_cii, to_ubl

    invoice = read_invoice(sample("facturx-lib-fixtures/xml/ubl-21-extended-ctc-fr.xml"))
    agents = {extra.role: extra.party for extra in invoice.extra_parties}
    assert agents["SalesAgent"].name == "M. Rémi Agent" and agents["SalesAgent"].contact.email == "remi@superagent.com"
    assert "BuyerAgent" in agents
    assert read_invoice(to_ubl(invoice)).extra_parties == invoice.extra_parties
    assert read_invoice(to_cii(invoice, EXTENDED_CTC_FR)).extra_parties == invoice.extra_parties


@needs_corpus
@pytest.mark.parametrize("sample", ["facturx-lib-fixtures/xml/factur-x-en16931.xml",  # "Project reference"
                                    "en16931/cii-examples/CII_example5.xml"])  # "Project Reference"
def test_the_cii_project_name_placeholder_reads_as_no_name(sample):
    invoice = read_invoice((CORPUS / sample).read_bytes())
    assert invoice.project_reference and invoice.project_name is None
