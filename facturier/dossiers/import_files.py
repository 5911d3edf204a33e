"""The spreadsheets the client import hands out: a template to fill in, and the rejected rows to fix.

Both read back through the import unchanged: the template's headers are the fields' own labels
(``suggest_mapping`` pairs them at once), and the rejected rows keep the uploaded file's headers
and cells, with one more column saying what to fix (ignored when the file comes back).
"""

import io

import openpyxl
from django.utils.translation import gettext as _

from facturier.dossiers.spreadsheet import TARGET_FIELDS
from facturier.spreadsheets import inert_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXAMPLES = {
    "name": "BIOBURO", "address": "12 rue des Lilas", "postal_code": "69003", "city": "Lyon", "country": "France",
    "siren": "732829320", "vat_number": "FR44732829320", "iban": "FR7630006000011234567890189", "bic": "AGRIFRPP",
    "language": "Français", "fiscal_year_end_month": "12", "representative_name": "Jeanne Lumière",
    "representative_language": "Français", "representative_email": "jeanne@bioburo.example",
    "assignees": "collaborateur@cabinet.example",
}


def template_workbook():
    """Headers on line 1, ready to fill; a second sheet says which fields are required, with an example."""
    book = openpyxl.Workbook()
    clients = book.active
    clients.title = _("Clients")
    clients.append([str(target.label) for target in TARGET_FIELDS])
    guide = book.create_sheet(_("Aide"))
    guide.append([_("Colonne"), _("Obligatoire"), _("Exemple")])
    for target in TARGET_FIELDS:
        guide.append([str(target.label), _("oui") if target.required else _("non"), EXAMPLES.get(target.key, "")])
    return saved(book)


def rejections(validation):
    """What to fix, by row number (as Excel shows it)."""
    reasons = {}
    for error in validation.errors:
        reasons.setdefault(error.row, []).append(f"{error.field} : {error.reason}")
    return {row: " ; ".join(texts) for row, texts in reasons.items()}


def rejected_workbook(sheet, reasons):
    """The rows ``reasons`` names (see ``rejections``), as uploaded, each with what to fix in a last column."""
    book = openpyxl.Workbook()
    rows = book.active
    rows.title = _("À corriger")
    rows.append(inert_row([*sheet.headers, _("À corriger")]))
    for number, values in sheet.rows:
        if number in reasons:
            rows.append(inert_row([*values, reasons[number]]))
    return saved(book)


def saved(book):
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
