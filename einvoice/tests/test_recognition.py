"""Recognition measured on invoices the project generates, whose truth it knows (einvoice.recognition.specimens).

Thresholds are those the issue sets: text PDFs ≥ 98 % of header fields and
totals exact, scans and photos ≥ 90 %; the full figures, with the time per
page, come from ``bench/recognition.py``.
"""

import datetime
import random
import shutil
from decimal import Decimal

import pytest

from einvoice.errors import UnreadableError
from einvoice.recognition import learn, parse, read_document, recognise
from einvoice.recognition.specimens import (
    BUYER,
    BUYER_IDS,
    LAYOUTS,
    exact_fields,
    lines_exact,
    make_seller,
    make_specimen,
    photo_jpeg,
    render_pdf,
    scan_pdf,
)

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="Tesseract is not installed (make ocr)")


def read(data, memory=None):
    return recognise(read_document(data), buyer_ids=BUYER_IDS, buyer_names=[BUYER["name"]],
                     memory_for=(lambda fields: memory) if memory else None)


def accuracy(scores):
    values = [ok for score in scores for ok in score.values()]
    return sum(values) / len(values)


@pytest.mark.parametrize(("text", "expected"), [
    ("1 234,56 €", Decimal("1234.56")), ("€1,234.56", Decimal("1234.56")), ("1.234,56 EUR", Decimal("1234.56")),
    ("TVA 20 %  200,00", Decimal("200.00")), ("12", Decimal("12.00")), ("Total", None),
])
def test_amounts_as_printed(text, expected):
    assert parse.amount(text) == expected


@pytest.mark.parametrize("text", ["12/03/2026", "2026-03-12", "12 mars 2026", "March 12, 2026", "le 12.03.2026"])
def test_dates_as_printed(text):
    assert parse.date(text) == datetime.date(2026, 3, 12)


def test_identifiers_are_taken_only_when_their_check_digits_hold():
    assert parse.siren("SIRET 732 829 320 00074") == "732829320"
    assert parse.siren("SIRET 732 829 320 00075") is None
    assert parse.vat_number("TVA FR44732829320 –") == "FR44732829320" and parse.vat_number("FR45732829320") is None
    assert parse.iban("IBAN FR76 3000 6000 0112 3456 7890 189") == "FR7630006000011234567890189"
    assert parse.iban("IBAN FR76 3000 6000 0112 3456 7890 188") is None


def test_text_pdfs_header_fields_and_totals_are_read_exactly():
    rng = random.Random(2026)
    scores, lines = [], []
    for index in range(12):
        foreign = ("DE", "BE", "US")[index % 3] if index % 4 == 3 else None
        specimen = make_specimen(rng, layout=LAYOUTS[index % len(LAYOUTS)], seller=make_seller(rng, foreign=foreign))
        result = read(render_pdf(specimen))
        scores.append(exact_fields(result, specimen.truth))
        lines.append(lines_exact(result, specimen.truth))
        assert not result.from_ocr
    assert accuracy(scores) >= 0.98, scores
    assert sum(lines) >= 11  # the lines too, one to fifty of them, across pages


def test_amounts_that_do_not_add_up_are_doubtful():
    specimen = make_specimen(random.Random(8), layout="classique", lines=2)
    specimen.truth["total_incl_vat"] += Decimal("10")  # printed wrong: the total does not add up
    result = read(render_pdf(specimen))
    assert result.checks["totals"] is False
    assert all(result.fields[name].confidence < 0.8 for name in ("total_excl_vat", "total_vat", "total_incl_vat"))


def test_a_supplier_layout_remembered_reads_what_no_label_rule_finds():
    rng = random.Random(9)
    seller = make_seller(rng)
    first = make_specimen(rng, seller=seller, layout="quirky", lines=2)
    pages = read_document(render_pdf(first))
    before = exact_fields(recognise(pages, buyer_ids=BUYER_IDS), first.truth)
    assert not before["number"] and not before["issue_date"]
    memory = {name: learn(pages, name, first.truth[name]) for name in ("number", "issue_date")}
    second = make_specimen(rng, seller=seller, layout="quirky", lines=30)
    result = read(render_pdf(second), memory)
    assert all(exact_fields(result, second.truth).values())
    assert result.fields["number"].source == "memory"


@needs_tesseract
def test_scans_are_read_through_ocr():
    rng = random.Random(31)
    scores = []
    for layout in ("classique", "modern", "compact"):
        specimen = make_specimen(rng, layout=layout, lines=rng.choice((1, 3, 6)))
        result = read(scan_pdf(render_pdf(specimen), rng))
        assert result.from_ocr
        scores.append(exact_fields(result, specimen.truth))
    assert accuracy(scores) >= 0.90, scores


@needs_tesseract
def test_a_photo_taken_sideways_is_turned_upright_and_read():
    rng = random.Random(32)
    specimen = make_specimen(rng, layout="classique", lines=2)
    result = read(photo_jpeg(render_pdf(specimen), rng, turn=90))
    assert accuracy([exact_fields(result, specimen.truth)]) >= 0.90


def test_neither_a_pdf_nor_an_image_is_unreadable():
    with pytest.raises(UnreadableError):
        read_document(b"%PDF-1.7 broken")
