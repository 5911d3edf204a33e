"""Checking a flux 10 report: the official XSD, then the flux 10 business rules.

The artefacts are those the ``pyfrctc`` package distributes, unchanged on disk:
the DGFiP e-reporting schemas (``frr-xsd/ereporting.xsd`` and the modules it
imports) and a compiled Schematron of the annex 7 management rules
(``frr-schematron/Flux10.xslt``). Both run through the engine's own
machinery (:mod:`einvoice.validate.xsd`, :mod:`einvoice.validate.schematron`):
each is loaded once per process, Saxon may open no file or URL.

The stylesheet names each rule inside its message ("[G6.22] Le type
d'identifiant…  | Source : Annexe 7 v1.8 G6.22"); the issue's ``rule`` is that
code, its message the French sentence without the source.
"""

import re
from dataclasses import replace
from pathlib import Path

import pyfrctc
from saxonche import PySaxonApiError

from einvoice.errors import EInvoiceError
from einvoice.validate import schematron, xsd
from einvoice.validate.artefacts import Schematron
from einvoice.validate.report import Issue, Report
from einvoice.xml import parse

ARTEFACTS = Path(pyfrctc.__file__).resolve().parent
XSD = str(ARTEFACTS / "frr-xsd" / "ereporting.xsd")
RULES = Schematron(str(ARTEFACTS / "frr-schematron" / "Flux10.xslt"))
RULE_SET = "flux10"

_RULE_IN_MESSAGE = re.compile(r"^\[([A-Z]\d+\.\d+[a-z]?)\]\s*")
_SOURCE = re.compile(r"\s*\|\s*Source\s*:.*$")
# "/*:Report[namespace-uri()=''][1]/*:TransactionsReport[namespace-uri()=''][1]/*:Invoice[namespace-uri()=''][3]"
_STEP = re.compile(r"\*:([\w.-]+)\[namespace-uri\(\)=''\]")


def validate(data):
    """The verdict on flux 10 XML ``data`` (bytes): XSD issues, then every broken business rule."""
    try:
        tree = parse(data)
    except EInvoiceError as error:
        return Report.from_error(error, RULE_SET)
    found = xsd.check(tree, XSD)
    found += _rules(data)
    return Report.from_issues("FRR", None, RULE_SET, found)


def _rules(data):
    with schematron.LOCK:
        node = schematron.processor().parse_xml(xml_text=data.decode("utf-8"))
    try:
        return [_named(issue) for issue in schematron.run(RULES, node, "flux10")]
    except PySaxonApiError as error:
        cause = " ".join(str(error).split()) or "unknown error"
        return [Issue(rule="schematron-failure", severity="fatal", layer="flux10",
                      message=f"the flux 10 rules stopped on a value they cannot evaluate ({cause})")]


def _named(issue):
    match = _RULE_IN_MESSAGE.match(issue.message)
    message = _SOURCE.sub("", _RULE_IN_MESSAGE.sub("", issue.message))
    location = _STEP.sub(r"\1", issue.location) if issue.location else issue.location
    return replace(issue, rule=match.group(1) if match else issue.rule, message=message, location=location)
