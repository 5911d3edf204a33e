"""Every rule the engine can report has a French and an English message written for people."""

import pytest

from einvoice.detect import detect
from einvoice.errors import EInvoiceError
from einvoice.messages import CATALOGUE, explain, explain_error, resolved_rule, technical_text
from einvoice.tests.cen_rules import assertions
from einvoice.tests.shared_files import shared_path
from einvoice.validate import validate
from einvoice.validate.artefacts import ROOT, every_schematron

# The stylesheets of the official specifications that the engine's packaged ones come from or sit next to.
SHARED_STYLESHEETS = [
    ("france-rfe-1.4.0.02", "cii", "EN16931-CII-validation.xslt"),
    ("france-rfe-1.4.0.02", "cii", "BR-FR-Flux2-Schematron-CII_WARNING.xslt"),
    ("france-rfe-1.4.0.02", "ubl", "EN16931-UBL-validation.xslt"),
    ("france-rfe-1.4.0.02", "ubl", "BR-FR-Flux2-Schematron-UBL_WARNING.xslt"),
    ("cdar", "2xslt", "BR-FR-CDV-Schematron-CDAR.xslt"),
    ("cdar", "2xslt", "BR-FR-CDV-Schematron-CDAR_WARNING.xslt"),
]


def unexplained(path):
    """``[(rule id, technical text)]`` of the stylesheet's assertions the catalogue has no message for."""
    missing = []
    for rule, _flag, text in assertions(path):
        message = explain(rule or "schematron", " ".join(text.split()))
        if message is None or not message.fr.strip() or not message.en.strip():
            missing.append((rule, text[:80]))
    return missing


@pytest.mark.parametrize("schematron", every_schematron(), ids=lambda schematron: schematron.path)
def test_every_rule_of_the_engines_own_artefacts_has_a_french_and_an_english_message(schematron):
    assert unexplained(ROOT / schematron.path) == []


@pytest.mark.parametrize("parts", SHARED_STYLESHEETS, ids=lambda parts: parts[-1])
def test_every_rule_of_the_official_specifications_has_a_french_and_an_english_message(parts):
    assert unexplained(shared_path("specs", *parts)) == []


def test_messages_are_written_for_people_not_developers():
    for rule, message in CATALOGUE.items():
        for text in (message.fr, message.en, message.fix_fr, message.fix_en):
            assert "BT-" not in text and "BG-" not in text and "[" not in text, (rule, text)
        assert message.fr != message.en, rule
        assert bool(message.fix_fr) == bool(message.fix_en), rule


def test_a_factur_x_number_reads_as_the_cen_rule_its_text_names():
    text = "[BR-CO-10]-Sum of Invoice line net amount (BT-106) = Σ Invoice line net amount (BT-131)."
    assert resolved_rule("FX-SCH-A-000123", text) == "BR-CO-10"
    assert resolved_rule("BR-FXEXT-G-08b", "") == "BR-G-08"
    assert resolved_rule("BR-FR-05_BT-22_PMT", "") == "BR-FR-05_BT-22_PMT"
    assert resolved_rule("BR-FR-09_EXT-FR-FE-46", "") == "BR-FR-09"
    assert resolved_rule("UBL-CR-123", "") == "UBL-CR"
    assert resolved_rule("NO-SUCH-RULE", "") is None
    assert resolved_rule("FX-SCH-A-000613", "Value of '@unitCode' is not allowed.") == "FX-SCH-A.code"
    assert resolved_rule("FX-SCH-A-000027", "Element 'ram:SellerTradeParty' must occur exactly 1 times.") == "FX-SCH-A"


def test_the_iban_rule_says_where_to_enter_the_iban():
    message = explain("CII-SR-470", "[CII-SR-470]-Either the IBAN or a Proprietary ID (BT-84) shall be used.")
    assert "IBAN" in message.fr and "Paramètres › Société" in message.fix_fr
    assert "Settings › Company" in message.fix("en")
    assert message.text("en-gb") == message.en and message.text("fr") == message.fr


def test_the_technical_text_drops_the_rule_id_it_opens_with():
    assert technical_text("BR-CO-10", "[BR-CO-10]-Sum of lines") == "Sum of lines"
    assert technical_text("BR-FR-01_BT-1", "BR-FR-01/BT-1 : L'identifiant") == "L'identifiant"
    assert technical_text("xsd", "line 3: Element 'x'") == "line 3: Element 'x'"
    assert technical_text("FX-SCH-A-1", "[BR-CO-10]-Sum") == "[BR-CO-10]-Sum"  # the other id is information


@pytest.mark.parametrize("data, rule", [
    (b"hello, world", "unreadable.not-xml"),
    (b"<Invoice><unclosed></Invoice>", "unreadable.malformed-xml"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>', "unreadable.hostile"),
    (b'<SCRDMCCBDACIOMessageStructure xmlns="urn:un:unece:uncefact:data:SCRDMCCBDACIOMessageStructure:100"/>',
     "unsupported-format.order-x"),
    (b'<CrossIndustryDocument xmlns="urn:ferd:CrossIndustryDocument:invoice:1p0"/>',
     "unsupported-format.older-standard"),
    (b"%PDF-1.4 broken", "unreadable.corrupt-pdf"),
])
def test_engine_errors_get_a_message_of_their_own(data, rule):
    with pytest.raises(EInvoiceError) as caught:
        detect(data)
    assert explain_error(caught.value) == CATALOGUE[rule]


def test_an_unreadable_file_reported_by_validate_is_explained_from_its_finding():
    issue = validate(b"hello, world").errors[0]
    assert explain(issue.rule, issue.message) is not None
    assert resolved_rule(issue.rule, issue.message) == "unreadable.not-xml"


def test_every_engine_error_class_has_a_message():
    classes, seen = [EInvoiceError], []
    while classes:
        cls = classes.pop()
        seen.append(cls)
        classes.extend(cls.__subclasses__())
    for cls in seen:
        assert explain_error(cls("anything")) is not None, cls
