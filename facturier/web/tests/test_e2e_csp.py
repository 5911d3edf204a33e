"""In Chromium: the main pages run under the strict policy without a single violation,
and the behaviours moved out of inline handlers still work."""

import re

import pytest
from django.conf import settings
from django.test import Client

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Records what the browser refuses, from the first script of every document on.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI + " " + event.sourceFile);
});
"""


@pytest.fixture
def watched(page):
    """The tab, and the console errors and policy violations of every page it loads."""
    problems = []
    page.add_init_script(WATCH_VIOLATIONS)

    def on_console(message):
        # The browser's own favicon request and the 404 page visited on purpose are expected misses.
        if message.type == "error" and not re.search(r"/(favicon\.ico|nulle-part/)$", message.location["url"]):
            problems.append(f"{message.text} ({message.location['url']})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return page, problems


def sign_in(page, user, live_server):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def visit(page, problems, url):
    page.goto(url)
    page.wait_for_load_state("load")
    assert page.evaluate("window.__violations") == [], url
    assert problems == [], url


def test_main_pages_run_without_policy_violations(watched, world, live_server):
    page, problems = watched
    for url in ("/comptes/connexion/", "/comptes/mot-de-passe/", "/comptes/conditions-generales/"):
        visit(page, problems, url)
    sign_in(page, world.user("accountant"), live_server)
    firm, own, active = world.firm.pk, world.own.pk, world.active.pk
    for url in (f"/cabinets/{firm}/clients/", f"/cabinets/{firm}/tableau-de-bord/", f"/cabinets/{firm}/collaborateurs/",
                f"/dossiers/cabinet/{firm}/nouveau/", f"/dossiers/cabinet/{firm}/{active}/",
                f"/dossiers/cabinet/{firm}/importer/"):
        visit(page, problems, url)
    sign_in(page, world.user("client"), live_server)
    for url in (f"/dossiers/{active}/", f"/dossiers/{active}/factures/ventes/", f"/dossiers/{active}/factures/achats/",
                f"/dossiers/{active}/ventes/nouvelle/", f"/dossiers/{active}/achats/recevoir/",
                f"/dossiers/{active}/comptabilite/", f"/dossiers/{active}/fichiers/", f"/dossiers/{active}/parametres/",
                f"/dossiers/{active}/utilisateurs/", "/nulle-part/"):
        visit(page, problems, url)
    assert own  # the accountant's own dossier exists: the switcher test below relies on it


def test_language_switch_still_works(watched, world):
    page, problems = watched
    visit(page, problems, "/comptes/connexion/")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.get_attribute("html", "lang") == "en"
    assert page.url.endswith("/comptes/connexion/")
    assert page.evaluate("window.__violations") == [] and problems == []


def test_dossier_switcher_still_works(watched, world, live_server):
    page, problems = watched
    sign_in(page, world.user("accountant"), live_server)
    visit(page, problems, f"/dossiers/{world.own.pk}/")
    with page.expect_navigation():
        page.select_option("select[name=dossier]", str(world.active.pk))
    assert re.search(rf"/dossiers/{world.active.pk}/", page.url), page.url
    assert page.locator(".dossier-name").inner_text() == world.active.name
    assert page.evaluate("window.__violations") == [] and problems == []


def test_removing_a_user_still_asks_first(watched, world, live_server):
    from facturier.accounts.models import User
    from facturier.dossiers.models import DossierMembership

    page, problems = watched
    colleague = User.objects.create_user("collegue@client-actif.example", full_name="Léa Collègue")
    DossierMembership.objects.create(dossier=world.active, user=colleague)
    sign_in(page, world.user("client"), live_server)
    visit(page, problems, f"/dossiers/{world.active.pk}/utilisateurs/")
    row = page.locator("tr", has_text="collegue@client-actif.example")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    row.get_by_role("button", name="Retirer").click()
    assert questions == ["Retirer l'accès à ce dossier ?"]
    assert DossierMembership.objects.filter(user=colleague).exists()
    page.once("dialog", lambda dialog: answer(dialog, True))
    with page.expect_navigation():
        row.get_by_role("button", name="Retirer").click()
    assert not DossierMembership.objects.filter(user=colleague).exists()
    assert page.evaluate("window.__violations") == [] and problems == []
