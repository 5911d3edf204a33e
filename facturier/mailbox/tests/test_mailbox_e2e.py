"""In Chromium: copy the dossier's address, mail an invoice to it, find it in the purchases with its e-mail origin."""

import pytest

from facturier.invoices.receiving.tests.receiving_samples import purchase_cii
from facturier.invoices.receiving.tests.test_ingestion_e2e import sign_in
from facturier.mailbox.tests.conftest import message, send

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_mailed_invoice_reaches_the_purchase_list(page, world, live_server, listener):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(page, world.user("client"), live_server)
    page.goto(f"/dossiers/{world.active.pk}/factures/achats/")
    page.get_by_role("button", name="Copier l'adresse").click()
    page.locator(".copy-status", has_text="Adresse copiée").wait_for()
    address = page.evaluate("navigator.clipboard.readText()")
    assert address == page.locator(".mailbox-address code").inner_text() and address.endswith("@factures.test")

    xml = purchase_cii(world.active.siren, number="F-E2E-MAIL")
    send(listener.port, message(address, subject="Facture de novembre", attachments=[("F-E2E-MAIL.xml", xml,
                                                                                       "application/xml")]))
    page.reload()
    row = page.locator("tr", has_text="F-E2E-MAIL")
    origin = row.locator(".mail-origin")
    assert origin.inner_text() == "e-mail"
    assert "Facture de novembre" in origin.get_attribute("title")
    row.get_by_role("link", name="F-E2E-MAIL").click()
    assert "Reçue par e-mail de compta@fournisseur.fr, objet « Facture de novembre »" in page.locator(
        ".mail-origin").inner_text()
    page.goto(f"/dossiers/{world.active.pk}/achats/e-mails/")
    assert "Pièces jointes transmises" in page.locator(".mail-messages").inner_text()
