"""The invoice lines, read from the table under a header row (description, quantity, price, amount).

Each cell goes to the column whose header it sits under; a row without an
amount continues the description of the row above (a wrapped designation).
"""

import re

from einvoice.recognition import parse
from einvoice.recognition.fields import label_of, plain

COLUMNS = [
    ("description", r"designation|description|libelle|article|item|prestation|produit"),
    ("quantity", r"qte|quantite|qty|quantity|qt"),
    ("unit_price", r"prix unitaire|p\.?u\.?|unit price|price|prix|rate$|tarif"),
    ("vat_rate", r"tva|vat|taux|tax"),
    ("amount", r"montant|total|amount"),
]
_COLUMNS = [(name, re.compile(pattern)) for name, pattern in COLUMNS]


def header_columns(line):
    """{column: (x0, x1)} when ``line`` is a table header (a description and an amount column), else None."""
    columns = {}
    for segment in line.segments:
        text = plain(segment.text).strip()
        for name, pattern in _COLUMNS:
            if name not in columns and pattern.match(text):
                columns[name] = (segment.box.x0, segment.box.x1)
                break
    return columns if {"description", "amount"} <= columns.keys() and len(columns) >= 3 else None


def column_of(segment, columns):
    """The column a cell is under: the header it overlaps most, else the nearest header."""
    x0, x1 = segment.box.x0, segment.box.x1

    def overlap(name):
        return min(x1, columns[name][1]) - max(x0, columns[name][0])

    best = max(columns, key=overlap)
    if overlap(best) > 0:
        return best
    return min(columns, key=lambda name: max(columns[name][0] - x1, x0 - columns[name][1]))


def read_lines(lines):
    """The invoice lines: dicts of description, quantity, unit_price, vat_rate, amount and box."""
    rows, columns, page = [], None, None
    for line in lines:
        if line.page != page:
            columns, page = None, line.page
        found = header_columns(line)
        if found:
            columns = found
            continue
        if columns is None:
            continue
        if label_of(line.segments[0].text)[0] in ("total_excl_vat", "total_incl_vat", "total_vat"):
            columns = None
            continue
        row = read_row(line, columns)
        if row is None:
            continue
        if row.get("amount") is None:
            if rows and row.get("description") and set(row) <= {"description", "box", "confidence"}:
                rows[-1]["description"] += " " + row["description"]
            continue
        rows.append(row)
    return rows


def read_row(line, columns):
    cells = {}
    for segment in line.segments:
        name = column_of(segment, columns)
        cells[name] = (cells[name] + " " + segment.text) if name in cells else segment.text
    row = {"box": line.segments[0].box, "confidence": min(s.confidence for s in line.segments)}
    if cells.get("description"):
        row["description"] = cells["description"].strip()
    for name, reader in (("quantity", parse.amount), ("unit_price", parse.amount), ("amount", parse.amount)):
        if cells.get(name):
            row[name] = reader(cells[name])
    if cells.get("vat_rate"):
        row["vat_rate"] = parse.rate(cells["vat_rate"] if "%" in cells["vat_rate"] else cells["vat_rate"] + "%")
    return row if len(row) > 2 else None
