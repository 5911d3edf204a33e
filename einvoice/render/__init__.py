"""Readable views of an invoice: HTML for screens, PDF (WeasyPrint) for paper and Factur-X.

    render_html(invoice, lang="fr") -> str
    render_pdf(invoice, lang="fr") -> bytes

WeasyPrint is imported on first PDF use only, so that reading and validating
invoices never pays for it; the stylesheet is parsed once per process.
"""

import functools

from einvoice.render.html import STYLESHEET, build_html


def render_html(invoice, lang="fr"):
    """A standalone HTML page (styles inlined) showing every business term of ``invoice``."""
    return build_html(invoice, lang)


def render_pdf(invoice, lang="fr", **options):
    """The same view as a PDF; ``options`` go to WeasyPrint's ``write_pdf`` (e.g. ``pdf_variant``)."""
    return render_document(invoice, lang).write_pdf(**options)


def render_document(invoice, lang="fr"):
    """The laid-out WeasyPrint document, for callers that add to the PDF (Factur-X)."""
    from weasyprint import HTML

    page = build_html(invoice, lang, inline_css=False)
    return HTML(string=page).render(stylesheets=[_stylesheet()])


@functools.cache
def _stylesheet():
    from weasyprint import CSS

    return CSS(string=STYLESHEET.read_text())
