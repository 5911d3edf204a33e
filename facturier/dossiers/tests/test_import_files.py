"""The import's spreadsheets: a template to fill in, the rejected rows to fix and import again; the firm's menu."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from facturier.dossiers.models import Dossier
from facturier.dossiers.spreadsheet import TARGET_FIELDS, read_spreadsheet, suggest_mapping
from facturier.dossiers.tests.import_helpers import client_row, xlsx_bytes
from facturier.dossiers.tests.test_import_views import confirm_suggested_columns, run_import, token_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, accountant):
    client.force_login(accountant)
    return client


def upload(client, firm, data, name="clients.xlsx"):
    return client.post(reverse("dossiers:import", args=[firm.pk]), {"file": SimpleUploadedFile(name, data)})


def rows_of(data):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_template_has_every_column_and_imports_once_filled(admin_client, firm, django_capture_on_commit_callbacks):
    page = admin_client.get(reverse("dossiers:import", args=[firm.pk])).content.decode()
    assert reverse("dossiers:import_template", args=[firm.pk]) in page
    response = admin_client.get(reverse("dossiers:import_template", args=[firm.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "modele-import-clients.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    [headers] = [list(row) for row in book.active.iter_rows(values_only=True)]
    assert headers == [str(target.label) for target in TARGET_FIELDS]
    examples = {row[0]: row[2] for row in book["Aide"].iter_rows(min_row=2, values_only=True)}
    book.active.append([examples[h] if h != "E-mails des destinataires" else None for h in headers])
    filled = io.BytesIO()
    book.save(filled)
    assert all(index is not None for index in suggest_mapping(read_spreadsheet(filled.getvalue(), "m.xlsx").headers)
               .values())
    token = token_of(upload(admin_client, firm, filled.getvalue()))
    confirm_suggested_columns(admin_client, firm, token)
    with django_capture_on_commit_callbacks(execute=True):
        run_import(admin_client, firm, token)
    assert Dossier.objects.get().name == "BIOBURO"


def test_rejected_rows_download_and_import_again_once_fixed(admin_client, firm, django_capture_on_commit_callbacks):
    rows = [client_row(), client_row("552100555", "GAMMA")]  # GAMMA's SIREN has a wrong check digit
    token = token_of(upload(admin_client, firm, xlsx_bytes(rows)))
    confirm_suggested_columns(admin_client, firm, token)
    preview = admin_client.get(reverse("dossiers:import_preview", args=[firm.pk, token])).content.decode()
    link = reverse("dossiers:import_rejected", args=[firm.pk, token])
    assert link in preview
    with django_capture_on_commit_callbacks(execute=True):
        result = run_import(admin_client, firm, token)
    assert link in result.content.decode()

    rejected = rows_of(admin_client.get(link).content)  # after the import: ACME is not "a duplicate" now
    assert len(rejected) == 2 and rejected[0][-1] == "À corriger" and rejected[1][0] == "GAMMA"
    assert "SIREN" in rejected[1][-1] and "clé de contrôle" in rejected[1][-1]

    fixed = [dict(zip(rejected[0], row, strict=True)) for row in rejected[1:]]
    fixed[0]["SIREN"] = "732829320"
    token = token_of(upload(admin_client, firm, xlsx_bytes(fixed, headers=rejected[0]), "clients-a-corriger.xlsx"))
    confirm_suggested_columns(admin_client, firm, token)
    with django_capture_on_commit_callbacks(execute=True):
        run_import(admin_client, firm, token)
    assert sorted(Dossier.objects.values_list("name", flat=True)) == ["ACME INDUSTRIE", "GAMMA"]


def test_the_import_pages_keep_the_firms_menu(admin_client, firm):
    token = token_of(upload(admin_client, firm, xlsx_bytes([client_row()])))
    for url in (reverse("dossiers:import", args=[firm.pk]), reverse("dossiers:import_mapping", args=[firm.pk, token])):
        page = admin_client.get(url).content.decode()
        assert re.search(r'<nav class="sidebar" aria-label="Menu du cabinet">', page), url


def test_only_the_uploader_downloads_the_rejected_rows(client, admin_client, firm, accountant):
    token = token_of(upload(admin_client, firm, xlsx_bytes([client_row("552100555")])))
    confirm_suggested_columns(admin_client, firm, token)
    client.logout()
    client.force_login(accountant)  # a new session: the token is not its own
    assert client.get(reverse("dossiers:import_rejected", args=[firm.pk, token])).status_code == 404
