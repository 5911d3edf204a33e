"""The official CDAR checks, for tests: the D22B XSD and the French Schematron.

Each is loaded once per process; the Schematron is compiled with saxonche.
"""

import functools

from lxml import etree

from einvoice.tests.shared_files import shared_path

SVRL = "{http://purl.oclc.org/dsdl/svrl}"


@functools.cache
def _schema():
    folder = shared_path("specs", "cdar", "1xsd-CDAR_D22B_uncoupled")
    return etree.XMLSchema(etree.parse(str(folder / "CrossDomainAcknowledgementAndResponse_100pD22B.xsd")))


@functools.cache
def _schematron():
    from saxonche import PySaxonProcessor

    stylesheet = shared_path("specs", "cdar", "2xslt", "BR-FR-CDV-Schematron-CDAR.xslt")
    processor = PySaxonProcessor(license=False)
    executable = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(stylesheet))
    return processor, executable


def xsd_errors(data):
    schema = _schema()
    if schema.validate(etree.fromstring(data)):
        return []
    return [f"{error.line}: {error.message}" for error in schema.error_log]


def schematron_failures(data):
    """``[(rule id, flag)]`` of every failed assertion of the French CDAR Schematron."""
    processor, executable = _schematron()
    node = processor.parse_xml(xml_text=data.decode("utf-8-sig"))
    report = etree.fromstring(executable.transform_to_string(xdm_node=node).encode())
    return [(failed.get("id"), failed.get("flag")) for failed in report.iter(f"{SVRL}failed-assert")]


def fatal_failures(data):
    return [rule for rule, flag in schematron_failures(data) if flag != "warning"]
