"""Checking a flux 10 report: the official XSD, then the flux 10 business rules.

The artefacts are those the ``pyfrctc`` package distributes, unchanged on disk:
the DGFiP e-reporting schemas (``frr-xsd/ereporting.xsd`` and the modules it
imports) and a compiled Schematron of the annex 7 management rules
(``frr-schematron/Flux10.xslt``). Both run through the engine's own
machinery (:mod:`einvoice.validate.xsd`, :mod:`einvoice.validate.schematron`):
each is loaded once per process, Saxon may open no file or URL.

The stylesheet walks the whole report once per pattern (a hundred of them),
which made the rules cost 1.7 ms per invoice: 9 s for 5,000. Every rule
context of Flux10 is an absolute path (``/Report/TransactionsReport/Invoice/ID``),
so :func:`prune_walks` starts each pattern on the nodes its contexts name
(predicates dropped: the templates still test them) instead of walking every
element: a pattern about 10.3 days no longer visits 10.1 invoices. Each node
is still handled once per pattern, in document order, by the highest-priority
rule that matches it, so findings are those of the full walk (the tests
compare them with the unmodified stylesheet's); a pattern with any other kind
of context keeps its walk.

The stylesheet names each rule inside its message ("[G6.22] Le type
d'identifiant…  | Source : Annexe 7 v1.8 G6.22"); the issue's ``rule`` is that
code, its message the French sentence without the source.
"""

import functools
import re
from dataclasses import replace
from pathlib import Path

import pyfrctc
from lxml import etree
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
# An item's step in a location, as the rules (Invoice[3]) and the XSD (Invoice[3]) both write it.
# The XSD leaves out the index of an element without a sibling of its name (".../Invoice/ID").
_ITEM_STEP = re.compile(r"/(?:Transactions|Payments)Report(?:\[1\])?/(Invoice|Transactions)(\[\d+\])?(?=/|$)")


def validate(data):
    """The verdict on flux 10 XML ``data`` (bytes): XSD issues, then every broken business rule."""
    try:
        tree = parse(data)
    except EInvoiceError as error:
        return Report.from_error(error, RULE_SET)
    found = xsd.check(tree, XSD)
    found += _rules(data)
    return Report.from_issues("FRR", None, RULE_SET, found)


def validate_part(opening, items, closing, *, first=0):
    """The issues of a report's ``items`` (XML bytes, numbered from ``first``), checked between its
    ``opening`` and ``closing`` (see :mod:`einvoice.ereporting.write`).

    Neither the XSD (no key, no uniqueness, no bound on the number of items)
    nor any flux 10 rule relates two items of a report: each rule's context is
    the header, the period or one item and what it holds. So a report checked
    part by part finds what it finds checked whole (a test compares them), in
    memory that does not grow with the report. Each item's location is
    renumbered from ``first`` (and always indexed); the header's own findings,
    the same in every part, come with the first part only.
    """
    verdict = validate(opening + b"".join(items) + closing)
    found = []
    for issue in verdict.errors + verdict.warnings:
        row = item_index(issue.location)
        if row is None:
            if first == 0 or not issue.location:  # a document that could not be checked is said every time
                found.append(issue)
            continue
        match = _ITEM_STEP.search(issue.location)
        location = f"{issue.location[:match.end(1)]}[{first + row + 1}]{issue.location[match.end():]}"
        found.append(replace(issue, location=location))
    return Report.from_issues("FRR", None, RULE_SET, found)


def item_index(location):
    """The index (from 0) of the item a location is inside, or None for the header and the period."""
    match = _ITEM_STEP.search(location or "")
    if match is None:
        return None
    return int(match.group(2)[1:-1]) - 1 if match.group(2) else 0


XSL = "{http://www.w3.org/1999/XSL/Transform}"
# An absolute path of named child steps, each with at most one flat predicate.
_ABSOLUTE_PATH = re.compile(r"^(?:/[A-Za-z][\w.-]*(?:\[[^\[\]]*\])?)+$")
_PREDICATE = re.compile(r"\[[^\[\]]*\]")


def prune_walks(text):
    """Each pattern visits only its rules' contexts (see the module's docstring)."""
    root = etree.fromstring(text.encode("utf-8"))
    contexts = {}
    for template in root.iter(f"{XSL}template"):
        mode, match = template.get("mode"), template.get("match", "")
        if mode and mode.startswith("M") and match not in ("@*|node()", "text()"):
            contexts.setdefault(mode, []).extend(part.strip() for part in match.split("|"))
    pruned = {mode: " | ".join(dict.fromkeys(_PREDICATE.sub("", path) for path in paths))
              for mode, paths in contexts.items() if all(_ABSOLUTE_PATH.match(path) for path in paths)}
    for apply in list(root.iter(f"{XSL}apply-templates")):
        mode = apply.get("mode")
        if mode not in pruned:
            continue
        if apply.get("select") == "/":  # the pattern's start: go straight to the candidate contexts
            apply.set("select", pruned[mode])
        elif apply.get("select") == "*":  # a walk on from a node: the contexts are all visited already
            apply.getparent().remove(apply)
    return etree.tostring(root, encoding="unicode")


@functools.cache
def _compiled_rules():
    with schematron.LOCK:
        text = prune_walks(schematron.stylesheet_text(RULES))
        return schematron.processor().new_xslt30_processor().compile_stylesheet(stylesheet_text=text)


def _rules(data):
    with schematron.LOCK:
        node = schematron.processor().parse_xml(xml_text=data.decode("utf-8"))
    try:
        with schematron.LOCK:
            svrl = _compiled_rules().transform_to_string(xdm_node=node)
        return [_named(issue) for issue in schematron.issues(svrl.encode("utf-8"), "flux10")]
    except PySaxonApiError as error:
        cause = " ".join(str(error).split()) or "unknown error"
        return [Issue(rule="schematron-failure", severity="fatal", layer="flux10",
                      message=f"the flux 10 rules stopped on a value they cannot evaluate ({cause})")]


def _named(issue):
    match = _RULE_IN_MESSAGE.match(issue.message)
    message = _SOURCE.sub("", _RULE_IN_MESSAGE.sub("", issue.message))
    location = _STEP.sub(r"\1", issue.location) if issue.location else issue.location
    return replace(issue, rule=match.group(1) if match else issue.rule, message=message, location=location)
