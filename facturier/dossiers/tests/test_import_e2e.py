"""The import in a real browser: choose a file, check the columns, preview, import."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from facturier.dossiers.models import Assignment, Dossier
from facturier.dossiers.tests.import_helpers import client_row, member, xlsx_bytes
from facturier.firms.models import Firm, Role


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_admin_imports_a_client_list(page, live_server, tmp_path):
    firm = Firm.objects.create(siren="443061841", name="Cabinet Démo", terms_accepted_at=timezone.now())
    accountant = member(firm, "expert@cabinet.test", role=Role.CHARTERED_ACCOUNTANT)
    member(firm, "paul@cabinet.test")
    session = Client()
    session.force_login(accountant)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": session.cookies[settings.SESSION_COOKIE_NAME].value,
                               "url": live_server.url}])
    sheet = tmp_path / "clients.xlsx"
    sheet.write_bytes(xlsx_bytes([client_row(AFFECTATIONS="paul@cabinet.test"), client_row("552100555", "GAMMA")]))

    page.goto(f"/dossiers/cabinet/{firm.pk}/importer/")
    page.set_input_files("input[type=file]", str(sheet))
    page.click("main button[type=submit]")
    assert page.input_value("select[name=siren]") == "5"  # SIREN column recognised
    assert page.input_value("select[name=assignees]") == "14"
    page.click("text=Aperçu")
    page.wait_for_selector(".import-summary")
    assert "lignes lues : 2 · à importer : 1 · en erreur : 1" in page.inner_text(".import-summary")
    assert "clé de contrôle incorrecte" in page.inner_text(".import-errors")
    page.click("text=Importer 1 client")
    page.wait_for_selector("text=Import terminé")
    assert "1 client importé" in page.inner_text(".import-summary")
    dossier = Dossier.objects.get()
    assert dossier.name == "ACME INDUSTRIE"
    assert Assignment.objects.filter(dossier=dossier, user__email="paul@cabinet.test").exists()
