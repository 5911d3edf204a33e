"""Readable views of an invoice: HTML for screens, PDF (WeasyPrint) for paper and Factur-X.

    render_html(invoice, lang="fr") -> str
    render_pdf(invoice, lang="fr") -> bytes

WeasyPrint is imported on first PDF use only, so that reading and validating
invoices never pays for it. For speed (see bench/facturx_generation.py) the
stylesheets are parsed once per process, the page we generate is parsed as
XML rather than by the HTML5 parser, and a small user-agent stylesheet
replaces WeasyPrint's HTML5 one.
"""

import functools
from pathlib import Path
from xml.etree import ElementTree

from einvoice.render.html import STYLESHEET, build_html

UA_STYLESHEET = Path(__file__).with_name("ua.css")


def render_html(invoice, lang="fr", *, logo=None):
    """A standalone HTML page (styles inlined) showing every business term of ``invoice``;
    ``logo`` is the seller's, as ``(content, media_type)``."""
    return build_html(invoice, lang, logo=logo)


def render_pdf(invoice, lang="fr", *, logo=None, **options):
    """The same view as a PDF; ``options`` go to WeasyPrint's ``write_pdf`` (e.g. ``pdf_variant``)."""
    return render_document(invoice, lang, logo=logo).write_pdf(**options)


def render_document(invoice, lang="fr", *, logo=None):
    """The laid-out WeasyPrint document, for callers that add to the PDF (Factur-X)."""
    page = build_html(invoice, lang, inline_css=False, logo=logo)
    root = ElementTree.fromstring(page.removeprefix("<!DOCTYPE html>"))
    return _document_class()(root).render(stylesheets=[_stylesheet()])


@functools.cache
def _document_class():
    """An ``HTML`` source built from our own element tree, styled by our user-agent stylesheet.

    WeasyPrint takes only markup to parse; its constructor's few assignments are
    repeated here (``tests/test_render.py`` renders through this path, so a
    WeasyPrint change that breaks it fails the tests).
    """
    import cssselect2
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    user_agent = CSS(string=UA_STYLESHEET.read_text())

    class InvoicePage(HTML):
        def __init__(self, root):
            self.base_url = None
            self.url_fetcher = URLFetcher()
            self.media_type = "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
            self.etree_element = self.wrapper_element.etree_element

        def _ua_stylesheets(self, forms=False):
            return [user_agent]

    return InvoicePage


@functools.cache
def _stylesheet():
    from weasyprint import CSS

    return CSS(string=STYLESHEET.read_text())
