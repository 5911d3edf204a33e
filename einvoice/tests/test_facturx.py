"""Factur-X output: a PDF/A-3 carrying the CII as factur-x.xml, with the Factur-X XMP metadata."""

import dataclasses
import io

import pytest
from lxml import etree
from pypdf import PdfReader

from einvoice import detect, pdf
from einvoice.errors import InvoiceWriteError
from einvoice.facturx import to_facturx
from einvoice.model import Party
from einvoice.read import read_invoice
from einvoice.tests.invoice_samples import rich_invoice
from einvoice.tests.shared_files import shared_files
from einvoice.write.cii import (
    EN16931,
    EXTENDED,
    EXTENDED_CTC_FR,
    EXTENDED_CTC_FR_ID,
    EXTENDED_ID,
    facturx_flavour_for,
    flavour_for,
    to_cii,
)

NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
      "fx": "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#",
      "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#", "xmp": "http://ns.adobe.com/xap/1.0/"}
CORPUS_CII = (shared_files("*.xml", "corpus", "en16931", "cii-examples")
              + shared_files("**/*_CII*.xml", "corpus", "afnor-examples", "xp-z12-012-annex-b-v1.2", "Factures"))


@pytest.fixture(scope="module")
def invoice():
    # Extra parties (invoicee, ...) exist in EXTENDED profiles only; see the extended test.
    return dataclasses.replace(rich_invoice(), extra_parties=[])


@pytest.fixture(scope="module")
def facturx(invoice):
    return to_facturx(invoice)


def xmp(data):
    reader = PdfReader(io.BytesIO(data))
    packet = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    return etree.fromstring(packet[packet.index(b"<x:xmpmeta"):packet.rindex(b"</x:xmpmeta>") + 12])


def value(tree, path):
    """A property written either as an element or as an attribute of rdf:Description."""
    found = tree.xpath(f"//rdf:Description/{path}/text() | //rdf:Description/@{path}", namespaces=NS)
    return found[0] if found else None


def test_the_embedded_xml_is_the_cii_and_reads_as_factur_x(invoice, facturx):
    name, xml = pdf.extract_invoice_xml(facturx)
    assert name == "factur-x.xml"
    assert xml == to_cii(invoice, EN16931)
    found = detect.detect(facturx)
    assert (found.syntax, found.profile) == (detect.Syntax.FACTURX, detect.Profile.EN16931)


def test_the_reference_factur_x_library_finds_a_schema_valid_xml(invoice, facturx):
    import facturx as reference

    name, xml = reference.get_xml_from_pdf(facturx, check_xsd=True)
    assert (name, xml) == ("factur-x.xml", to_cii(invoice, EN16931))
    assert reference.get_level(etree.fromstring(xml)) == "en16931"


def test_round_trip_gives_the_same_invoice(invoice, facturx):
    back = read_invoice(facturx)
    assert back == invoice
    assert back.source_syntax == "Factur-X"


def test_xmp_declares_pdfa3b_and_the_factur_x_properties(facturx):
    tree = xmp(facturx)
    assert (value(tree, "pdfaid:part"), value(tree, "pdfaid:conformance")) == ("3", "B")
    assert value(tree, "fx:DocumentType") == "INVOICE"
    assert value(tree, "fx:DocumentFileName") == "factur-x.xml"
    assert value(tree, "fx:Version") == "1.0"
    assert value(tree, "fx:ConformanceLevel") == "EN 16931"
    # PDF/A needs the fx: namespace declared through an extension schema.
    assert tree.xpath("//pdfaSchema:namespaceURI/text()", namespaces=NS) == [NS["fx"]]
    assert tree.xpath("//pdfaSchema:prefix/text()", namespaces=NS) == ["fx"]


def test_the_file_is_attached_as_pdfa3_data_with_its_mime_type(facturx):
    assert facturx.startswith(b"%PDF-1.7")
    root = PdfReader(io.BytesIO(facturx)).trailer["/Root"]
    files = [ref.get_object() for ref in root["/AF"]]
    assert len(files) == 1
    spec = files[0]
    assert (spec["/F"], spec["/UF"], spec["/AFRelationship"]) == ("factur-x.xml", "factur-x.xml", "/Data")
    assert spec["/EF"]["/F"].get_object()["/Subtype"] == "/text/xml"
    assert "/OutputIntents" in root  # PDF/A colour: the sRGB output intent


def test_document_information_matches_the_invoice(invoice, facturx):
    info = PdfReader(io.BytesIO(facturx)).metadata
    assert info.title == "Facture F2026-0042" and info.author == "VENDEUR SARL"
    # PDF/A: the document information dictionary and the XMP agree.
    modified = value(xmp(facturx), "xmp:ModifyDate")
    assert info["/ModDate"] == "D:" + modified.translate(str.maketrans("", "", "-:T"))


@pytest.mark.parametrize("specification", [EXTENDED_ID, EXTENDED_CTC_FR_ID])
def test_an_extended_invoice_is_written_as_factur_x_extended(specification):
    """EXTENDED-CTC-FR is no Factur-X level: its terms travel as Factur-X EXTENDED, XMP and BT-24 agreeing."""
    extended = dataclasses.replace(rich_invoice(), specification_id=specification)
    data = to_facturx(extended, lang="en")
    assert read_invoice(data) == dataclasses.replace(extended, specification_id=EXTENDED_ID)
    assert value(xmp(data), "fx:ConformanceLevel") == "EXTENDED"
    assert pdf.extract_invoice_xml(data)[1] == to_cii(extended, EXTENDED)
    assert detect.detect(data).profile is detect.Profile.EXTENDED


@pytest.mark.parametrize("path", CORPUS_CII, ids=lambda p: p.name)
def test_corpus_invoices_round_trip_through_factur_x(path):
    invoice = read_invoice(path.read_bytes())
    assert read_invoice(to_facturx(invoice)) == invoice


@pytest.mark.parametrize(("term", "blank", "named"), [
    ("number", "", "BT-1"), ("issue_date", None, "BT-2"), ("seller", Party(), "BT-27"),
])
def test_an_invoice_without_number_date_or_seller_name_is_refused(term, blank, named):
    incomplete = dataclasses.replace(rich_invoice(), **{term: blank})
    with pytest.raises(InvoiceWriteError, match=named):
        to_facturx(incomplete)


def test_other_missing_mandatory_terms_are_left_out_and_the_pdf_is_written():
    incomplete = rich_invoice()
    incomplete.buyer.name = None
    incomplete.lines[0].quantity = incomplete.lines[0].vat_category = None
    back = read_invoice(to_facturx(incomplete))
    assert back.buyer.name is None and back.lines[0].quantity is None and back.lines[0].vat_category is None
    assert back.number == "F2026-0042"


def test_the_embedded_cii_has_the_flavour_the_invoice_profile_chooses():
    invoice = rich_invoice()
    for specification, flavour, in_facturx in (("urn:cen.eu:en16931:2017", EN16931, EN16931),
                                               (EXTENDED_ID, EXTENDED, EXTENDED),
                                               (EXTENDED_CTC_FR_ID, EXTENDED_CTC_FR, EXTENDED)):
        invoice.specification_id = specification
        assert (flavour_for(invoice), facturx_flavour_for(invoice)) == (flavour, in_facturx)
    assert pdf.extract_invoice_xml(to_facturx(invoice))[1] == to_cii(invoice, EXTENDED)
