"""Every main page on a 390 px wide phone: the menu folds behind a button, nothing scrolls the page
sideways (a wide table scrolls alone), and the page passes an automated accessibility check."""

import re

import pytest
from django.test import Client

from facturier.exchange.tests.support import customer, issued_invoice
from facturier.invoices.receiving.intake import receive_file
from facturier.invoices.receiving.tests.receiving_samples import purchase_cii
from facturier.testing.accessibility import accessibility_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(locale="fr-FR", base_url=live_server.url, viewport=PHONE)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def page_overflow(page):
    """How many pixels the page is wider than the screen (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.fixture
def dossier_pages(seller_world):
    dossier = seller_world.active
    sale = issued_invoice(dossier, customer(dossier))
    purchase = receive_file(dossier, "achat.xml", purchase_cii(dossier.siren)).invoice
    return [f"/dossiers/{dossier.pk}/", f"/dossiers/{dossier.pk}/factures/ventes/",
            f"/dossiers/{dossier.pk}/factures/achats/", f"/dossiers/{dossier.pk}/factures/{sale.pk}/",
            f"/dossiers/{dossier.pk}/factures/{purchase.pk}/", f"/dossiers/{dossier.pk}/ventes/nouvelle/",
            f"/dossiers/{dossier.pk}/parametres/", f"/dossiers/{dossier.pk}/parametres/boite-mail/",
            f"/dossiers/{dossier.pk}/achats/e-mails/", "/notifications/", "/notifications/preferences/"]


@pytest.fixture
def firm_pages(seller_world):
    firm = seller_world.firm.pk
    return [f"/cabinets/{firm}/clients/", f"/cabinets/{firm}/tableau-de-bord/", f"/dossiers/cabinet/{firm}/nouveau/"]


def test_the_dossier_pages_fit_a_phone(phone, live_server, seller_world, dossier_pages):
    sign_in(phone, live_server, seller_world.user("client"))
    for url in dossier_pages:
        phone.goto(url)
        assert page_overflow(phone) == 0, f"{url} scrolls sideways"


def test_the_firm_pages_fit_a_phone_and_only_the_client_table_scrolls(phone, live_server, seller_world, firm_pages):
    sign_in(phone, live_server, seller_world.user("accountant"))
    for url in firm_pages:
        phone.goto(url)
        assert page_overflow(phone) == 0, f"{url} scrolls sideways"
    phone.goto(firm_pages[0])
    table = phone.locator("main table").first
    assert table.evaluate("t => t.scrollWidth > t.clientWidth"), "the wide table scrolls within itself"


def test_the_menu_folds_behind_a_button_on_a_phone(phone, live_server, seller_world):
    dossier = seller_world.active
    sign_in(phone, live_server, seller_world.user("client"))
    phone.goto(f"/dossiers/{dossier.pk}/")
    menu, button = phone.locator("nav.sidebar"), phone.get_by_role("button", name="Menu")
    assert menu.is_hidden() and button.get_attribute("aria-expanded") == "false"
    button.click()
    assert menu.is_visible() and button.get_attribute("aria-expanded") == "true"
    menu.get_by_role("link", name="Factures d'achat").click()
    phone.wait_for_url(re.compile(r"/factures/achats/$"))
    assert phone.locator("nav.sidebar").is_hidden()


def test_the_menu_stays_open_on_a_wide_screen(page, live_server, seller_world):
    sign_in(page, live_server, seller_world.user("client"))
    page.goto(f"/dossiers/{seller_world.active.pk}/")
    assert page.locator("nav.sidebar").is_visible() and page.get_by_role("button", name="Menu").is_hidden()


def test_the_main_pages_pass_the_accessibility_check(browser, live_server, seller_world, dossier_pages, firm_pages):
    # axe is injected as a script: this context alone lets it past the Content-Security-Policy.
    context = browser.new_context(locale="fr-FR", base_url=live_server.url, viewport=PHONE, bypass_csp=True)
    tab = context.new_page()
    try:
        sign_in(tab, live_server, seller_world.user("client"))
        found = {url: accessibility_violations(tab, url) for url in dossier_pages}
        sign_in(tab, live_server, seller_world.user("accountant"))
        found.update({url: accessibility_violations(tab, url) for url in firm_pages})
    finally:
        context.close()
    assert {url: v for url, v in found.items() if v} == {}
