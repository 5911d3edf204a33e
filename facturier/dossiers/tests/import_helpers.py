"""Spreadsheets written by the tests themselves, and the people of a firm."""

import io

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
           "PAYS": "France", "SIREN": siren, "NUM TVA": "", "BIC": "BNPAFRPP", "IBAN": "FR76 3000 6000 0112 3456 7890 189",
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
