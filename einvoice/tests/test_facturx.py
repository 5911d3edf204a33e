"""Factur-X output: a PDF/A-3 carrying the CII as factur-x.xml, with the Factur-X XMP metadata."""

import dataclasses
import io

import pytest
from lxml import etree
from pypdf import PdfReader

from einvoice import detect, pdf
from einvoice.facturx import to_facturx
from einvoice.read import read_invoice
from einvoice.tests.invoice_samples import rich_invoice
from einvoice.tests.shared_files import shared_files
from einvoice.write.cii import EN16931, EXTENDED_CTC_FR, EXTENDED_CTC_FR_ID, to_cii

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


def test_an_extended_invoice_is_written_as_extended():
    extended = dataclasses.replace(rich_invoice(), specification_id=EXTENDED_CTC_FR_ID,
                                   source_profile=str(detect.Profile.EXTENDED_CTC_FR))
    data = to_facturx(extended, lang="en")
    assert read_invoice(data) == extended
    assert value(xmp(data), "fx:ConformanceLevel") == "EXTENDED"
    assert pdf.extract_invoice_xml(data)[1] == to_cii(extended, EXTENDED_CTC_FR)
    assert detect.detect(data).profile is detect.Profile.EXTENDED_CTC_FR


@pytest.mark.parametrize("path", CORPUS_CII, ids=lambda p: p.name)
def test_corpus_invoices_round_trip_through_factur_x(path):
    invoice = read_invoice(path.read_bytes())
    back = read_invoice(to_facturx(invoice))
    if invoice.source_profile == str(detect.Profile.EXTENDED):
        # The CII writer knows EN 16931 and EXTENDED-CTC-FR: a Factur-X EXTENDED invoice comes back
        # claiming EXTENDED-CTC-FR (BT-24); every other term is kept.
        assert "extended-ctc-fr" in back.specification_id
        back.specification_id = invoice.specification_id
    assert back == invoice
