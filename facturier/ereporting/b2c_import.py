"""Importing daily B2C totals from a till's or a shop's export (CSV, XLSX or XLS), with a column mapping.

The file is read once (the spreadsheet reader of the client import for Excel
files, the csv module for CSV); the person pairs each value with a column, as
for the client import; rows with the same day, category and rate are added up
(a shop with several tills), then each (day, category, rate) replaces what was
kept for it. A row that cannot be read is reported with its number and why,
and nothing is imported until every row reads.
"""

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facturier.dossiers.spreadsheet import (
    Sheet,
    SpreadsheetError,
    TargetField,
    comparable,
    is_blank,
    read_spreadsheet,
    sheet_from_rows,
    text,
)
from facturier.ereporting.models import B2CCategory

MAX_CSV_BYTES = 10 * 1024 * 1024
CENT = Decimal("0.01")
KNOWN_RATES = {Decimal(rate) for rate in ("0", "0.9", "1.05", "1.75", "2.1", "5.5", "7", "8.5", "9.2", "9.6",
                                          "10", "13", "19.6", "20", "20.6")}
TARGETS = (
    TargetField("date", gettext_lazy("Jour"), True, ("DATE", "Jour", "Date de vente")),
    TargetField("category", gettext_lazy("Catégorie"), False, ("CATEGORIE", "Type", "Nature")),
    TargetField("rate", gettext_lazy("Taux de TVA"), True, ("TAUX", "Taux TVA", "TVA %")),
    TargetField("amount_excl_vat", gettext_lazy("Montant HT"), False, ("HT", "Montant HT", "Total HT")),
    TargetField("amount_incl_vat", gettext_lazy("Montant TTC"), False, ("TTC", "Montant TTC", "Total TTC")),
    TargetField("vat_amount", gettext_lazy("TVA"), False, ("Montant TVA", "Total TVA")),
    TargetField("count", gettext_lazy("Nombre de ventes"), False, ("Nombre", "Tickets", "Nb ventes")),
    TargetField("received", gettext_lazy("Encaissé TTC"), False, ("Encaissé", "Encaissements")),
)
CATEGORIES = {
    **dict.fromkeys(("tlb1", "biens", "livraisonsdebiens", "marchandises", "goods"), B2CCategory.GOODS),
    **dict.fromkeys(("tps1", "services", "prestations", "prestationsdeservices"), B2CCategory.SERVICES),
    **dict.fromkeys(("tnt1", "nontaxable", "horschamp"), B2CCategory.NOT_TAXABLE),
    **dict.fromkeys(("tma1", "marge", "regimedelamarge", "margin"), B2CCategory.MARGIN),
}
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")


class RowError(ValueError):
    pass


@dataclass(frozen=True)
class Problem:
    row: int
    field: str
    reason: str


def read_file(data, filename):
    """The sheet of an uploaded CSV, XLSX or XLS file (headers on the first row)."""
    if (filename or "").lower().endswith(".csv"):
        return read_csv(data)
    return read_spreadsheet(data, filename)


def read_csv(data):
    if len(data) > MAX_CSV_BYTES:
        raise SpreadsheetError(_("Le fichier dépasse 10 Mo."))
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = data.decode("cp1252", errors="replace")
    try:
        delimiter = csv.Sniffer().sniff(content[:4096], delimiters=";,\t").delimiter
    except csv.Error:
        delimiter = ";"  # the French spreadsheets' separator
    rows = list(csv.reader(io.StringIO(content), delimiter=delimiter))
    if not rows:
        raise SpreadsheetError(_("Le fichier est vide."))
    return sheet_from_rows(iter(rows))


def suggest(headers):
    found = {}
    names = {comparable(header): index for index, header in enumerate(headers)}
    for target in TARGETS:
        for name in (target.key, str(target.label), *target.synonyms):
            if comparable(name) in names:
                found[target.key] = names[comparable(name)]
                break
    return found


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text(value), date_format).date()
        except ValueError:
            continue
    raise RowError(_("Date illisible : « %(value)s » (JJ/MM/AAAA).") % {"value": text(value)})


def parse_amount(value):
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value)).quantize(CENT)
    cleaned = text(value).replace("\u00a0", "").replace(" ", "").replace("€", "").replace(",", ".")
    try:
        return Decimal(cleaned).quantize(CENT)
    except InvalidOperation:
        raise RowError(_("Montant illisible : « %(value)s ».") % {"value": text(value)}) from None


def parse_rate(value):
    """"20", "20 %", "5,5", 0.055 (a fraction, as Excel stores a percentage) -> a French VAT rate."""
    cleaned = text(value).replace("%", "").replace(" ", "").replace(",", ".")
    try:
        rate = Decimal(cleaned)
    except InvalidOperation:
        raise RowError(_("Taux illisible : « %(value)s ».") % {"value": text(value)}) from None
    if rate not in KNOWN_RATES and (rate * 100).normalize() in KNOWN_RATES:
        rate *= 100
    if rate.normalize() not in KNOWN_RATES:
        raise RowError(_("Taux de TVA inconnu en France : « %(value)s ».") % {"value": text(value)})
    return rate.quantize(CENT)


def parse_category(value):
    category = CATEGORIES.get(comparable(text(value)))
    if category is None:
        raise RowError(_("Catégorie inconnue : « %(value)s » (biens, services, non taxable, marge).")
                       % {"value": text(value)})
    return category


def daily_totals(sheet: Sheet, mapping):
    """The file's totals per (day, category, rate), and the problems of rows that did not read."""
    totals = defaultdict(lambda: {"amount_excl_vat": Decimal(0), "vat_amount": Decimal(0), "count": None,
                                  "received": Decimal(0)})
    problems = []
    labels = {target.key: str(target.label) for target in TARGETS}
    for number, values in sheet.rows:
        cells = {key: values[index] if index is not None and index < len(values) else None
                 for key, index in mapping.items()}
        current = "date"
        try:
            day = parse_date(cells.get("date"))
            current = "category"
            category = parse_category(cells["category"]) if not is_blank(cells.get("category")) \
                else B2CCategory.GOODS
            current = "rate"
            rate = parse_rate(cells.get("rate"))
            current = "amount_excl_vat"
            excl, vat = amounts(cells, rate)
            current = "received"
            received = parse_amount(cells["received"]) if not is_blank(cells.get("received")) else Decimal(0)
            current = "count"
            count = int(parse_amount(cells["count"])) if not is_blank(cells.get("count")) else None
        except RowError as error:
            problems.append(Problem(number, labels[current], str(error)))
            continue
        total = totals[day, category, rate]
        total["amount_excl_vat"] += excl
        total["vat_amount"] += vat
        total["received"] += received
        if count is not None:
            total["count"] = (total["count"] or 0) + count
    return dict(totals), problems


def amounts(cells, rate):
    """HT and VAT of a row: from the HT column, or from the TTC one; VAT computed when absent."""
    if not is_blank(cells.get("amount_excl_vat")):
        excl = parse_amount(cells["amount_excl_vat"])
    elif not is_blank(cells.get("amount_incl_vat")):
        excl = (parse_amount(cells["amount_incl_vat"]) * 100 / (100 + rate)).quantize(CENT)
    else:
        raise RowError(_("Ni montant HT ni montant TTC sur cette ligne."))
    if not is_blank(cells.get("vat_amount")):
        return excl, parse_amount(cells["vat_amount"])
    if not is_blank(cells.get("amount_incl_vat")):
        return excl, parse_amount(cells["amount_incl_vat"]) - excl
    return excl, (excl * rate / 100).quantize(CENT)
