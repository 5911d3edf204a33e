import datetime

import pytest

from facturier.archive.models import Kind
from facturier.archive.store import archive


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_client_opens_the_fichiers_page_and_downloads_a_file(page, world, live_server):
    dossier = world.dossier
    archive(dossier, b"%PDF-1.7 facture BIOBURO", kind=Kind.ORIGINAL_RECEIVED, filename="FA-2026-014.pdf",
            media_type="application/pdf", period=datetime.date(2026, 3, 14))
    archive(dossier, b"<CDAR>205</CDAR>", kind=Kind.LIFECYCLE, filename="cdar-205.xml",
            period=datetime.date(2026, 4, 1))
    _sign_in(page, world.client_user, live_server)

    page.goto(f"/dossiers/{dossier.pk}/fichiers/")
    assert page.locator("h1").inner_text() == "Fichiers archivés — BIOBURO"
    page.select_option("#id_annee", "2026")
    page.select_option("#id_mois", "3")
    page.click("main button[type=submit]")
    rows = page.locator("table.archive-files tbody tr")
    assert rows.count() == 1
    assert "Original reçu" in rows.first.inner_text()

    with page.expect_download() as download_info:
        rows.first.get_by_role("link", name="Télécharger").click()
    download = download_info.value
    assert download.suggested_filename == "FA-2026-014.pdf"
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read() == b"%PDF-1.7 facture BIOBURO"


def _sign_in(page, user, live_server):
    """Hand the browser a session cookie: signing in is the accounts app's own test."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
