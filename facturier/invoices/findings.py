"""The engine's findings as the people who must act read them.

The engine reports each fired rule with its id, technical text and location
(``einvoice.validate.Report``; stored as JSON on the invoice). A page shows
the plain message of ``einvoice.messages`` in the reader's language, the rule
id, technical texts and locations behind a "détails" toggle, and the same
rule fired on thirteen lines once, "× 13".
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from einvoice.messages import explain, technical_text

MAX_DETAILS = 20  # technical texts listed under one grouped finding


@dataclass(frozen=True)
class Detail:
    text: str
    location: str


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str
    fix: str  # where to correct it on the platform ("" for invoices received: the sender corrects them)
    blocking: bool
    count: int
    details: tuple  # of Detail, the first MAX_DETAILS distinct ones


def grouped(issues, *, with_fix=False, language=None):
    """``issues`` (the engine's ``Issue`` objects or their stored dicts) grouped by rule, in first-seen order."""
    language = language or get_language() or "fr"
    groups = {}
    for issue in issues:
        rule, text, location, severity = _fields(issue)
        group = groups.setdefault(rule, {"texts": [], "blocking": False, "count": 0, "first": text})
        group["count"] += 1
        group["blocking"] |= severity in ("fatal", "error")
        detail = Detail(technical_text(rule, text), location or "")
        if detail not in group["texts"] and len(group["texts"]) < MAX_DETAILS:
            group["texts"].append(detail)
    return [_finding(rule, group, with_fix, language) for rule, group in groups.items()]


def _fields(issue):
    if isinstance(issue, dict):
        return (issue.get("rule") or "schematron", issue.get("message") or "", issue.get("location"),
                issue.get("severity") or "error")
    return issue.rule, issue.message, issue.location, issue.severity


def _finding(rule, group, with_fix, language):
    message = explain(rule, group["first"])
    if message is None:  # a rule newer than the catalogue: say so plainly rather than show raw text alone
        text, fix = _("La facture ne respecte pas une règle de la norme (voir le détail)."), ""
    else:
        text, fix = message.text(language), message.fix(language) if with_fix else ""
    return Finding(rule=rule, message=text, fix=fix, blocking=group["blocking"], count=group["count"],
                   details=tuple(group["texts"]))


def render_one(finding):
    """One finding's HTML, for a form error next to its field."""
    return render_to_string("invoices/_finding.html", {"finding": finding})
