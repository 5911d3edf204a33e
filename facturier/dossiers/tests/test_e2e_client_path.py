"""In Chromium: client list → new client (SIREN autofill) → assign a staff member → activate."""

import json
import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from facturier.dossiers.models import Assignment, Dossier, DossierStatus
from facturier.testing.world import build_world

COMPANY = {
    "found": True, "name": "MENUISERIE DUBOIS", "address": "2 chemin des Scieries", "postal_code": "88100",
    "city": "Saint-Dié-des-Vosges", "country": "FR", "vat_number": "FR19130005481", "warning": None,
}


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_new_client_assign_and_activate(page, live_server, mailbox):
    world = build_world()
    lookups = []

    def registry(route):
        lookups.append(route.request.url)
        route.fulfill(status=200, content_type="application/json", body=json.dumps(COMPANY))

    page.route(re.compile(r".*/registres/entreprises/\d{9}\.json$"), registry)
    sign_in(page, live_server, world.people["accountant"])
    page.goto(f"/cabinets/{world.firm.pk}/clients/")
    page.get_by_role("link", name="Nouveau client").click()
    page.wait_for_load_state()  # the SIREN look-up script is attached once the page has loaded

    page.fill("#id_siren", "130 005 481")
    expect(page.locator("#id_name")).not_to_have_value("", timeout=15_000)
    assert lookups and lookups[0].endswith("/registres/entreprises/130005481.json")
    assert page.input_value("#id_name") == "MENUISERIE DUBOIS"
    assert page.input_value("#id_vat_number") == "FR19130005481"
    assert page.input_value("#id_city") == "Saint-Dié-des-Vosges"
    assert "Entreprise trouvée" in page.inner_text("[data-lookup-status]")
    page.select_option("#id_fiscal_year_end_month", "3")
    page.fill("#id_representative_name", "Élodie Dubois")
    page.fill("#id_representative_email", "elodie@dubois.example")
    page.get_by_role("button", name="Créer le client").click()

    page.wait_for_selector("text=Détails client")
    dossier = Dossier.objects.get(siren="130005481")
    page.get_by_role("button", name="Hugo Libre").click()
    page.wait_for_selector("button.staff.assigned:has-text('Hugo Libre')")
    assert Assignment.objects.filter(dossier=dossier, user=world.people["staff_unassigned"]).exists()

    page.goto(f"/cabinets/{world.firm.pk}/clients/?q=menuiserie")
    page.locator(f'tr[data-dossier="{dossier.pk}"]').get_by_role("button", name="Activer").click()
    page.wait_for_selector("text=Invitation envoyée à elodie@dubois.example")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.INVITED
    [message] = mailbox.to("elodie@dubois.example")
    assert "/dossiers/invitation/" in mailbox.body(message)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_form_works_by_hand_when_the_registry_is_unreachable(page, live_server):
    world = build_world()
    page.route(re.compile(r".*/registres/entreprises/.*"), lambda route: route.abort())
    sign_in(page, live_server, world.people["accountant"])
    page.goto(f"/dossiers/cabinet/{world.firm.pk}/nouveau/")
    page.fill("#id_siren", "130005481")
    page.wait_for_selector("[data-lookup-status].warning")
    assert "ne répond pas" in page.inner_text("[data-lookup-status]")
    assert page.input_value("#id_name") == ""


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_column_chooser_is_remembered(page, live_server):
    world = build_world()
    sign_in(page, live_server, world.people["accountant"])
    page.goto(f"/cabinets/{world.firm.pk}/clients/")
    page.click("[data-column-chooser] summary")
    page.uncheck("[data-column-chooser] input[value=month]")
    assert page.locator('td[data-col="month"]').first.is_hidden()
    page.reload()
    assert page.locator('th[data-col="month"]').is_hidden()
    assert page.locator('th[data-col="status"]').is_visible()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_registry_explanations_are_shown(page, live_server):
    world = build_world()
    answers = {
        "130005481": (200, {**COMPANY, "found": False, "name": "",
                            "warning": "Ce SIREN est introuvable dans la base SIRENE."}),
        "356000000": (400, {**COMPANY, "found": False, "name": "", "warning": "SIREN refusé par le registre."}),
    }

    def registry(route):
        status, body = answers[route.request.url.rsplit("/", 1)[1][:9]]
        route.fulfill(status=status, content_type="application/json", body=json.dumps(body))

    page.route(re.compile(r".*/registres/entreprises/\d{9}\.json$"), registry)
    sign_in(page, live_server, world.people["accountant"])
    page.goto(f"/dossiers/cabinet/{world.firm.pk}/nouveau/")
    status = page.locator("[data-lookup-status]")
    page.fill("#id_siren", "130005481")
    expect(page.locator("[data-lookup-status]")).to_contain_text("introuvable", timeout=15_000)
    page.fill("#id_siren", "356000000")
    expect(page.locator("[data-lookup-status]")).to_contain_text("refusé", timeout=15_000)
    assert "warning" in status.get_attribute("class")
    assert page.input_value("#id_name") == ""
