"""The import screens: upload, columns, preview, import; access and atomicity."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from facturier.audit.models import AuditEvent
from facturier.dossiers import importing
from facturier.dossiers.models import Assignment, Dossier, DossierStatus
from facturier.dossiers.spreadsheet import RowChecker, read_spreadsheet, suggest_mapping
from facturier.dossiers.tests.import_helpers import (
    client_row,
    member,
    xls_bytes,
    xlsx_bytes,
)
from facturier.dossiers.views.imports import upload_dir
from facturier.firms.models import Firm, Role
from facturier.registry.tests import payloads


def upload(client, firm, data, name="clients.xlsx"):
    return client.post(reverse("dossiers:import", args=[firm.pk]), {"file": SimpleUploadedFile(name, data)})


def token_of(response):
    return re.search(r"/importer/([^/]+)/colonnes/", response["Location"]).group(1)


def confirm_suggested_columns(client, firm, token):
    page = client.get(reverse("dossiers:import_mapping", args=[firm.pk, token]))
    form = page.context["form"]
    data = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}
    return client.post(reverse("dossiers:import_mapping", args=[firm.pk, token]), data)


def run_import(client, firm, token):
    return client.post(reverse("dossiers:import_run", args=[firm.pk, token]))


@pytest.fixture
def admin_client(client, accountant):
    client.force_login(accountant)
    return client


@pytest.mark.parametrize("make, name", [(xlsx_bytes, "clients.xlsx"), (xls_bytes, "clients.xls")])
def test_happy_path(admin_client, firm, accountant, make, name, django_capture_on_commit_callbacks):
    paul = member(firm, "paul@cabinet.test")
    anne = member(firm, "anne@cabinet.test")
    rows = [client_row(AFFECTATIONS="paul@cabinet.test, anne@cabinet.test"),
            client_row("732829320", "BETA", **{"Mois de clôture": "3", "PAYS": "FR", "LANGUE": "English"}),
            client_row("552100555", "GAMMA")]
    response = upload(admin_client, firm, make(rows), name)
    assert response.status_code == 302
    token = token_of(response)
    assert (upload_dir() / token).exists()

    response = confirm_suggested_columns(admin_client, firm, token)
    assert response["Location"] == reverse("dossiers:import_preview", args=[firm.pk, token])
    preview = admin_client.get(response["Location"])
    assert preview.status_code == 200
    content = preview.content.decode()
    assert "lignes lues : 3 · à importer : 2 · en erreur : 1" in content
    assert "<td>ACME INDUSTRIE</td>" in content and "<td>Décembre</td>" in content
    assert "Ce SIREN n&#x27;est pas valide (clé de contrôle incorrecte)." in content
    assert not Dossier.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        result = run_import(admin_client, firm, token)
    assert result.status_code == 200
    assert "2 clients importés" in result.content.decode()
    acme, beta = Dossier.objects.order_by("name")
    assert (acme.name, acme.siren, acme.status, acme.fiscal_year_end_month) == ("ACME INDUSTRIE", "552100554",
                                                                                 DossierStatus.NOT_ACTIVATED, 12)
    assert (beta.language, beta.fiscal_year_end_month, beta.vat_number) == ("en", 3, "FR44732829320")
    assert set(Assignment.objects.filter(dossier=acme).values_list("user", flat=True)) == {paul.pk, anne.pk}
    assert not Assignment.objects.filter(dossier=beta).exists()
    summary = AuditEvent.objects.get(action="dossiers_imported")
    assert summary.actor == accountant and summary.firm == firm
    assert summary.detail == {"created": 2, "invalid_rows": 1, "rows": 3}
    assert AuditEvent.objects.filter(action="dossier_created", dossier=acme, actor=accountant).exists()
    # Kept for its rejected row to be downloaded, but never imported twice.
    assert run_import(admin_client, firm, token)["Location"] == reverse("dashboard:clients", args=[firm.pk])
    assert Dossier.objects.count() == 2


def test_uploads_wait_in_a_private_folder_of_the_data_directory(admin_client, firm, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    token = token_of(upload(admin_client, firm, xlsx_bytes([client_row()])))
    folder = tmp_path / "imports"
    assert (folder / token).exists()
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / token).stat().st_mode & 0o777 == 0o600


def test_mapping_is_prefilled_from_headers(admin_client, firm):
    token = token_of(upload(admin_client, firm, xlsx_bytes([client_row()])))
    page = admin_client.get(reverse("dossiers:import_mapping", args=[firm.pk, token]))
    form = page.context["form"]
    assert form["name"].value() == 0 and form["representative_email"].value() == 13 and form["assignees"].value() == 14
    assert "RAISON SOCIALE" in page.content.decode()


def test_required_fields_must_be_mapped(admin_client, firm):
    token = token_of(upload(admin_client, firm, xlsx_bytes([["ACME", "Paris"]], headers=["Société", "Ville"])))
    response = admin_client.post(reverse("dossiers:import_mapping", args=[firm.pk, token]), {"name": "0", "city": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors["siren"] == ["Associez une colonne à ce champ."]
    assert admin_client.get(reverse("dossiers:import_preview", args=[firm.pk, token])).status_code == 302


@pytest.mark.parametrize("data, name, message", [
    (b"not a spreadsheet", "clients.xlsx", "Ce fichier n&#x27;est pas un classeur Excel"),
    (b"a,b\n1,2\n", "clients.csv", "Choisissez un fichier Excel"),
    (b"PK\x03\x04garbage", "clients.xlsx", "Le fichier est illisible ou endommagé."),
])
def test_bad_files_get_a_message_not_an_error(admin_client, firm, data, name, message):
    response = upload(admin_client, firm, data, name)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_posting_without_a_file(admin_client, firm):
    response = admin_client.post(reverse("dossiers:import", args=[firm.pk]))
    assert response.status_code == 200 and response.context["form"].errors["file"]


def test_empty_sheet_message(admin_client, firm):
    response = upload(admin_client, firm, xlsx_bytes([], headers=None))
    assert "La feuille est vide." in response.content.decode()


def test_too_large_upload(admin_client, firm):
    response = upload(admin_client, firm, b"PK\x03\x04" + b"\x00" * (10 * 1024 * 1024 + 1))
    assert response.status_code == 200 and "Le fichier dépasse 10 Mo." in response.content.decode()


def test_import_is_all_or_nothing(firm, accountant):
    """A row the database refuses (another import created its SIREN meanwhile) leaves nothing behind."""
    rows = [client_row(), client_row("732829320", "BETA"), client_row("542065479", "DELTA")]
    sheet = read_spreadsheet(xlsx_bytes(rows), "clients.xlsx")
    validation = RowChecker(firm).check(sheet, suggest_mapping(sheet.headers))
    assert len(validation.drafts) == 3
    Dossier.objects.create(firm=firm, siren="542065479", name="DELTA (saisi à la main)", fiscal_year_end_month=1,
                           address="x", postal_code="75001", city="Paris", representative_name="x",
                           representative_email="x@x.test")
    with pytest.raises(importing.ImportConflict):
        importing.import_dossiers(firm, accountant, validation)
    assert list(Dossier.objects.values_list("name", flat=True)) == ["DELTA (saisi à la main)"]
    assert not AuditEvent.objects.exists()


def test_conflict_during_import_is_reported(admin_client, firm):
    token = token_of(upload(admin_client, firm, xlsx_bytes([client_row()])))
    confirm_suggested_columns(admin_client, firm, token)
    Dossier.objects.create(firm=firm, siren="552100554", name="ACME", fiscal_year_end_month=1, address="x",
                           postal_code="75001", city="Paris", representative_name="x", representative_email="x@x.test")
    # Checked again at import time: the row is now listed as already in the firm.
    result = run_import(admin_client, firm, token)
    assert "Ce client existe déjà dans le cabinet." in result.content.decode()
    assert Dossier.objects.count() == 1


def test_registry_completes_what_the_sheet_left_empty(admin_client, firm, settings, http_stub,
                                                      django_capture_on_commit_callbacks):
    cache.clear()
    settings.REGISTRY_RECHERCHE_URL = http_stub.url
    http_stub.route("GET", "/search", lambda q, b: (200, payloads.recherche_page(
        payloads.recherche_result("552100554"), payloads.recherche_result("732829320", name="BETA SAS"))))
    rows = [client_row(**{"RAISON SOCIALE": "", "ADRESSES RUE": "", "VILLE": "", "CODE POSTAL": ""}),
            client_row("732829320", "Beta (nom du cabinet)", **{"ADRESSES RUE": ""})]
    token = token_of(upload(admin_client, firm, xlsx_bytes(rows)))
    confirm_suggested_columns(admin_client, firm, token)
    with django_capture_on_commit_callbacks(execute=True):
        run_import(admin_client, firm, token)
    acme = Dossier.objects.get(siren="552100554")
    beta = Dossier.objects.get(siren="732829320")
    assert (acme.name, acme.address, acme.postal_code, acme.city) == (
        "ACME INDUSTRIE", "12 RUE DE LA PAIX", "75002", "PARIS")
    assert (beta.name, beta.address) == ("Beta (nom du cabinet)", "12 RUE DE LA PAIX")
    cache.clear()


def test_registry_outage_never_fails_the_import(admin_client, firm, settings, http_stub,
                                                django_capture_on_commit_callbacks):
    cache.clear()
    settings.REGISTRY_RECHERCHE_URL = http_stub.url
    http_stub.route("GET", "/search", lambda q, b: (503, {"erreur": "maintenance"}))
    token = token_of(upload(admin_client, firm, xlsx_bytes([client_row(**{"ADRESSES RUE": ""})])))
    confirm_suggested_columns(admin_client, firm, token)
    with django_capture_on_commit_callbacks(execute=True):
        result = run_import(admin_client, firm, token)
    assert "1 client importé" in result.content.decode()
    assert Dossier.objects.get().address == ""
    assert http_stub.requests  # the registry was asked, and its outage was absorbed


def test_enrichment_keeps_what_a_person_wrote_meanwhile(firm, settings, http_stub):
    cache.clear()
    settings.REGISTRY_RECHERCHE_URL = http_stub.url
    http_stub.route("GET", "/search", lambda q, b: (200, payloads.recherche_page(payloads.recherche_result())))
    dossier = Dossier.objects.create(firm=firm, siren="552100554", name="Nom corrigé à la main",
                                     fiscal_year_end_month=12, address="", postal_code="", city="",
                                     representative_name="x", representative_email="x@x.test")
    assert importing.enrich_imported_dossiers.call([[dossier.pk, ["name", "address"]]]) == 1
    dossier.refresh_from_db()
    assert (dossier.name, dossier.address) == ("Nom corrigé à la main", "12 RUE DE LA PAIX")
    assert AuditEvent.objects.get(action="dossier_completed_from_registry").detail == {"fields": ["address"]}
    cache.clear()


def test_registry_outage_defers_the_enrichment(firm, settings, http_stub):
    from django_tasks_db.models import DBTaskResult

    cache.clear()
    settings.REGISTRY_RECHERCHE_URL = http_stub.url
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    http_stub.route("GET", "/search", lambda q, b: (429, {"erreur": "Too Many Requests"}))
    dossier = Dossier.objects.create(firm=firm, siren="552100554", name="552100554", fiscal_year_end_month=12,
                                     address="", postal_code="", city="", representative_name="x",
                                     representative_email="x@x.test")
    assert importing.enrich_imported_dossiers.call([[dossier.pk, ["name", "address"]]]) == 0
    deferred = DBTaskResult.objects.get()
    assert deferred.args_kwargs["args"] == [[[dossier.pk, ["name", "address"]]], 2]
    assert deferred.run_after > timezone.now()
    dossier.refresh_from_db()
    assert dossier.name == "552100554"


# Access ---------------------------------------------------------------------

def import_urls(firm, token="x" * 32):
    return [reverse("dossiers:import", args=[firm.pk]),
            reverse("dossiers:import_mapping", args=[firm.pk, token]),
            reverse("dossiers:import_preview", args=[firm.pk, token])]


def test_staff_who_are_not_admins_are_refused(client, firm):
    client.force_login(member(firm, "paul@cabinet.test"))
    for url in import_urls(firm):
        assert client.get(url).status_code == 403
    assert upload(client, firm, xlsx_bytes([client_row()])).status_code == 403
    assert not Dossier.objects.exists()


def test_delegated_admin_may_import(client, firm):
    client.force_login(member(firm, "admin@cabinet.test", is_admin=True))
    assert upload(client, firm, xlsx_bytes([client_row()])).status_code == 302


def test_another_firm_answers_404(client, firm, accountant):
    other = Firm.objects.create(siren="542065479", name="Autre cabinet", terms_accepted_at=firm.terms_accepted_at)
    client.force_login(member(other, "expert@autre.test", role=Role.CHARTERED_ACCOUNTANT))
    for url in import_urls(firm):
        assert client.get(url).status_code == 404
    assert upload(client, firm, xlsx_bytes([client_row()])).status_code == 404


def test_an_upload_belongs_to_its_session(client, firm, accountant):
    client.force_login(accountant)
    token = token_of(upload(client, firm, xlsx_bytes([client_row()])))
    other_admin = member(firm, "admin@cabinet.test", is_admin=True)
    client.logout()
    client.force_login(other_admin)
    assert client.get(reverse("dossiers:import_mapping", args=[firm.pk, token])).status_code == 404
    assert run_import(client, firm, token).status_code == 404
    assert not Dossier.objects.exists()


def test_token_cannot_name_another_file(admin_client, firm):
    url = reverse("dossiers:import_mapping", args=[firm.pk, "..%2F..%2Fetc%2Fpasswd"])
    assert admin_client.get(url).status_code == 404


def test_sign_in_required(client, firm, settings):
    settings.LOGIN_URL = "/comptes/connexion/"
    assert client.get(reverse("dossiers:import", args=[firm.pk])).status_code == 302


def test_import_needs_post(admin_client, firm):
    token = token_of(upload(admin_client, firm, xlsx_bytes([client_row()])))
    assert admin_client.get(reverse("dossiers:import_run", args=[firm.pk, token])).status_code == 405


def test_every_step_carries_its_csrf_token(firm, accountant):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(accountant)

    def token_in(page):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)

    url = reverse("dossiers:import", args=[firm.pk])
    data = {"file": SimpleUploadedFile("clients.xlsx", xlsx_bytes([client_row()]))}
    assert browser.post(url, data).status_code == 403  # no token: refused
    data = {"file": SimpleUploadedFile("clients.xlsx", xlsx_bytes([client_row()]))}
    response = browser.post(url, {**data, "csrfmiddlewaretoken": token_in(browser.get(url))})
    token = token_of(response)
    mapping_url = reverse("dossiers:import_mapping", args=[firm.pk, token])
    page = browser.get(mapping_url)
    form = page.context["form"]
    columns = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}
    preview = browser.get(browser.post(mapping_url, {**columns, "csrfmiddlewaretoken": token_in(page)})["Location"])
    result = browser.post(reverse("dossiers:import_run", args=[firm.pk, token]),
                          {"csrfmiddlewaretoken": token_in(preview)})
    assert result.status_code == 200 and Dossier.objects.count() == 1


def test_the_file_is_read_once_on_upload_and_the_bomb_refused_there(admin_client, firm, monkeypatch):
    from facturier.dossiers import spreadsheet
    from facturier.dossiers.tests.import_helpers import million_cells_xlsx

    refused = upload(admin_client, firm, million_cells_xlsx())
    assert refused.status_code == 200
    assert "La feuille compte plus de 500\u202f000 cellules." in refused.content.decode()

    token = token_of(upload(admin_client, firm, xlsx_bytes([client_row()])))
    monkeypatch.setattr(spreadsheet.CalamineWorkbook, "from_filelike", None)  # any later parse would fail
    confirm_suggested_columns(admin_client, firm, token)
    preview = admin_client.get(reverse("dossiers:import_preview", args=[firm.pk, token])).content.decode()
    assert "à importer : 1" in preview
    assert run_import(admin_client, firm, token).status_code == 200
    assert Dossier.objects.filter(siren="552100554").exists()
