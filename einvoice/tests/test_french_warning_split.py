"""``--rules fr-warning`` keeps fatal exactly what France_RFE's official WARNING stylesheets keep fatal."""

import functools

import pytest
from lxml import etree
from saxonche import PySaxonProcessor

from einvoice.tests.cen_rules import SVRL, assertions
from einvoice.tests.corpus import corpus_file
from einvoice.tests.shared_files import shared_path
from einvoice.validate import validate
from einvoice.validate.artefacts import CII_FR, UBL_FR

UC1 = "afnor-examples/xp-z12-014-use-cases-v1.2/UC1/UC1_F202500003_00-INV_20250701_{}.xml"
# Self-billing framework S9 (special contract "BD") on an invoice typed 380, without
# its PMT note: BR-FR-BD-… rules (kept fatal) and BR-FR-05 (softened) fire together.
MUTATIONS = {
    "cii": ((b"<ram:ID>S1</ram:ID>", b"<ram:ID>S9</ram:ID>"), (b"<ram:SubjectCode>PMT<", b"<ram:SubjectCode>REG<")),
    "ubl": ((b"<cbc:ProfileID>S1<", b"<cbc:ProfileID>S9<"), (b"<cbc:Note>#PMT#", b"<cbc:Note>#REG#")),
}


def official_warning_stylesheet(syntax):
    return shared_path("specs", "france-rfe-1.4.0.02", syntax, f"BR-FR-Flux2-Schematron-{syntax.upper()}_WARNING.xslt")


@pytest.mark.parametrize("syntax, schematron", [("cii", CII_FR), ("ubl", UBL_FR)])
def test_the_engine_keeps_fatal_the_rules_the_official_warning_stylesheet_keeps_fatal(syntax, schematron):
    official = {rule for rule, flag, _ in assertions(official_warning_stylesheet(syntax)) if flag == "fatal"}
    assert schematron.kept_fatal_in_warning_mode == official


@functools.cache
def _official(syntax):
    saxon = PySaxonProcessor(license=False)
    stylesheet_file = str(official_warning_stylesheet(syntax))
    return saxon, saxon.new_xslt30_processor().compile_stylesheet(stylesheet_file=stylesheet_file)


def official_blocking(syntax, data):
    """{rule: blocking} as the official WARNING stylesheet flags its findings on ``data``."""
    saxon, executable = _official(syntax)
    svrl = executable.transform_to_string(xdm_node=saxon.parse_xml(xml_text=data.decode("utf-8-sig")))
    return {element.get("id"): element.get("flag") == "fatal"
            for element in etree.fromstring(svrl.encode()).iter(f"{SVRL}failed-assert", f"{SVRL}successful-report")}


@pytest.mark.parametrize("syntax", ["cii", "ubl"])
def test_warning_mode_blocks_on_the_kept_rules_only_as_the_official_stylesheet_does(syntax):
    data = corpus_file(UC1.format(syntax.upper())).read_bytes()
    for original, replacement in MUTATIONS[syntax]:
        assert original in data
        data = data.replace(original, replacement, 1)
    strict, softened = validate(data, rules="fr"), validate(data, rules="fr-warning")
    fired = {issue.rule for issue in strict.errors if issue.layer == "br-fr"}
    blocking = {issue.rule for issue in softened.errors if issue.layer == "br-fr"}
    assert any(rule.startswith("BR-FR-BD-") for rule in blocking)
    assert any(rule.startswith("BR-FR-05") for rule in fired - blocking)  # softened: a warning now
    assert {issue.rule for issue in softened.warnings if issue.layer == "br-fr"} == fired - blocking
    assert not softened.valid
    official = official_blocking(syntax, data)
    assert {rule for rule in fired if rule in official} == fired
    assert blocking == {rule for rule in fired if official[rule]}


def test_the_documentation_lists_the_rules_kept_fatal():
    from einvoice.tests.test_cen_severities import DOCUMENTATION

    rows = {line.split("|")[1].strip(): line for line in DOCUMENTATION.read_text(encoding="utf-8").splitlines()
            if line.startswith(("| CII |", "| UBL |"))}
    for syntax, schematron in (("CII", CII_FR), ("UBL", UBL_FR)):
        assert {f"`{rule}`" for rule in schematron.kept_fatal_in_warning_mode} == {
            cell.strip() for cell in rows[syntax].split("|")[2].split(",")}
