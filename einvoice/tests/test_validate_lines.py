"""Pattern walks skip invoice lines only where no rule of the pattern can fire inside one."""

import pytest
from lxml import etree
from saxonche import PySaxonProcessor

from einvoice.validate.lines import skip_lines_where_no_rule_fires

NAMESPACES = ('xmlns:xsl="http://www.w3.org/1999/XSL/Transform" '
              'xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" '
              'xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"')


def stylesheet(*rules):
    """A skeleton-style compiled Schematron: one mode per pattern, each walking the whole document."""
    modes = []
    for number, pattern in enumerate(rules, 1):
        modes.append(
            f'<xsl:template match="{pattern}" mode="M{number}" priority="1000">'
            f'<found mode="M{number}"><xsl:value-of select="name()"/>:'
            '<xsl:value-of select="count(ancestor::*)"/></found>'
            f'<xsl:apply-templates mode="M{number}" select="*"/></xsl:template>'
            f'<xsl:template match="text()" mode="M{number}" priority="-1"/>'
            f'<xsl:template match="@*|node()" mode="M{number}" priority="-2">'
            f'<xsl:apply-templates mode="M{number}" select="*"/></xsl:template>')
    walks = "".join(f'<xsl:apply-templates select="/" mode="M{number}"/>' for number in range(1, len(rules) + 1))
    return (f'<xsl:stylesheet version="2.0" {NAMESPACES}><xsl:template match="/"><out>{walks}</out></xsl:template>'
            f'{"".join(modes)}</xsl:stylesheet>')


INVOICE = (f'<rsm:CrossIndustryInvoice {NAMESPACES}><rsm:ExchangedDocument><ram:ID>F1</ram:ID></rsm:ExchangedDocument>'
           '<rsm:SupplyChainTradeTransaction>{lines}<ram:ApplicableHeaderTradeSettlement><ram:ID>S</ram:ID>'
           '</ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction></rsm:CrossIndustryInvoice>')
LINE = ('<ram:IncludedSupplyChainTradeLineItem><ram:SpecifiedTradeProduct><ram:Name>Item</ram:Name>{inside}'
        '</ram:SpecifiedTradeProduct></ram:IncludedSupplyChainTradeLineItem>')
# Not schema-valid: a line holding what only a header holds. The rules still fire there, so must ours.
ODD_LINE = LINE.format(inside="<rsm:ExchangedDocument><ram:ID>odd</ram:ID></rsm:ExchangedDocument>")

RULES = [
    "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID",  # absolute, header only: lines skipped
    "rsm:ExchangedDocument/ram:ID",  # relative: fires wherever the chain is, lines skipped unless they hold it
    "ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedTradeProduct",  # starts at the line itself
    "//ram:SpecifiedTradeProduct/ram:Name[. = 'Item']",  # relative, predicate: runs inside every line
    "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:X",
    "//*[not(*)]",  # anything anywhere: the walk stays whole
]


@pytest.fixture(scope="module")
def saxon():
    return PySaxonProcessor(license=False)


def run(saxon, text, document):
    executable = saxon.new_xslt30_processor().compile_stylesheet(stylesheet_text=text)
    return executable.transform_to_string(xdm_node=saxon.parse_xml(xml_text=document))


def skipping_modes(text):
    """{mode: the condition of its line-skipping template}."""
    line = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"
    templates = etree.fromstring(text.encode()).iter("{http://www.w3.org/1999/XSL/Transform}template")
    return {template.get("mode"): template.get("match").removeprefix(line)
            for template in templates if template.get("priority") == "-1.5"}


def test_only_modes_without_rules_inside_lines_skip_them_unconditionally():
    text = skip_lines_where_no_rule_fires(stylesheet(*RULES))
    skips = skipping_modes(text)
    assert skips["M1"] == ""  # nothing to check: no guard
    assert skips["M2"] == "[not(descendant::rsm:ExchangedDocument/ram:ID)]"
    assert skips["M3"] == ("[not(ram:SpecifiedTradeProduct"
                           " or descendant::ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedTradeProduct)]")
    assert skips["M4"] == "[not(descendant::ram:SpecifiedTradeProduct/ram:Name)]"
    assert "M5" not in skips and "M6" not in skips


@pytest.mark.parametrize("lines", [LINE.format(inside="") * 3, LINE.format(inside="") + ODD_LINE, ""])
def test_the_findings_are_those_of_the_whole_walk(saxon, lines):
    original = stylesheet(*RULES)
    document = INVOICE.format(lines=lines)
    assert run(saxon, skip_lines_where_no_rule_fires(original), document) == run(saxon, original, document)
    if ODD_LINE in lines:  # the relative rule fired inside the odd line, despite the skipping
        assert 'mode="M2">ram:ID:5<' in run(saxon, skip_lines_where_no_rule_fires(original), document)


def test_a_stylesheet_for_other_documents_is_left_alone():
    ubl = stylesheet("cac:InvoiceLine").replace(NAMESPACES, 'xmlns:xsl="http://www.w3.org/1999/XSL/Transform" '
                                                'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"')
    assert skip_lines_where_no_rule_fires(ubl) == ubl


@pytest.mark.parametrize("template", [
    '<xsl:template match="(rsm:ExchangedDocument|ram:X)/ram:ID" mode="M1" priority="1000"/>',
    '<xsl:template match="ram:ID" mode="M1" priority="-1.8"/>',
    '<xsl:template match="ram:ID" mode="#all"/>',
    '<xsl:template match="ram:ID/@schemeID" mode="M1" priority="1000"/>',
])
def test_patterns_it_cannot_read_keep_the_whole_walk(template):
    text = stylesheet("/rsm:CrossIndustryInvoice/rsm:ExchangedDocument").replace(
        "</xsl:stylesheet>", template + "</xsl:stylesheet>")
    assert "M1" not in skipping_modes(skip_lines_where_no_rule_fires(text))
