"""From read pages to the fields of a draft invoice, each with a confidence and a box.

``recognise`` reads by labels, applies the supplier's remembered layout when
``memory_for`` knows the seller, then cross-checks the amounts: totals that add
up (excl. VAT + VAT = incl. VAT, lines = excl. VAT, rate × base = VAT) become
near certain, totals that do not are marked doubtful. ``learn`` finds where a
corrected value is printed, which is what the memory keeps.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from einvoice.recognition import parse
from einvoice.recognition.fields import (
    READERS,
    TOTALS,
    Field,
    identifiers,
    labelled_fields,
    plain,
    seller_name,
    vat_rows,
)
from einvoice.recognition.layout import Box
from einvoice.recognition.table import header_columns, read_lines

HEADER_FIELDS = ("seller_name", "seller_siren", "seller_vat", "number", "issue_date", "due_date", "currency", "iban")
FIELDS = HEADER_FIELDS + TOTALS
CENT = Decimal("0.01")


@dataclass
class Recognition:
    fields: dict  # name → Field
    vat: list = field(default_factory=list)  # [{"rate", "amount", "base"}]
    lines: list = field(default_factory=list)  # [{"description", "quantity", "unit_price", "vat_rate", "amount"}]
    checks: dict = field(default_factory=dict)  # check name → True / False
    from_ocr: bool = False

    def value(self, name):
        found = self.fields.get(name)
        return found.value if found else None

    def as_dict(self):
        """JSON-ready: values as text (dates ISO, amounts with two decimals), boxes as lists."""
        return {
            "fields": {name: {"value": to_text(f.value), "confidence": round(f.confidence, 3),
                              "box": f.box.as_list() if f.box else None, "source": f.source}
                       for name, f in self.fields.items()},
            "vat": [{k: to_text(v) for k, v in row.items()} for row in self.vat],
            "lines": [{k: (v.as_list() if isinstance(v, Box) else to_text(v)) for k, v in row.items()}
                      for row in self.lines],
            "checks": self.checks, "from_ocr": self.from_ocr,
        }


def to_text(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value == value.quantize(CENT) else str(value.normalize())
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def recognise(pages, *, buyer_ids=(), buyer_names=(), memory_for=None):
    """The fields of the invoice on ``pages``.

    ``buyer_ids`` / ``buyer_names``: the receiving company's own SIREN, SIRET, VAT
    number and name, so they are not taken for the seller's. ``memory_for(fields)``
    returns the remembered layout (``{name: [page, x0, y0, x1, y1]}``) of the seller
    those first fields identify, or an empty dict.
    """
    lines = [line for page in pages for line in page.lines()]
    fields = generic_fields(lines, set(buyer_ids), {plain(n) for n in buyer_names if n})
    memory = memory_for(fields) if memory_for else {}
    fields.update(remembered(pages, memory or {}))
    result = Recognition(fields, lines=read_lines(lines), from_ocr=any(p.from_ocr for p in pages))
    result.vat = [{"rate": rate, "amount": amount} for rate, amount, _box, _conf in vat_rows(lines)]
    cross_check(result)
    return result


def generic_fields(lines, buyer_ids, buyer_names):
    fields = {}
    for name, found in labelled_fields([line for line in lines if not header_columns(line)]):
        if name in TOTALS:
            fields[name] = found  # the last one printed: the totals close the invoice
        else:
            fields.setdefault(name, found)
    for name, candidates in identifiers(lines, buyer_ids).items():
        if candidates:
            fields.setdefault(name, candidates[0])
    siret = fields.pop("seller_siret", None)
    if "seller_siren" not in fields and siret:
        fields["seller_siren"] = Field(siret.value[:9], siret.confidence, siret.box)
    vat = fields.get("seller_vat")
    if vat and vat.value.startswith("FR"):
        siren = fields.get("seller_siren")
        if siren is None:
            fields["seller_siren"] = Field(vat.value[4:], 0.9 * vat.confidence, vat.box, "computed")
        elif siren.value == vat.value[4:]:
            siren.confidence = vat.confidence = max(siren.confidence, vat.confidence, 0.99)
    name = seller_name(lines, buyer_names)
    if name:
        fields["seller_name"] = name
    fields.setdefault("currency", currency_of(lines))
    return fields


def currency_of(lines):
    for line in reversed(lines):
        found = parse.currency(line.text)
        if found:
            return Field(found, 0.95 * line.segments[0].confidence, line.segments[0].box)
    return Field("EUR", 0.6, None, "default")


def remembered(pages, memory):
    """The fields read where the supplier's layout memory says they are printed."""
    found = {}
    for name, where in memory.items():
        if name not in READERS:
            continue
        box = Box.from_list(where)
        page = next((p for p in pages if p.number == box.page), None)
        if page is None:
            continue
        inside = sorted((s for s in page.segments if s.box.overlaps(box, margin=0.004)),
                        key=lambda s: (s.box.y0, s.box.x0))
        for segment in inside:
            value = READERS[name](segment.text)
            if value is not None:
                found[name] = Field(value, 0.97 * segment.confidence, segment.box, "memory")
                break
    return found


def cross_check(result):
    """Confidence of the amounts raised when they add up, lowered when they do not; a missing total computed."""
    fields, checks = result.fields, result.checks
    excl, vat, incl = (fields.get(name) for name in TOTALS)
    vat_sum = sum((row["amount"] for row in result.vat), Decimal(0)) if result.vat else None
    if vat is None and vat_sum is not None:
        vat = fields["total_vat"] = Field(vat_sum, 0.85, None, "computed")
    if vat_sum is not None and vat is not None:
        checks["vat_breakdown"] = vat_sum == vat.value
    present = [f for f in (excl, vat, incl) if f is not None]
    if len(present) == 3:
        checks["totals"] = excl.value + vat.value == incl.value
        for f in present:
            f.confidence = max(f.confidence, 0.99) if checks["totals"] else f.confidence * 0.5
    elif len(present) == 2:
        missing = next(name for name, f in zip(TOTALS, (excl, vat, incl), strict=True) if f is None)
        computed = {"total_excl_vat": lambda: incl.value - vat.value, "total_vat": lambda: incl.value - excl.value,
                    "total_incl_vat": lambda: excl.value + vat.value}[missing]()
        fields[missing] = Field(computed, 0.7, None, "computed")
    if result.lines and fields.get("total_excl_vat"):
        line_sum = sum((row["amount"] for row in result.lines), Decimal(0))
        checks["lines"] = line_sum == fields["total_excl_vat"].value
    check_rates(result)


def check_rates(result):
    """Each VAT amount is its rate applied to the lines of that rate (when the lines show their rates)."""
    if not result.lines or not result.vat or any(row.get("vat_rate") is None for row in result.lines):
        return
    for row in result.vat:
        base = sum((line["amount"] for line in result.lines if line["vat_rate"] == row["rate"]), Decimal(0))
        row["base"] = base
        expected = (base * row["rate"] / 100).quantize(CENT)
        result.checks[f"vat_{to_text(row['rate'])}"] = abs(expected - row["amount"]) <= CENT


def learn(pages, name, value):
    """Where on ``pages`` the (corrected) ``value`` of field ``name`` is printed: a box list, or None."""
    reader = READERS.get(name)
    if reader is None or value in (None, ""):
        return None
    wanted = normalised(name, value)
    for page in pages:
        for segment in sorted(page.segments, key=lambda s: (s.box.y0, s.box.x0)):
            found = reader(segment.text)
            if found is not None and normalised(name, found) == wanted:
                return segment.box.as_list()
    return None


def normalised(name, value):
    if name in TOTALS:
        return parse.to_decimal(str(value)) if not isinstance(value, Decimal) else value.quantize(CENT)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return plain(str(value)).replace(" ", "") if name in ("seller_name", "number") else str(value)
