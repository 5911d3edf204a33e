"""In Chromium: a firm administrator declares a connection to an accredited platform (here the live server's own
API), tests it, then connects a dossier to it; the dossier's pages say since when it is connected."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from facturier.accredited.models import Connection, DossierConnection
from facturier.apiclients.testing import make_api_client, token_url
from facturier.testing.world import build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, user, live_server):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])


def test_a_firm_administrator_connects_a_dossier_to_an_accredited_platform(page, live_server):
    world = build_world()
    api_client, secret = make_api_client(world.active, can_issue_sales=True, can_handle_purchases=True)
    sign_in(page, world.people["admin"], live_server)
    page.goto(f"/cabinets/{world.firm.pk}/collaborateurs/")
    page.get_by_role("link", name="Plateformes agréées").click()
    expect(page.get_by_role("heading", name="Plateformes agréées")).to_be_visible()

    page.get_by_label("Nom").fill("PA Démo")
    page.get_by_label("URL du service Flow").fill(f"{live_server.url}/flow-service")
    page.get_by_label("URL du service Annuaire").fill(f"{live_server.url}/directory-service")
    page.get_by_label("URL du jeton OAuth2").fill(token_url(live_server.url))
    page.get_by_label("Identifiant client").fill(api_client.client_id)
    page.get_by_label("Secret client").fill("pas-le-bon-secret")
    page.get_by_label("Organization-Id").select_option(label="SIREN du dossier")
    page.get_by_label("Connexion par défaut des dossiers").uncheck()
    page.get_by_role("button", name="Enregistrer la connexion").click()
    row = page.locator("[data-connection='PA Démo']")
    expect(row).to_be_visible()

    row.get_by_role("button", name="Tester la connexion").click()
    expect(page.get_by_text("La connexion « PA Démo » ne fonctionne pas")).to_be_visible()
    expect(page.get_by_text("La plateforme refuse l'identifiant client ou le secret (invalid_client).")).to_be_visible()

    page.locator("[data-connection='PA Démo']").get_by_role("link", name="Modifier").click()
    expect(page.get_by_label("Secret client")).to_have_value("")  # never shown again
    page.get_by_label("Secret client").fill(secret)
    page.get_by_role("button", name="Enregistrer").click()
    page.locator("[data-connection='PA Démo']").get_by_role("button", name="Tester la connexion").click()
    expect(page.get_by_text("La connexion « PA Démo » fonctionne")).to_be_visible()
    assert secret not in page.content()

    page.goto(f"/dossiers/{world.active.pk}/")
    expect(page.locator(".platform-status")).to_contain_text("Non connecté à une plateforme agréée")
    page.goto(f"/dossiers/{world.active.pk}/parametres/")
    page.get_by_role("link", name="Plateforme agréée").click()
    page.get_by_label("Plateforme agréée").select_option(label="PA Démo")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".platform-status")).to_contain_text("Connecté à « PA Démo » depuis le")
    expect(page.locator(".platform-status")).to_contain_text(f"Identifiant du dossier sur la plateforme : "
                                                             f"{world.active.siren}")
    page.goto(f"/dossiers/{world.active.pk}/")
    expect(page.locator(".platform-status")).to_contain_text("Connecté à la plateforme agréée « PA Démo » depuis le")

    link = DossierConnection.objects.get(dossier=world.active)
    assert link.connection == Connection.objects.get(name="PA Démo") and link.organization_id == world.active.siren
