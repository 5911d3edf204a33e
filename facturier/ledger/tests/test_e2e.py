import datetime

import pytest

from facturier.invoices.models import Direction
from facturier.ledger.models import Export
from facturier.ledger.tests.conftest import row


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_firm_exports_from_attente_integration_and_the_counter_drops(page, world, live_server):
    dossier = world.active
    row(dossier, "FA-2026-014", issue_date=datetime.date(2026, 3, 14))
    row(dossier, "F2026-0001", direction=Direction.SALES, issue_date=datetime.date(2026, 3, 20))
    row(dossier, "FA-2026-015", approved_at=None)  # not approved: not waiting for integration
    _sign_in(page, world.user("staff_assigned"), live_server)

    page.goto(f"/dossiers/{dossier.pk}/comptabilite/")
    counter = page.locator("p.counter")
    assert counter.get_attribute("data-awaiting-integration") == "2"
    assert page.locator("table.awaiting-integration tbody tr").count() == 2

    with page.expect_navigation():
        page.get_by_role("button", name="Exporter", exact=True).click()
    assert counter.get_attribute("data-awaiting-integration") == "0"
    assert "2 factures intégrées : 356000000FEC20261231.txt" in page.locator(".messages").inner_text()

    with page.expect_download() as download_info:
        page.locator("table.ledger-exports").get_by_role("link", name="356000000FEC20261231.txt").click()
    with open(download_info.value.path(), "rb") as downloaded:
        content = downloaded.read()
    assert content.startswith(b"JournalCode\tJournalLib\t") and b"FA-2026-014" in content
    assert Export.objects.get().created_by == world.user("staff_assigned")

    with page.expect_navigation():
        page.get_by_role("button", name="Annuler le dernier export").click()
    assert counter.get_attribute("data-awaiting-integration") == "2"


def _sign_in(page, user, live_server):
    """Hand the browser a session cookie: signing in is the accounts app's own test."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
