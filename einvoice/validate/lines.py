"""Pattern walks that skip the invoice lines where no rule of the pattern can fire.

A compiled Schematron walks the whole invoice once per pattern (a mode), rules
or not: on a 5,000-line CII, most of the elements visited, dozens of times,
sit inside the ``ram:IncludedSupplyChainTradeLineItem`` elements, which most
patterns never look at (the header's totals, the seller, the payment terms…).

For each such mode, a template is added that matches an invoice line and stops
the walk there, at a priority below every rule (so a rule that matches the
line itself still fires and walks on) and above the mode's catch-all walk. It
is added only when no rule of the mode can fire inside a line, which is decided
from the rules' patterns, conservatively:

- an absolute path of child steps (``/rsm:…/ram:…``, predicates aside) fires
  inside a line only if it runs through the line's path: then the mode keeps
  its walk;
- a relative path of child steps (``ram:A/ram:B``, or ``//ram:A/ram:B``, the
  same pattern in a document) fires inside a line only if the line holds its
  whole chain (``descendant::ram:A/ram:B``) or the chain starts above the
  line: its first steps are the line's own ancestry (``ram:IncludedSupplyChainTradeLineItem/ram:X``) and the rest hangs
  below it. The line is skipped only when neither can be: tests in the added
  template's own pattern, evaluated on the document, cheap next to walking;
- anything else (``//`` inside a path, ``*``, axes, functions, unions in
  parentheses, a rule below the added template's priority, a template for
  every mode) keeps the mode's walk.

Findings are therefore those of the full walk; the conformance tests compare
them with the unmodified stylesheets.
"""

import re
from collections import defaultdict

from lxml import etree

XSL = "{http://www.w3.org/1999/XSL/Transform}"
RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
LINE = ((RSM, "CrossIndustryInvoice"), (RSM, "SupplyChainTradeTransaction"), (RAM, "IncludedSupplyChainTradeLineItem"))
CATCH_ALL = "@*|node()"
PRIORITY = "-1.5"  # rules have 1000 and up, the catch-all walk -2, the text() sink -1
_CHILD_PATH = re.compile(r"(?:/|//)?[\w.-]+:[\w.-]+(?:/[\w.-]+:[\w.-]+)*")


def skip_lines_where_no_rule_fires(text):
    """The stylesheet text with a line-skipping template in every mode that allows one."""
    root = etree.fromstring(text.encode("utf-8"))
    prefix = {uri: name for name, uri in root.nsmap.items() if name}
    if RSM not in prefix or RAM not in prefix:
        return text
    line = "/" + "/".join(f"{prefix[uri]}:{name}" for uri, name in LINE)
    templates = defaultdict(list)
    for template in root.iter(f"{XSL}template"):
        for mode in (template.get("mode") or "#default").split():
            templates[mode].append(template)
    if any(not _generic(template) for template in templates.get("#all", ())):
        return text
    added = []
    for mode, in_mode in templates.items():
        if not any(template.get("match") == CATCH_ALL for template in in_mode):
            continue  # not a pattern's walk
        guards = _guards(in_mode, root.nsmap)
        if guards is None:
            continue
        match = f"{line}[not({' or '.join(guards)})]" if guards else line
        added.append(f'<xsl:template match="{match}" mode="{mode}" priority="{PRIORITY}"/>')
    if not added:
        return text
    return text.replace("</xsl:stylesheet>", "".join(added) + "</xsl:stylesheet>", 1)


def _guards(templates, namespaces):
    """XPath tests, from a line, that a rule may fire inside it; None if the mode must walk the lines."""
    inside, below = set(), set()
    for template in templates:
        if _generic(template):
            continue
        if float(template.get("priority", "0")) <= float(PRIORITY):
            return None
        for alternative in _alternatives(template.get("match")):
            if not _CHILD_PATH.fullmatch(alternative):
                return None
            steps = alternative.lstrip("/").split("/")
            if alternative.startswith("/") and not alternative.startswith("//"):
                if len(steps) > len(LINE) and _resolved(steps[:len(LINE)], namespaces) == LINE:
                    return None
                continue
            inside.add("descendant::" + "/".join(steps))
            for start in range(1, min(len(steps), len(LINE) + 1)):  # steps[:start]: the line and its ancestors
                if _resolved(steps[:start], namespaces) == LINE[len(LINE) - start:]:
                    below.add("/".join(steps[start:]))
    return sorted(below) + sorted(inside)


def _generic(template):
    """The catch-all walk, or a text sink: templates every pattern mode has, that check nothing."""
    pattern = template.get("match")
    return pattern == CATCH_ALL or (pattern == "text()" and len(template) == 0 and not (template.text or "").strip())


def _alternatives(pattern):
    """The branches of a union pattern, predicates and whitespace removed (parentheses are kept)."""
    plain, depth = [], 0
    for character in pattern or "":
        depth += character == "["
        if depth == 0 and not character.isspace():
            plain.append(character)
        depth -= character == "]"
    return "".join(plain).split("|")


def _resolved(steps, namespaces):
    resolved = []
    for step in steps:
        prefix, name = step.split(":")
        resolved.append((namespaces.get(prefix), name))
    return tuple(resolved)
