"""Whatever a sample's values are replaced with, reading gives a model or an UnreadableError."""

from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from einvoice.errors import UnreadableError
from einvoice.model import Invoice
from einvoice.read import read_invoice
from einvoice.tests.samples import CORPUS

SAMPLES = ("en16931/cii-examples/CII_example1.xml", "en16931/unit-tests/testfiles/Invoice-Max_content.xml",
           "en16931/unit-tests/testfiles/CreditNote-Max_content.xml")
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")

garbage = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=12),
    st.sampled_from(["", " ", "-", "1,5", "1.2.3", "1e9", "NaN", "20261340", "2026-02-30", "true", "yes", "Ω"]),
)


@cache
def leaves(relative):
    tree = etree.parse(str(CORPUS / relative))
    return tree, [e for e in tree.iter() if isinstance(e.tag, str) and len(e) == 0]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SAMPLES), st.data())
def test_mutated_values_read_or_fail_as_unreadable(relative, data):
    tree, elements = leaves(relative)
    root = etree.fromstring(etree.tostring(tree))
    targets = [e for e in root.iter() if isinstance(e.tag, str) and len(e) == 0]
    assert len(targets) == len(elements)
    for index in data.draw(st.lists(st.integers(0, len(targets) - 1), min_size=1, max_size=4)):
        value = data.draw(garbage)
        target = targets[index]
        if data.draw(st.booleans()):
            target.text = value
        elif target.getparent() is not None and target.getparent().getparent() is not None:
            target.getparent().remove(target)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    try:
        result = read_invoice(xml)
    except UnreadableError as error:
        result = error
    if isinstance(result, UnreadableError):
        assert str(result)
    else:
        assert isinstance(result, Invoice)
