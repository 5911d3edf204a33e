"""The readable HTML view of an invoice, built from the semantic model.

Every business term present in the model is printed, nothing absent is: a
section without content is left out, and so is an absent optional term; an
absent mandatory figure (a line's quantity, price or amount, a VAT amount)
shows as a dash, so that an incomplete invoice still renders and the gap shows.

The page is the Jinja template ``templates/invoice.html``, with autoescaping:
whatever the invoice says reaches the page as text, never as markup. The
markup is also well-formed XML (void elements closed, characters XML forbids
dropped), so that the PDF path can parse it with the C XML parser instead of
an HTML5 parser. The template is indented for people; the page is sent
without the whitespace between tags.
"""

import base64
import functools
import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from einvoice.render import formatting as fmt
from einvoice.render.labels import (
    DOCUMENT_TYPES,
    EXTRA_PARTY_ROLES,
    NOTE_SUBJECTS,
    PAYMENT_MEANS,
    SCHEMES,
    TAX_POINT_CODES,
    UNITS,
    VAT_CATEGORIES,
    code_name,
    label,
)

STYLESHEET = Path(__file__).with_name("invoice.css")

# Characters XML 1.0 forbids: a model built from a form may carry them, the page must not.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BETWEEN_TAGS = re.compile(r">\s+<")

# What a table cell shows for a figure the invoice lacks.
MISSING = "–"

NUMERIC_COLUMNS = {"quantity", "unit_price", "vat", "net_amount", "base_amount", "percentage", "amount", "vat_rate",
                   "taxable_amount", "tax_amount"}
CODE_TABLES = {"tax_point": TAX_POINT_CODES, "vat_category": VAT_CATEGORIES, "payment_means": PAYMENT_MEANS}


def build_html(invoice, lang="fr", *, inline_css=True, logo=None):
    """The whole HTML document; ``inline_css=False`` leaves styling to a stylesheet passed separately.

    ``logo``: the seller's logo as ``(content, media_type)`` (PNG or JPEG), shown in the header. The
    invoice data carries none, so only the one who issues the invoice can give it.
    """
    if lang not in ("fr", "en"):
        raise ValueError(f"unsupported language {lang!r}")
    stylesheet = Markup(STYLESHEET.read_text()) if inline_css else None  # our own file, not invoice content
    page = _template().render(v=_View(invoice, lang), stylesheet=stylesheet, logo=_data_uri(logo))
    return _BETWEEN_TAGS.sub("><", page.strip())


LOGO_TYPES = ("image/png", "image/jpeg")


def _data_uri(logo):
    if logo is None:
        return None
    content, media_type = logo
    if media_type not in LOGO_TYPES:
        raise ValueError(f"unsupported logo type {media_type!r}")
    return f"data:{media_type};base64,{base64.b64encode(content).decode()}"


@functools.cache
def _template():
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("einvoice.render", "templates"),
        autoescape=True, finalize=_printable, undefined=jinja2.StrictUndefined,
    )
    return environment.get_template("invoice.html")


def _printable(value):
    """What ``{{ value }}`` prints: nothing for an absent term, and no character XML forbids."""
    if value is None or value is False:
        return ""
    if isinstance(value, Markup):
        return Markup(_NOT_XML.sub("", value))
    return _NOT_XML.sub("", str(value))


class _View:
    """The invoice and the formatting of its values for one language; the template lays them out."""

    missing = MISSING

    def __init__(self, invoice, lang):
        self.inv = invoice
        self.lang = lang
        self.sep = "\u00a0: " if lang == "fr" else ": "

    def t(self, key, **values):
        return label(key, self.lang, **values)

    def is_numeric(self, column):
        return column in NUMERIC_COLUMNS

    def document_title(self):
        return self.t(DOCUMENT_TYPES.get(self.inv.type_code, "invoice"))

    def code(self, table, code):
        """``code`` with its readable name when we know it."""
        if code is None:
            return None
        name = code_name(CODE_TABLES[table], code, self.lang)
        return f"{name} ({code})" if name else code

    def scheme(self, code):
        return code_name(SCHEMES, code, self.lang) or code

    def extra_role(self, role):
        return code_name(EXTRA_PARTY_ROLES, role, self.lang) or role

    def note_subject(self, code):
        return code_name(NOTE_SUBJECTS, code, self.lang) or ""

    def money(self, value, currency=None):
        return None if value is None else fmt.money(value, self.lang, currency)

    def number(self, value, min_places=0):
        return fmt.number(value, self.lang, min_places)

    def percent(self, value):
        return fmt.percent(value, self.lang)

    def grouped(self, account):
        return fmt.grouped(account)

    def date(self, value):
        return None if value is None else fmt.date(value, self.lang)

    def period(self, period):
        if period is None or (period.start is None and period.end is None):
            return None
        start, end = fmt.date(period.start, self.lang), fmt.date(period.end, self.lang)
        key = "period_from_to" if period.start and period.end else "period_from" if period.start else "period_to"
        return self.t(key, start=start, end=end)

    @staticmethod
    def present(pairs):
        """The ``(label, value)`` pairs whose value is there."""
        return [(key, value) for key, value in pairs if value not in (None, "", False)]

    def pairs(self, key, items, show):
        return [(key, show(item)) for item in items]

    def labelled(self, pairs):
        """``label : value`` for each pair whose value is there."""
        return [Markup("{}{}{}").format(key, self.sep, value) for key, value in self.present(pairs)]

    def labelled_markup(self, key, items, show):
        return self.labelled(self.pairs(key, items, show))

    @staticmethod
    def each(items, show):
        return [show(item) for item in items]

    def line_details(self, line):
        item, price = line.item, line.price
        return [
            (self.t("seller_item_id"), item.seller_id), (self.t("buyer_item_id"), item.buyer_id),
            (self.t("origin_country"), item.origin_country),
            (self.t("order_line_reference"), line.order_line_reference),
            (self.t("accounting_reference"), line.accounting_reference), (self.t("parent_line"), line.parent_line_id),
            (self.t("line_status"), " ".join(v for v in (line.line_status_code, line.line_status_reason_code) if v)),
            (self.t("gross_price"), price.gross_price is not None and self.number(price.gross_price, 2)),
            (self.t("price_discount"), price.discount is not None and self.number(price.discount, 2)),
        ]

    @staticmethod
    def attribute_pairs(attributes):
        return [(attribute.name, attribute.value) for attribute in attributes]

    def quantity(self, line):
        unit = code_name(UNITS, line.unit_code, self.lang) or line.unit_code
        return " ".join(v for v in (line.quantity is not None and self.number(line.quantity), unit) if v)

    def unit_price(self, price):
        text = self.number(price.net_price, 2) if price.net_price is not None else MISSING
        if price.base_quantity not in (None, 1):
            base_unit = code_name(UNITS, price.base_quantity_unit, self.lang) or price.base_quantity_unit or ""
            quantity = f"{self.number(price.base_quantity)} {base_unit}".strip()
            text += " " + self.t("per_base_quantity", quantity=quantity)
        return text

    def totals(self):
        tot, currency = self.inv.totals, self.inv.currency
        rows = [
            ("line_total", tot.line_total, currency), ("allowance_total", tot.allowance_total, currency),
            ("charge_total", tot.charge_total, currency), ("tax_exclusive", tot.tax_exclusive, currency),
            ("tax_total", tot.tax_total, currency),
            ("tax_total_accounting", tot.tax_total_accounting, self.inv.tax_currency),
            ("tax_inclusive", tot.tax_inclusive, currency), ("prepaid", tot.prepaid, currency),
            ("rounding", tot.rounding, currency), ("payable", tot.payable, currency),
        ]
        return [row for row in rows if row[1] is not None]
