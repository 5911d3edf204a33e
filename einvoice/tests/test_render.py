"""The readable view shows every business term present, in French or English, escaped."""

import html
import io
import re

import pytest
from pypdf import PdfReader

from einvoice.model import Invoice
from einvoice.read import read_invoice
from einvoice.render import render_html, render_pdf
from einvoice.render.labels import LABELS
from einvoice.tests.invoice_samples import rich_invoice
from einvoice.tests.shared_files import shared_files

CORPUS = (shared_files("*.xml", "corpus", "en16931", "cii-examples")
          + shared_files("*.xml", "corpus", "en16931", "ubl-examples")
          + shared_files("**/*.xml", "corpus", "afnor-examples", "xp-z12-012-annex-b-v1.2", "Factures"))


def text_of(page):
    """The visible text, tags removed and entities kept, with spaces normalised."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).replace("\u202f", " ").replace("\u00a0", " ")


def test_every_term_of_a_rich_invoice_is_shown_in_french():
    text = text_of(render_html(rich_invoice(), "fr"))
    for expected in [
        "Facture F2026-0042", "01/09/2026", "01/10/2026", "Cadre de facturation B1", "au paiement (432)",
        "VENDEUR SARL", "100000009 SIREN", "10000000900017 SIRET", "FR88100000009", "adresse de facturation",
        "35 rue de la Paix", "75002 Paris", "Jeanne Martin", "compta@vendeur.example", "SARL au capital",
        "ACHETEUR SA", "200000008", "FR12200000008", "69001 Lyon", "FACTOR SA", "Facturé à",
        "SERVICE-ACHATS", "PO-77", "CT-2026", "PRJ-1", "30 jours fin de mois",
        "Pénalités de retard (PMD)", "(PMT)", "Escompte (AAB)", "F2026-0001 du 01/08/2026",
        "Entrepôt Sud", "28/08/2026", "13002 Marseille", "du 01/08/2026 au 31/08/2026",
        "Prestation 1", "Conseil et accompagnement", "SKU-1", "Niveau : Senior", "2,5 h", "Prix brut : 100,00",
        "Livre technique", "S 5,5 %", "Remise (Remise éditeur) : 1,50",
        "Remise fidélité (95)", "Frais de port (FC)", "Taux normal (S)",
        "Net à payer", "Virement SEPA (58)", "RF18F20260042", "FR76 3000 6000 0112 3456 7890 189", "AGRIFRPP",
        "BL-1", "bl.pdf", "16 octets", "https://vendeur.example/cgv",
    ]:
        assert expected in text, expected


def test_totals_are_the_model_totals_formatted_for_the_language():
    invoice = rich_invoice()
    payable = invoice.totals.payable
    assert f"{payable:.2f}".replace(".", ",") in text_of(render_html(invoice, "fr"))
    english = text_of(render_html(invoice, "en"))
    assert "Amount due" in english and "Net à payer" not in english
    assert f"{payable:,.2f} EUR" in english
    assert "Invoice F2026-0042" in english and "2026-09-01" in english


def test_text_from_the_invoice_is_escaped():
    page = render_html(rich_invoice(), "fr")
    assert "Refonte &lt;site&gt; &amp; co" in page
    assert "<site>" not in page


def test_characters_xml_forbids_are_dropped_so_the_pdf_still_renders():
    invoice = rich_invoice(lines=1)
    invoice.lines[0].item.name = "Câble\x0b 2 m\x00"
    assert "Câble 2 m" in render_html(invoice)
    assert render_pdf(invoice).startswith(b"%PDF-")


def test_absent_terms_leave_no_empty_section():
    import datetime

    minimal = Invoice(number="X1", issue_date=datetime.date(2026, 1, 2))
    text = text_of(render_html(minimal, "fr"))
    for section in ("Livraison", "Paiement", "Pièces jointes", "Notes", "Références", "Lignes"):
        assert section not in text
    assert "Facture X1" in text


def test_every_label_exists_in_both_languages():
    assert all(len(pair) == 2 and all(pair) for pair in LABELS.values())
    with pytest.raises(ValueError, match="unsupported language"):
        render_html(rich_invoice(), "de")


def test_credit_note_is_titled_as_such():
    invoice = rich_invoice()
    invoice.type_code = "381"
    assert "<h1>Avoir" in render_html(invoice, "fr")
    assert "<h1>Credit note" in render_html(invoice, "en")


def test_pdf_shows_the_same_view_and_long_invoices_flow_over_pages():
    reader = PdfReader(io.BytesIO(render_pdf(rich_invoice(lines=60), "fr")))
    assert len(reader.pages) > 1
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "F2026-0042" in text and "Net à payer" in text and "Prestation 60" in text


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_every_corpus_invoice_renders_in_both_languages(path):
    invoice = read_invoice(path.read_bytes())
    for lang in ("fr", "en"):
        text = html.unescape(text_of(render_html(invoice, lang)))  # as a reader sees it, whatever the entities
        assert invoice.number in text
        for line in invoice.lines:
            assert line.item.name.split()[0] in text


def test_missing_mandatory_figures_show_as_a_dash_and_the_rest_still_renders():
    invoice = rich_invoice()
    line = invoice.lines[0]
    line.quantity = line.unit_code = line.price.net_price = line.net_amount = line.vat_category = None
    line.vat_rate = None
    invoice.payment_instructions.means_code = None
    invoice.vat_breakdown[0].tax_amount = None
    page = render_html(invoice, "fr")
    row = re.search(r'<tr><td class="id">1</td>.*?</tr>', page).group(0)
    assert row.count('<td class="num">\u2013</td>') == 4
    assert "Prestation 1" in row
    assert page.count('<td class="num">\u2013</td>') == 5  # and the VAT amount of the breakdown
    text = text_of(page)
    assert "RF18F20260042" in text and "Virement SEPA" not in text
    assert not re.search(r"\bNone\b", page)


def test_hostile_invoice_content_is_shown_as_text_never_as_markup():
    from xml.etree import ElementTree

    invoice = rich_invoice(lines=1)
    invoice.lines[0].item.name = '<script>alert("pwned")</script>'
    invoice.notes[0].text = '"><img src=x onerror="alert(1)">'
    invoice.seller.name = "O'Brien\" onclick=\"alert(2)"
    invoice.attachments[0].uri = "javascript:alert('3')"
    page = render_html(invoice, "fr")
    root = ElementTree.fromstring(page.removeprefix("<!DOCTYPE html>"))
    tags = {element.tag for element in root.iter()}
    assert "script" not in tags and "img" not in tags
    assert not any(name.startswith("on") for element in root.iter() for name in element.attrib)
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page
    assert "O&#39;Brien&#34; onclick=&#34;alert(2)" in page
    texts = " ".join(root.itertext())
    assert '<script>alert("pwned")</script>' in texts and "O'Brien\" onclick=\"alert(2)" in texts


def tiny_png():
    """A valid 1×1 PNG, built here (no imaging library needed)."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


def test_the_sellers_logo_heads_the_view_and_the_pdf():
    logo = (tiny_png(), "image/png")
    page = render_html(rich_invoice(), "fr", logo=logo)
    assert '<img class="logo" src="data:image/png;base64,' in page
    assert "<img" not in render_html(rich_invoice(), "fr")
    assert b"/Subtype /Image" in render_pdf(rich_invoice(), "fr", logo=logo)
    with pytest.raises(ValueError, match="unsupported logo type"):
        render_html(rich_invoice(), "fr", logo=(b"<svg/>", "image/svg+xml"))
