"""In Chromium: from the dossier settings, create an API client, copy its secret (shown once), get
a token with it, then revoke the client after confirming; the token stops working."""

import httpx
import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from facturier.apiclients.testing import token_url
from facturier.testing.world import build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, user, live_server):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])


def test_create_use_and_revoke_an_api_client(page, live_server):
    world = build_world()
    sign_in(page, world.people["client"], live_server)
    page.goto(f"/dossiers/{world.active.pk}/parametres/")
    page.get_by_role("link", name="Clients de l'API").click()
    expect(page.get_by_role("heading", name="Clients de l'API")).to_be_visible()

    page.get_by_label("Nom du logiciel").fill("ERP Active")
    page.get_by_label("Émettre les factures de vente").check()
    page.get_by_role("button", name="Créer le client").click()
    expect(page.locator("[data-api-secret]")).to_contain_text("ne sera plus jamais affiché")
    client_id = page.locator("[data-client-id]").inner_text()
    secret = page.locator("[data-client-secret]").inner_text()
    assert page.locator("[data-api-secret]").inner_text().count(token_url(live_server.url).split("//", 1)[1]) == 1

    answer = httpx.post(token_url(live_server.url), data={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
    assert answer.status_code == 200
    token = answer.json()["access_token"]
    directory = f"{live_server.url}/directory-service/v1/siren/code-insee:{world.active.siren}"
    assert httpx.get(directory, headers={"Authorization": f"Bearer {token}"}).status_code == 200

    page.reload()  # the creation redirected: reloading shows the list again, creates nothing
    expect(page.locator("[data-api-secret]")).to_have_count(0)
    expect(page.locator("[data-api-client]")).to_have_count(1)
    row = page.locator(f"[data-api-client='{client_id}']")
    expect(row).to_contain_text("ERP Active")
    expect(row).not_to_contain_text("Jamais")  # the look-up above is its last use
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Révoquer").click()
    expect(row).to_contain_text("Révoqué le")
    assert httpx.get(directory, headers={"Authorization": f"Bearer {token}"}).status_code == 401
