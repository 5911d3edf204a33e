"""Values as printed on invoices, read into typed values: amounts, rates, dates, identifiers.

Each reader takes a piece of text and returns the value or None; identifiers
are returned only when their check digits hold (python-stdnum), which is what
lets a confident reading be told from a plausible one.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from stdnum import iban as stdnum_iban
from stdnum.eu import vat as eu_vat
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret

CURRENCIES = {"€": "EUR", "EUR": "EUR", "$": "USD", "USD": "USD", "£": "GBP", "GBP": "GBP", "CHF": "CHF"}
_CURRENCY = re.compile(r"€|\$|£|\b(?:EUR|USD|GBP|CHF)\b")
_PERCENT = re.compile(r"\d{1,2}(?:[.,]\d{1,2})?\s*%")
_AMOUNT = re.compile(r"-?\d{1,3}(?:[  .,’']\d{3})*(?:[.,]\d{1,2})?(?!\d)|-?\d+(?:[.,]\d{1,2})?(?!\d)")


def amount(text):
    """The last amount in ``text`` (``1 234,56 €``, ``€1,234.56``, ``1.234,56``), or None."""
    cleaned = _CURRENCY.sub(" ", _PERCENT.sub(" ", text or "")).replace("\u202f", " ").replace("\xa0", " ")
    found = _AMOUNT.findall(cleaned)
    if not found:
        return None
    return to_decimal(found[-1])


def to_decimal(raw):
    raw = raw.replace(" ", "").replace(" ", "").replace("’", "").replace("'", "")
    if "," in raw and "." in raw:
        decimal_mark = max(raw.rfind(","), raw.rfind("."))
        raw = re.sub(r"[.,]", "", raw[:decimal_mark]) + "." + raw[decimal_mark + 1:]
    elif "," in raw or "." in raw:
        mark = "," if "," in raw else "."
        head, _, tail = raw.rpartition(mark)
        raw = head.replace(mark, "") + ("." + tail if len(tail) != 3 else tail)
    try:
        return Decimal(raw).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def currency(text):
    found = _CURRENCY.search(text or "")
    return CURRENCIES[found.group(0)] if found else None


_RATE = re.compile(r"(\d{1,2}(?:[.,]\d{1,2})?)\s*%")


def rate(text):
    """A VAT rate written ``20 %``, ``5,5%``, as a Decimal (``Decimal('5.5')``), or None."""
    found = _RATE.search(text or "")
    return Decimal(found.group(1).replace(",", ".")).normalize() if found else None


MONTHS = {
    name: number for number, names in enumerate([
        ("janvier", "january", "jan"), ("février", "fevrier", "february", "feb", "févr"), ("mars", "march", "mar"),
        ("avril", "april", "apr", "avr"), ("mai", "may"), ("juin", "june", "jun"), ("juillet", "july", "jul", "juil"),
        ("août", "aout", "august", "aug"), ("septembre", "september", "sep", "sept"),
        ("octobre", "october", "oct"), ("novembre", "november", "nov"),
        ("décembre", "decembre", "december", "dec", "déc"),
    ], start=1) for name in names
}
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WORD_DATE = re.compile(r"\b(\d{1,2})(?:er)?\s+([A-Za-zéûè]{3,9})\.?\s+(\d{4})\b")
_ENGLISH_DATE = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),\s*(\d{4})\b")


def date(text):
    """The first date in ``text``: 12/03/2026, 12.03.2026, 2026-03-12, 12 mars 2026, March 12, 2026."""
    text = text or ""
    candidates = []
    for found in _ISO_DATE.finditer(text):
        candidates.append((found.start(), _date(found.group(1), found.group(2), found.group(3))))
    for found in _NUMERIC_DATE.finditer(text):
        year = found.group(3) if len(found.group(3)) == 4 else "20" + found.group(3)
        candidates.append((found.start(), _date(year, found.group(2), found.group(1))))
    for found in _WORD_DATE.finditer(text):
        month = MONTHS.get(found.group(2).lower())
        candidates.append((found.start(), month and _date(found.group(3), month, found.group(1))))
    for found in _ENGLISH_DATE.finditer(text):
        month = MONTHS.get(found.group(1).lower())
        candidates.append((found.start(), month and _date(found.group(3), month, found.group(2))))
    found = sorted((start, value) for start, value in candidates if value)
    return found[0][1] if found else None


def _date(year, month, day):
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


_DIGIT_RUN = re.compile(r"\d[\d  .]{7,20}\d")


def siret(text):
    for run in _DIGIT_RUN.findall(text or ""):
        digits = re.sub(r"\D", "", run)
        if len(digits) == 14 and fr_siret.is_valid(digits):
            return digits
    return None


def siren(text):
    """A SIREN written alone, or the first nine digits of a SIRET."""
    for run in _DIGIT_RUN.findall(text or ""):
        digits = re.sub(r"\D", "", run)
        if len(digits) == 14 and fr_siret.is_valid(digits):
            return digits[:9]
        if len(digits) == 9 and fr_siren.is_valid(digits):
            return digits
    return None


_VAT = re.compile(r"\b(?:AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI)"
                  r"[ ]?[0-9A-Z][0-9A-Z ]{6,14}[0-9A-Z]\b")


def vat_number(text):
    """An EU VAT number whose check digits hold, compacted (``FR44732829320``)."""
    for found in _VAT.finditer((text or "").upper()):
        candidate = found.group(0)
        for end in range(len(candidate), 7, -1):  # a trailing word glued by the reading is dropped
            compact = eu_vat.compact(candidate[:end])
            if eu_vat.is_valid(compact):
                return compact
    return None


_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b")


def iban(text):
    for found in _IBAN.finditer((text or "").upper()):
        candidate = found.group(0)
        for end in range(len(candidate), 14, -1):
            compact = stdnum_iban.compact(candidate[:end])
            if stdnum_iban.is_valid(compact):
                return compact
    return None


_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.\-]*\d[A-Za-z0-9/_.\-]*")


def reference(text):
    """An invoice number: the first token holding a digit (``F-2026-0042``, ``INV/26/118``)."""
    found = _REFERENCE.search((text or "").replace("N°", " ").replace("n°", " ").replace("No.", " "))
    return found.group(0).rstrip(".") if found else None
