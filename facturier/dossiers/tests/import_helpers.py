"""Spreadsheets written by the tests themselves, and the people of a firm."""

import io
import zipfile

import openpyxl
import pytest
import xlwt
from django.utils import timezone

from facturier.accounts.models import User
from facturier.firms.models import Firm, FirmMembership, Role

SEED_HEADERS = ["RAISON SOCIALE", "ADRESSES RUE", "CODE POSTAL", "VILLE", "PAYS", "SIREN", "NUM TVA", "BIC", "IBAN",
                "LANGUE", "Mois de clôture", "INTERLOCUTEUR", "LANGUE DU CONTACT", "EMAIL CONTACT", "AFFECTATIONS"]
VALID_SIRENS = ["552100554", "732829320", "542065479", "552081317", "130025265", "356000000", "542107651"]


def client_row(siren="552100554", name="ACME INDUSTRIE", **changes):
    row = {"RAISON SOCIALE": name, "ADRESSES RUE": "12 rue de la Paix", "CODE POSTAL": "75002", "VILLE": "Paris",
           "PAYS": "France", "SIREN": siren, "NUM TVA": "", "BIC": "BNPAFRPP",
           "IBAN": "FR76 3000 6000 0112 3456 7890 189",
           "LANGUE": "Français", "Mois de clôture": "Décembre", "INTERLOCUTEUR": "Jeanne Martin",
           "LANGUE DU CONTACT": "FR", "EMAIL CONTACT": "jeanne.martin@acme.test", "AFFECTATIONS": ""}
    row.update(changes)
    return row


def xlsx_bytes(rows, headers=SEED_HEADERS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if headers is not None:
        sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers] if isinstance(row, dict) else list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xls_bytes(rows, headers=SEED_HEADERS):
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Clients")
    for column, header in enumerate(headers):
        sheet.write(0, column, header)
    for line, row in enumerate(rows, start=1):
        for column, header in enumerate(headers):
            value = row.get(header)
            if value not in (None, ""):
                sheet.write(line, column, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def firm(db):
    return Firm.objects.create(siren="443061841", name="Cabinet Démo", terms_accepted_at=timezone.now())


def member(firm, email, *, role=Role.STAFF, is_admin=False, has_delegation=True):
    user = User.objects.create_user(email, sso_subject=email, full_name=email.split("@")[0])
    FirmMembership.objects.create(firm=firm, user=user, role=role, is_admin=is_admin, has_delegation=has_delegation)
    return user


@pytest.fixture
def accountant(firm):
    return member(firm, "expert@cabinet.test", role=Role.CHARTERED_ACCOUNTANT)


XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Clients" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>'),
}


def xlsx_of_sheet_xml(sheet_data, dimension="A1:B2"):
    """An .xlsx whose first sheet holds ``sheet_data`` as written: how a hostile file is made."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in XLSX_PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", (
            '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>'))
    return buffer.getvalue()


def million_cells_xlsx():
    """A million cells of the same text: a few hundred kilobytes zipped, tens of megabytes unpacked."""
    header = '<row><c t="inlineStr"><is><t>RAISON SOCIALE</t></is></c></row>'
    row = "<row>" + '<c t="inlineStr"><is><t>ACME</t></is></c>' * 20 + "</row>"
    return xlsx_of_sheet_xml(header + row * 50_000, dimension="A1:T50001")


def far_apart_cells_xlsx():
    """Two cells at opposite corners of the largest sheet Excel allows, under a dimension that lies."""
    return xlsx_of_sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>RAISON SOCIALE</t></is></c></row>'
                             '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')


def far_apart_cells_xls():
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Clients")
    sheet.write(0, 0, "RAISON SOCIALE")
    sheet.write(65535, 255, "ACME")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
