"""In Chromium: "Tout activer" shows whom it writes to before sending; the import hands out its template."""

import re

import pytest
from django.test import Client

from facturier.dossiers.models import Dossier, DossierStatus
from facturier.testing.world import build_world, make_dossier

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def test_tout_activer_lists_the_recipients_and_sends_to_those_kept(page, live_server, mailbox):
    world = build_world()
    later = make_dossier(world.firm, "Pas Encore Prête", "512345679", representative_email="plus-tard@example.org")
    sign_in(page, live_server, world.user("accountant"))
    page.goto(f"/cabinets/{world.firm.pk}/clients/")
    page.get_by_role("link", name="Tout activer dans Facturier").click()
    page.wait_for_url(re.compile(r"/tout-activer/$"))
    table = page.locator("table.activate-all")
    assert world.new.representative_email in table.inner_text() and "plus-tard@example.org" in table.inner_text()
    assert mailbox.messages == []  # nothing left yet
    page.get_by_label("Pas Encore Prête").uncheck()
    page.get_by_role("button", name="Envoyer les invitations").click()
    page.wait_for_url(re.compile(r"/clients/$"))
    assert "invitation(s) en cours d'envoi" in page.locator(".messages").inner_text()
    assert [m["To"] for m in mailbox.messages] == [world.new.representative_email]
    assert Dossier.objects.get(pk=later.pk).status == DossierStatus.NOT_ACTIVATED


def test_the_import_page_offers_its_template_and_keeps_the_firms_menu(page, live_server):
    world = build_world()
    sign_in(page, live_server, world.user("accountant"))
    page.goto(f"/cabinets/{world.firm.pk}/clients/")
    page.get_by_role("link", name="Importer clients").click()
    assert page.get_by_role("navigation", name="Menu du cabinet").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le modèle de fichier (.xlsx)").click()
    assert download.value.suggested_filename == "modele-import-clients.xlsx"
