"""The footer's links lead to real pages, the browser finds a favicon, and the assistance box shows
its hours without ever covering the page's content (wide screen and phone)."""

import pytest

from facturier.testing.world import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FOOTER_PAGES = {"Conditions générales": "Conditions générales d'utilisation", "Vie privée": "Vie privée",
                "Sécurité": "Sécurité", "Aide": "Aide"}


def overlaps(a, b):
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and \
        a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def test_every_footer_link_opens_its_page_for_anyone(page):
    for link, heading in FOOTER_PAGES.items():
        page.goto("/comptes/connexion/")
        page.locator("footer").get_by_role("link", name=link, exact=True).click()
        page.wait_for_load_state()
        assert page.locator("main h1, main h2").first.inner_text().startswith(heading), link
        assert "#" not in page.url
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(icon).headers["content-type"].startswith("image/svg+xml")
    assert page.request.get("/favicon.ico").ok, "the browser's own request finds it too"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_assistance_box_shows_its_hours_and_covers_nothing(browser, live_server, world, width, client):
    sign_in(client, world, "client")
    context = browser.new_context(locale="fr-FR", base_url=live_server.url, viewport={"width": width, "height": 700})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"/dossiers/{world.active.pk}/factures/achats/")
    page.locator("details.assistance summary").click()
    box = page.locator("details.assistance")
    assert "Du lundi au vendredi, de 9 h à 18 h" in box.inner_text()
    page.evaluate("window.scrollTo(0, 0)")
    area = box.bounding_box()
    for element in page.locator("main, main button, main a, footer > a").all():
        if element.is_visible():
            assert not overlaps(area, element.bounding_box()), element.inner_text()[:40]
    context.close()
