"""The severities CEN's normative EN 16931 artefacts give their rules, for tests.

France_RFE ships CEN's compiled stylesheets (``specs/france-rfe-1.4.0.02``); a
rule's severity is the ``flag`` its failed assertion carries there. The
Factur-X stylesheets number some CEN rules their own way (``FX-SCH-A-…``) and
name the CEN rule in the message: ``[CII-SR-465]-Only one BT-41…``.
"""

import functools
import re

from lxml import etree

from einvoice.tests.shared_files import shared_path

SVRL = "{http://purl.oclc.org/dsdl/svrl}"
XSL = "{http://www.w3.org/1999/XSL/Transform}"
NON_BLOCKING = ("warning", "information")
_CEN_RULE = re.compile(r"\[([A-Z]+-[A-Z]*-?\d+)\]")


def assertions(path):
    """``(id, flag, message)`` of every assertion and report a compiled Schematron can output."""
    for element in etree.parse(str(path)).iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"):
        attributes = {"id": element.get("id"), "flag": element.get("flag")}
        for attribute in element.iterfind(f"{XSL}attribute"):
            if attribute.get("name") in attributes:
                attributes[attribute.get("name")] = attribute.text
        text = element.find(f"{SVRL}text")
        yield attributes["id"], attributes["flag"], "".join(text.itertext()) if text is not None else ""


@functools.cache
def cen_flags(syntax):
    """CEN rule id -> flag, for ``"cii"`` or ``"ubl"``."""
    stylesheet = shared_path("specs", "france-rfe-1.4.0.02", syntax, f"EN16931-{syntax.upper()}-validation.xslt")
    return {rule: flag for rule, flag, _ in assertions(stylesheet)}


def cen_rule(rule, message, syntax):
    """The CEN rule an assertion checks: its own id, or the one its message names."""
    flags = cen_flags(syntax)
    if rule in flags:
        return rule
    named = _CEN_RULE.search(message or "")
    return named[1] if named and named[1] in flags else None


def blocking(flag):
    return (flag or "").strip().lower() not in NON_BLOCKING


def severity_disagreements(path, syntax):
    """``{own rule id: (CEN rule id, own flag, CEN flag)}`` where the stylesheet and CEN disagree on blocking."""
    found = {}
    for rule, flag, message in assertions(path):
        cen = cen_rule(rule, message, syntax)
        if cen is not None and blocking(flag) != blocking(cen_flags(syntax)[cen]):
            found[rule] = (cen, flag, cen_flags(syntax)[cen])
    return found
