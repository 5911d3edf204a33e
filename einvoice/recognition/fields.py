"""The fields of an invoice read from its pages: where each label is, and the value beside or below it.

A field is kept with its confidence (0..1) and the box it was read from, so the
review page can draw it; ``read_fields`` takes a supplier's remembered boxes
(see ``memory``) first, then the labels French and English invoices use.
"""

import re
import unicodedata
from dataclasses import dataclass

from einvoice.recognition import parse

LOW_CONFIDENCE = 0.8  # below this, a field is shown to be checked


@dataclass
class Field:
    value: object
    confidence: float
    box: object = None  # layout.Box
    source: str = "label"  # label, memory, registry, computed, default


def plain(text):
    """Lower case without accents: what labels are matched on."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


# Labels, most specific first: a segment is the label of the first field whose pattern it starts with.
LABELS = [
    ("due_date", r"(date d'|date limite de )?(echeance|paiement)|due date|payment due|payable (avant|le|by|before)"),
    ("issue_date", r"date (de (la )?)?facture|date d'emission|invoice date|date of issue|date$|date :|date\b"),
    ("total_excl_vat", (r"(total|montant) (h\.? ?t|hors taxes?)|sous[ -]total|subtotal|total (excl|net|before|hors)"
                       r"|net total|total excluding")),
    ("total_vat", r"(total|montant) (de la )?(tva|vat)|total tax|tva$|vat$|tax$"),
    ("total_incl_vat", (r"(total|montant) t\.? ?t\.? ?c|net a payer|total (incl|due|a payer|amount|including)"
                       r"|amount due|balance due|grand total|total$|total :")),
    ("number", (r"(facture|invoice) (n ?[o°]|n\b|no\b|number|#|num)|n ?[o°] (de )?facture|numero (de )?facture"
               r"|invoice$|n ?[o°]\s*:?$|n ?[o°]\b|numero\b")),
]
_LABELS = [(name, re.compile(pattern)) for name, pattern in LABELS]
READERS = {
    "number": parse.reference, "issue_date": parse.date, "due_date": parse.date,
    "total_excl_vat": parse.amount, "total_vat": parse.amount, "total_incl_vat": parse.amount,
    "seller_siren": parse.siren, "seller_siret": parse.siret, "seller_vat": parse.vat_number, "iban": parse.iban,
    "currency": parse.currency, "seller_name": lambda text: text.strip() or None,
}
TOTALS = ("total_excl_vat", "total_vat", "total_incl_vat")
BUYER_LABELS = re.compile(r"^(client|facture a|factur[ee] a|adresse de facturation|destinataire|bill(ed)? to"
                          r"|customer|sold to|acheteur)\b")
TITLE_WORDS = re.compile(r"^(facture|invoice|avoir|credit note|date|page|n ?[o°]|tel|email|e-mail|www\.|siret|siren"
                         r"|tva|vat|iban|client|devis|reference|ref\b)")


def label_of(text):
    """The field whose label ``text`` starts with, and where the label ends; (None, 0) for no label."""
    lowered = plain(text).strip()
    for name, pattern in _LABELS:
        found = pattern.match(lowered)
        if found:
            return name, found.end()
    return None, 0


def value_near(lines, line_index, segment_index, name, label_end):
    """The value of a label: after it in its segment, then to its right, then just below it."""
    line = lines[line_index]
    segment = line.segments[segment_index]
    reader = READERS[name]
    rest = segment.text[label_end:].lstrip(" :.#")
    if rest and (value := reader(rest)) is not None:
        return value, segment, 0.95
    for right in line.segments[segment_index + 1:segment_index + 3]:
        if (value := reader(right.text)) is not None:
            return value, right, 0.95
    height = segment.box.y1 - segment.box.y0
    for below_line in lines[line_index + 1:line_index + 3]:
        if below_line.page != line.page or below_line.top - segment.box.y1 > 3 * height:
            break
        for below in below_line.segments:
            overlaps = below.box.x0 < segment.box.x1 and segment.box.x0 < below.box.x1
            if overlaps and (value := reader(below.text)) is not None:
                return value, below, 0.85
    return None


def labelled_fields(lines):
    """Every (name, Field) found next to a label, in reading order."""
    found = []
    for line_index, line in enumerate(lines):
        for segment_index, segment in enumerate(line.segments):
            name, end = label_of(segment.text)
            if name is None:
                continue
            near = value_near(lines, line_index, segment_index, name, end)
            if near is not None:
                value, where, confidence = near
                found.append((name, Field(value, confidence * where.confidence, where.box)))
    return found


def vat_rows(lines):
    """The VAT lines of the totals: ``TVA 20 %  200,00`` → (rate, amount, box)."""
    rows = []
    for line in lines:
        text = plain(line.text)
        if not re.search(r"\b(tva|vat|tax)\b", text) or parse.rate(line.text) is None:
            continue
        if len(line.segments) > 4:  # a line of the table of lines, not of the totals
            continue
        last = line.segments[-1]
        value = parse.amount(last.text)
        if value is not None and "%" not in last.text:
            rows.append((parse.rate(line.text), value, last.box, last.confidence))
    return rows


def identifiers(lines, excluded):
    """SIREN, SIRET, VAT numbers and IBANs on the pages, first seen first, without the buyer's own."""
    found = {"seller_siren": [], "seller_siret": [], "seller_vat": [], "iban": []}
    for line in lines:
        for segment in line.segments:
            for name in found:
                value = READERS[name](segment.text)
                if value and value not in excluded and not (name == "seller_vat" and value[2:] in excluded):
                    found[name].append(Field(value, 0.97 * segment.confidence, segment.box))
    return found


def seller_name(lines, excluded_names):
    """The seller's name: the first line of the first page's top that is not a title, a label or the buyer's."""
    buyer_block = None
    for line in lines:
        if line.page != 0 or line.top > 0.4:
            break
        for segment in line.segments:
            text = plain(segment.text)
            if BUYER_LABELS.match(text):
                buyer_block = segment.box
                continue
            if buyer_block and segment.box.x0 < buyer_block.x1 + 0.05 and buyer_block.x0 - 0.05 < segment.box.x1 \
                    and 0 <= segment.box.y0 - buyer_block.y0 < 0.12:
                continue
            if (TITLE_WORDS.match(text) or label_of(segment.text)[0] or not re.search(r"[a-z]{2}", text)
                    or re.match(r"^\d", text) or plain(segment.text.strip()) in excluded_names):
                continue
            return Field(segment.text.strip(), 0.75 * segment.confidence, segment.box)
    return None
