"""Conversion never degrades an invoice: no output fails a rule its input passed.

Every invoice of the shared corpus is converted to CII and to UBL (and a sample
of them, one per source syntax and profile, to Factur-X: laying out a PDF costs
a second each), and input and output are both checked with everything that
judges an invoice here: ``einvoice.validate`` under the French rules (XSD,
profile Schematron, BR-FR) and CEN's own EN 16931 stylesheets for CII and UBL
as France_RFE publishes them (``specs/france-rfe-1.4.0.02``, which only this
test runs: they are not a runtime artefact). Warnings count: a conversion that
adds a warning has made the invoice worse.

Rules are compared by id, except the French ones, whose ids differ between the
CII and UBL artefacts (``BR-FR-05_BT-22_PMT`` in CII is ``BR-FR-05_BT-22-1`` in
UBL): those are compared by rule (``BR-FR-05``).
"""

import functools
import io
import re

import pytest
from lxml import etree
from pypdf import PdfReader

from einvoice.convert import convert
from einvoice.detect import Profile, Syntax, detect
from einvoice.errors import InvoiceWriteError
from einvoice.read import read_invoice
from einvoice.tests.samples import CORPUS, corpus_samples
from einvoice.tests.shared_files import shared_dir
from einvoice.validate import schematron, validate

CEN_STYLESHEETS = {
    "CII": ("specs", "france-rfe-1.4.0.02", "cii", "EN16931-CII-validation.xslt"),
    "UBL": ("specs", "france-rfe-1.4.0.02", "ubl", "EN16931-UBL-validation.xslt"),
}
HEADER_DELIVERY = "/rsm:CrossIndustryInvoice[1]/rsm:SupplyChainTradeTransaction[1]/ram:ApplicableHeaderTradeDelivery[1]"

# What the target cannot express, however the converter writes it. Each entry is
# (rule, the output profiles it is tolerated in, why).
TARGET_LIMITS = (
    # CII requires ram:ApplicableHeaderTradeDelivery; an invoice without any
    # delivery term (BG-13, BT-15, BT-16) can only leave it empty.
    (f"PEPPOL-EN16931-R008 {HEADER_DELIVERY}", None, "CII requires the header delivery element"),
    # CEN's CII binding admits one attachment description (BT-123); UBL carries
    # one per attachment. Dropping the others would lose them.
    ("CII-SR-475", None, "CII admits one attachment description"),
    # The EXTENDED terms CEN's EN 16931 syntax rules flag as "should not be
    # present" (preceding invoice type, sales and buyer agents): the EXTENDED
    # profiles are made to carry them.
    ("CII-DT-018", {Profile.EXTENDED, Profile.EXTENDED_CTC_FR}, "EXTENDED term"),
    ("CII-SR-278", {Profile.EXTENDED, Profile.EXTENDED_CTC_FR}, "EXTENDED term"),
    ("CII-SR-305", {Profile.EXTENDED, Profile.EXTENDED_CTC_FR}, "EXTENDED term"),
)
# Source data that the source syntax's artefacts do not check and the target's do.
SOURCE_ISSUES = {
    # VAT category B (Italian split payment) is outside the Factur-X code lists.
    "FT G2G_TD01 con Allegato, Bonifico e Split Payment.xml": {"FX-SCH-A-000587", "FX-SCH-A-000619"},
    # The seller's only identification is a private identifier (ram:ID, no scheme): UBL keeps it, as
    # BR-CO-26 needs one, and the French rules want a scheme on it that CII never gave.
    "CII_example7.xml": {"BR-FR-CO-10"},
}
# One source per syntax and profile, converted to Factur-X too.
FACTURX_SAMPLES = (
    "en16931/cii-examples/CII_example2.xml",
    "en16931/ubl-examples/sample-discount-price.xml",
    "en16931/unit-tests/testfiles/Invoice-Max_content.xml",
    "facturx-lib-fixtures/xml/factur-x-minimum.xml",
    "facturx-lib-fixtures/xml/factur-x-basicwl.xml",
    "facturx-lib-fixtures/xml/factur-x-extended.xml",
    "facturx-lib-fixtures/xml/ubl-21-extended-ctc-fr.xml",
    "afnor-examples/xp-z12-012-annex-b-v1.2/Factures/F202500001/F202500001_INV_20250201.pdf",
)
XMP_LEVELS = {Profile.MINIMUM: "MINIMUM", Profile.BASIC_WL: "BASIC WL", Profile.BASIC: "BASIC",
              Profile.EN16931: "EN 16931", Profile.EXTENDED: "EXTENDED"}
FX = "{urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#}"
_FRENCH_RULE = re.compile(r"BR-FR-(?:[A-Z]+-)?\d+")


@functools.cache
def cen_stylesheet(syntax):
    path = shared_dir().joinpath(*CEN_STYLESHEETS[syntax])
    if not path.is_file():
        pytest.skip(f"{path} is absent (set FACTURIER_SHARED to the shared directory)")
    with schematron.LOCK:
        xslt = schematron.processor().new_xslt30_processor()
        return xslt.compile_stylesheet(stylesheet_text=path.read_text(encoding="utf-8"))


def cen_issues(detected):
    node = schematron.source(detected)
    stylesheet = cen_stylesheet("UBL" if detected.syntax is Syntax.UBL else "CII")
    with schematron.LOCK:
        svrl = stylesheet.transform_to_string(xdm_node=node)
    return list(schematron.issues(svrl.encode("utf-8"), "cen"))


def rule_of(issue):
    french = _FRENCH_RULE.match(issue.rule)
    if french:
        return french[0]
    if issue.rule == "PEPPOL-EN16931-R008":  # "no empty element": where matters
        return f"{issue.rule} {issue.location}"
    return issue.rule


def fired(data):
    """(profile, the rules ``data`` fails, warnings included) under every artefact we have."""
    detected = detect(data)
    report = validate(detected, "fr")
    issues = (*report.errors, *report.warnings, *cen_issues(detected))
    return detected.profile, {rule_of(issue) for issue in issues if issue.severity != "information"}


def new_failures(source, output):
    """What ``output`` fails that ``source`` (a corpus path) passed, target limits aside."""
    _profile, before = fired_by_source(source)
    profile, after = fired(output)
    tolerated = {rule for rule, profiles, _why in TARGET_LIMITS if profiles is None or profile in profiles}
    return sorted(after - before - tolerated - SOURCE_ISSUES.get(source.name, set()))


@functools.cache
def fired_by_source(path):
    return fired(path.read_bytes())


def has_no_lines(path):
    return not read_invoice(path.read_bytes()).lines


@pytest.mark.parametrize("target", ["cii", "ubl"])
@pytest.mark.parametrize("path", corpus_samples())
def test_converting_a_corpus_invoice_fails_no_rule_its_input_passed(path, target):
    data = path.read_bytes()
    if target == "ubl" and has_no_lines(path):
        with pytest.raises(InvoiceWriteError, match="BG-25"):
            convert(data, target)
        return
    assert new_failures(path, convert(data, target)) == []


def facturx_samples():
    if not CORPUS.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"shared corpus not found at {CORPUS}"))]
    return [pytest.param(CORPUS / relative, id=relative) for relative in FACTURX_SAMPLES]


def xmp_conformance_level(pdf):
    packet = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Metadata"].get_object().get_data()
    xmp = etree.fromstring(packet[packet.index(b"<x:xmpmeta"):packet.rindex(b"</x:xmpmeta>") + 12])
    return next(xmp.iter(f"{FX}ConformanceLevel")).text


@pytest.mark.parametrize("path", facturx_samples())
def test_converting_to_factur_x_fails_no_rule_and_says_which_profile_it_carries(path):
    pdf = convert(path.read_bytes(), "facturx")
    assert new_failures(path, pdf) == []
    assert xmp_conformance_level(pdf) == XMP_LEVELS[detect(pdf).profile]


def test_the_check_does_find_a_degradation():
    """A rule the input passed and the output fails is reported: a buyer identifier losing its scheme."""
    path = CORPUS / "afnor-examples/xp-z12-012-annex-b-v1.2/Factures/F202500003/UC1_F202500003_00-INV_20250701_UBL.xml"
    if not path.is_file():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    degraded = path.read_bytes().replace(b'<cbc:CompanyID schemeID="0002">', b"<cbc:CompanyID>", 1)
    assert degraded != path.read_bytes()
    assert any(rule.startswith("BR-") for rule in new_failures(path, degraded))
