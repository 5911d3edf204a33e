"""Generated invoices: the view never fails, stays well-formed, and Factur-X keeps every term."""

from xml.etree import ElementTree

from hypothesis import HealthCheck, given, settings
from markupsafe import escape

from einvoice.facturx import to_facturx
from einvoice.read import read_invoice
from einvoice.render import render_html
from einvoice.tests import strategies
from einvoice.tests.samples import assert_same
from einvoice.write import EN16931, to_cii


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.invoices(extended=True))
def test_any_invoice_renders_as_well_formed_markup_showing_its_terms(invoice):
    for lang in ("fr", "en"):
        page = render_html(invoice, lang)
        # The PDF path parses the page as XML: it must be well-formed whatever the invoice says.
        ElementTree.fromstring(page.removeprefix("<!DOCTYPE html>"))
        assert escape(invoice.number) in page  # the page's escaping (Jinja's)
        for line in invoice.lines:
            assert escape(line.item.name) in page
        for note in invoice.notes:
            assert escape(note.text) in page


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.invoices())
def test_any_invoice_reads_back_from_factur_x_as_from_its_cii(invoice):
    """Factur-X adds nothing and loses nothing over the CII it embeds (whose own round trip
    is tested in test_roundtrip.py)."""
    assert_same(read_invoice(to_cii(invoice, EN16931)), read_invoice(to_facturx(invoice)))
