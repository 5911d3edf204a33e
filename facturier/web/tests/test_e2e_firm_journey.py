"""The whole firm journey of the seed, in headless Chromium, with nothing stood in:
single sign-on through the development OpenID provider, SIREN autofill from a
local server answering in the API Recherche d'entreprises format, e-mail through
a real SMTP server.

accountant signs in → accepts the terms → creates a client (SIREN autofill) →
assigns a staff member → activates → the client opens the e-mailed link, sets a
password, lands on the dossier home → the staff member opens the dossier.
"""

import re

import pytest
from playwright.sync_api import expect

from facturier.dossiers.models import Dossier, DossierStatus
from facturier.firms.models import Firm
from facturier.registry.tests.payloads import recherche_page, recherche_result

CLIENT_SIREN = "732829320"
CLIENT_NAME = "ATELIER LUMIERE"
OWNER_EMAIL = "jeanne@atelier-lumiere.example"


@pytest.fixture
def platform(settings, live_server, http_stub, mailbox, tmp_path):
    settings.BASE_URL = live_server.url
    settings.OIDC_ISSUER = live_server.url + "/dev-idp"
    settings.OIDC_CLIENT_ID = "facturier-e2e"
    settings.OIDC_CLIENT_SECRET = "e2e-client-secret"
    settings.DATA_DIR = tmp_path
    settings.REGISTRY_LOCAL_FILE = ""
    settings.REGISTRY_INSEE_KEY = ""
    settings.REGISTRY_RECHERCHE_URL = http_stub.url
    http_stub.route("GET", "/search", lambda query, body: (
        200, recherche_page(recherche_result(CLIENT_SIREN, CLIENT_NAME)) if query.get("q") == [CLIENT_SIREN]
        else recherche_page()))
    return live_server


def sign_in_with_comptexpert(page, person):
    page.goto("/")
    page.click("a.comptexpert")
    page.locator("tr", has_text=person).get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_firm_brings_a_client_onto_the_platform(browser, platform, mailbox):
    contexts = [browser.new_context(locale="fr-FR", base_url=platform.url) for _ in range(3)]
    accountant, staff, owner = (context.new_page() for context in contexts)
    for tab in (accountant, staff, owner):
        tab.set_default_timeout(20_000)

    # A staff member with the platform delegation signs in once: the firm now knows her.
    sign_in_with_comptexpert(staff, "Sophie Bernard")

    sign_in_with_comptexpert(accountant, "Claire Martin")
    demo_row = accountant.locator("tr", has=accountant.get_by_text("Cabinet Démo", exact=True))
    demo_row.get_by_role("button", name="Accepter les conditions").click()
    # The terms are shown; the accountant ticks that she read and accepts them for the firm.
    assert accountant.get_by_text("1. Objet").is_visible()
    accountant.get_by_label("J'ai lu les conditions générales d'utilisation").check()
    accountant.get_by_role("button", name="Accepter les conditions").click()
    accountant.wait_for_selector("text=Acceptées le")
    firm = Firm.objects.get(siren="626018154")
    assert firm.is_open and firm.terms_accepted_by.email == "claire.martin@cabinet-demo.example"
    assert demo_row.get_by_role("button", name="Accepter les conditions").count() == 0  # once per firm

    accountant.goto(f"/cabinets/{firm.pk}/clients/")
    accountant.get_by_role("link", name="Nouveau client").click()
    accountant.wait_for_load_state()  # the SIREN look-up script is attached once the page has loaded
    accountant.fill("#id_siren", CLIENT_SIREN)
    expect(accountant.locator("#id_name")).not_to_have_value("", timeout=15_000)
    assert accountant.input_value("#id_name") == CLIENT_NAME
    assert accountant.input_value("#id_vat_number") == "FR44732829320"
    accountant.select_option("#id_fiscal_year_end_month", "12")
    accountant.fill("#id_representative_name", "Jeanne Lumière")
    accountant.fill("#id_representative_email", OWNER_EMAIL)
    accountant.get_by_role("button", name="Créer le client").click()
    accountant.wait_for_selector("text=Détails client")

    accountant.get_by_role("button", name="Sophie Bernard").click()
    accountant.wait_for_selector("button.staff.assigned:has-text('Sophie Bernard')")
    dossier = Dossier.objects.get(firm=firm, siren=CLIENT_SIREN)

    accountant.goto(f"/cabinets/{firm.pk}/clients/")
    accountant.locator(f'tr[data-dossier="{dossier.pk}"]').get_by_role("button", name="Activer").click()
    accountant.wait_for_selector(f"text=Invitation envoyée à {OWNER_EMAIL}")

    # Until the owner completes the invitation, nobody enters the dossier, the firm included.
    staff.goto(f"/dossiers/{dossier.pk}/")
    assert "404" in staff.title() or staff.locator("h1", has_text=CLIENT_NAME).count() == 0

    [invitation] = mailbox.to(OWNER_EMAIL)
    link = re.search(r"https?://\S+/dossiers/invitation/\S+/", mailbox.body(invitation)).group(0)
    owner.goto(link)
    owner.fill("#id_mobile", "06 11 22 33 44")
    owner.fill("#id_password1", "Vitrail-Ambre-2026")
    owner.fill("#id_password2", "Vitrail-Ambre-2026")
    owner.check("#id_consent")
    owner.click("button:has-text('Suivant')")
    owner.wait_for_url(f"{platform.url}/dossiers/{dossier.pk}/")
    assert CLIENT_NAME in owner.inner_text("h1")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.ACTIVE and dossier.owner.email == OWNER_EMAIL

    # The assigned staff member opens the dossier straight from the client list.
    staff.goto(f"/cabinets/{firm.pk}/clients/")
    staff.locator(f'tr[data-dossier="{dossier.pk}"]').get_by_role("link", name="Ouvrir").click()
    staff.wait_for_url(f"{platform.url}/dossiers/{dossier.pk}/")
    assert CLIENT_NAME in staff.inner_text("h1")

    for context in contexts:
        context.close()
