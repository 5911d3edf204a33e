"""validate(): layers, rule sets, code lists, one compilation per process, no URI access."""

import socket

import pytest
from lxml import etree
from saxonche import PySaxonApiError

from einvoice.detect import detect
from einvoice.tests.corpus import corpus_file
from einvoice.validate import schematron, validate
from einvoice.validate.artefacts import every_schematron
from einvoice.validate.schematron import PREFIXES


@pytest.fixture(scope="module")
def facturx_en16931():
    """A Factur-X EN 16931 CII that passes XSD, its profile Schematron and BR-FR."""
    return corpus_file("facturx-lib-fixtures/xml/factur-x-en16931.xml").read_bytes()


def rules_of(issues):
    return {issue.rule for issue in issues}


def test_a_valid_invoice_passes_every_layer(facturx_en16931):
    report = validate(facturx_en16931)
    assert report.valid, report.errors
    assert (report.syntax, report.profile, report.rules) == ("CII", "EN 16931", "fr")


@pytest.mark.parametrize("original, wrong, element", [
    (b"<ram:InvoiceCurrencyCode>EUR<", b"<ram:InvoiceCurrencyCode>EUX<", "InvoiceCurrencyCode"),
    (b'<ram:BilledQuantity unitCode="C62">', b'<ram:BilledQuantity unitCode="ZZQ">', "BilledQuantity"),
])
def test_a_code_missing_from_the_code_list_fails(facturx_en16931, original, wrong, element):
    """The Factur-X stylesheet checks these codes only through its codedb file: proof it is loaded."""
    assert original in facturx_en16931
    report = validate(facturx_en16931.replace(original, wrong, 1), rules="en16931")
    assert not report.valid
    failures = [issue for issue in report.errors if element in (issue.location or "")]
    assert failures and all(issue.layer == "profile" and issue.rule.startswith("FX-SCH") for issue in failures)
    assert not [issue for issue in report.errors if issue.layer == "xsd"]  # Factur-X 1.09 XSDs list no codes


def test_rule_sets_add_or_soften_the_french_rules():
    data = corpus_file("en16931/cii-examples/CII_example1.xml").read_bytes()
    en16931 = validate(data, rules="en16931")
    french = validate(data, rules="fr")
    softened = validate(data, rules="fr-warning")
    assert en16931.valid and not [i for i in en16931.warnings if i.layer == "br-fr"]
    assert not french.valid
    assert {issue.layer for issue in french.errors} == {"br-fr"}
    assert "BR-FR-05_BT-22_PMT" in rules_of(french.errors)
    assert softened.valid
    br_fr = [issue for issue in softened.warnings if issue.layer == "br-fr"]
    assert rules_of(br_fr) == rules_of(french.errors)
    assert {issue.severity for issue in br_fr} == {"warning"}


def test_an_xsd_failure_still_gets_the_schematron_layers(facturx_en16931):
    broken = facturx_en16931.replace(b"<ram:ID>F20260023</ram:ID>", b"<ram:ID>F20260023</ram:ID><ram:Bogus/>", 1)
    broken = broken.replace(b"<ram:SubjectCode>PMT</ram:SubjectCode>", b"<ram:SubjectCode>REG</ram:SubjectCode>")
    report = validate(broken)
    layers = {issue.layer for issue in report.errors}
    assert {"xsd", "br-fr"} <= layers
    xsd_error = next(issue for issue in report.errors if issue.layer == "xsd")
    assert xsd_error.rule == "xsd" and "Bogus" in xsd_error.message
    assert "BR-FR-05_BT-22_PMT" in rules_of(report.errors)


def test_an_already_detected_document_is_not_parsed_again(facturx_en16931):
    detected = detect(facturx_en16931)
    assert validate(detected) == validate(facturx_en16931)


def test_a_document_in_another_encoding_gets_the_same_verdict(facturx_en16931):
    text = facturx_en16931.decode("utf-8-sig").replace("encoding='UTF-8'", "encoding='ISO-8859-1'", 1)
    assert "encoding='ISO-8859-1'" in text
    latin1 = text.encode("iso-8859-1", errors="replace")
    broken = latin1.replace(b"<ram:SubjectCode>PMT</ram:SubjectCode>", b"<ram:SubjectCode>REG</ram:SubjectCode>")
    assert validate(latin1).valid
    assert "BR-FR-05_BT-22_PMT" in rules_of(validate(broken).errors)


def test_ubl_credit_notes_use_the_credit_note_schema():
    data = corpus_file("en16931/ubl-examples/ubl-tc434-creditnote1.xml").read_bytes()
    report = validate(data, rules="en16931")
    assert report.valid and report.syntax == "UBL"
    invoice_root = data.replace(b"<CreditNote", b"<Invoice", 1).replace(b"</CreditNote>", b"</Invoice>")
    invoice_root = invoice_root.replace(b"CreditNote-2", b"Invoice-2")
    assert "xsd" in rules_of(validate(invoice_root, rules="en16931").errors)


def test_locations_are_xpaths_to_the_offending_element(facturx_en16931):
    report = validate(facturx_en16931.replace(b"<ram:InvoiceCurrencyCode>EUR<", b"<ram:InvoiceCurrencyCode>EUX<"))
    location = next(issue.location for issue in report.errors if "InvoiceCurrencyCode" in (issue.location or ""))
    tree = etree.fromstring(facturx_en16931)
    found = tree.getroottree().xpath(location, namespaces={prefix: uri for uri, prefix in PREFIXES.items()})
    assert [element.text for element in found] == ["EUR"]


def test_report_as_dict_follows_the_cli_contract(facturx_en16931):
    report = validate(facturx_en16931.replace(b"<ram:SubjectCode>PMT<", b"<ram:SubjectCode>REG<"))
    as_dict = report.as_dict()
    assert list(as_dict) == ["syntax", "profile", "valid", "errors", "warnings"]
    assert as_dict["valid"] is False
    assert set(as_dict["errors"][0]) == {"rule", "severity", "message", "location"}


def test_unknown_rule_set_is_a_programming_error(facturx_en16931):
    with pytest.raises(ValueError, match="unknown rule set"):
        validate(facturx_en16931, rules="de")


def test_each_stylesheet_is_compiled_once_per_process(facturx_en16931):
    validate(facturx_en16931)
    before = schematron.compiled.cache_info()
    validate(facturx_en16931)
    validate(facturx_en16931.replace(b"F20260023", b"F20260024"))
    after = schematron.compiled.cache_info()
    assert after.misses == before.misses and after.hits >= before.hits + 4
    assert schematron.processor() is schematron.processor()


def test_every_official_stylesheet_compiles_with_its_code_list():
    for artefact in every_schematron():
        assert schematron.compiled(artefact) is not None
        if artefact.codedb:
            assert f"document('{artefact.codedb}')" not in schematron.stylesheet_text(artefact)


def test_stylesheets_can_reach_no_file_and_no_network():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.setblocking(False)
        port = server.getsockname()[1]
        saxon = schematron.processor()
        for call in ("unparsed-text('file:///etc/hostname')", f"count(document('http://127.0.0.1:{port}/x.xml'))",
                     "count(collection('file:///etc'))"):
            executable = saxon.new_xslt30_processor().compile_stylesheet(stylesheet_text=(
                '<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="2.0">'
                f'<xsl:template match="/"><r><xsl:value-of select="{call}"/></r></xsl:template></xsl:stylesheet>'))
            with pytest.raises(PySaxonApiError, match=r"prohibited|disallowed"):
                executable.transform_to_string(xdm_node=saxon.parse_xml(xml_text="<a/>"))
        with pytest.raises(BlockingIOError):
            server.accept()


def test_validation_from_worker_threads_gives_the_main_thread_verdicts(facturx_en16931):
    """The platform's web server validates from its worker threads; Saxon calls are serialised."""
    import threading

    broken = facturx_en16931.replace(b"<ram:SubjectCode>PMT<", b"<ram:SubjectCode>REG<")
    expected = {data: validate(data) for data in (facturx_en16931, broken)}
    results = []

    def work(data):
        results.extend((data, validate(data)) for _ in range(2))

    threads = [threading.Thread(target=work, args=(data,)) for data in (facturx_en16931, broken) * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8
    assert all(report == expected[data] for data, report in results)


def test_a_value_that_breaks_an_official_stylesheet_makes_the_report_invalid(facturx_en16931):
    """BR-FR's date check casts parts of the date to numbers and may stop on "2026AB31"."""
    original = b'<udt:DateTimeString format="102">20260131</udt:DateTimeString>'
    assert original in facturx_en16931
    malformed = facturx_en16931.replace(original, b'<udt:DateTimeString format="102">2026AB31</udt:DateTimeString>', 1)
    for _ in range(2):  # Saxon's evaluation order differs between a stylesheet's first and later runs
        report = validate(malformed)
        assert not report.valid
        assert {issue.layer for issue in report.errors} == {"br-fr"}
        failure = [issue for issue in report.errors if issue.rule == "schematron-failure"]
        assert not failure or ("cannot evaluate" in failure[0].message and "AB" in failure[0].message)
