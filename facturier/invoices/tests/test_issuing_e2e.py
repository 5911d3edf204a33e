"""In Chromium: fill the issuing form (a line added by the page's own script), recalculate, issue, see it sent."""

import re

import pytest
from django.test import Client

from facturier.exchange.tests.support import archive_dir, customer, local_registry, seller_world  # noqa: F401
from facturier.invoices.models import Invoice, InvoiceState


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_create_and_issue_an_invoice_through_the_form(page, live_server, seller_world, mailbox):
    buyer = customer(seller_world.active, name="Acheteur SA", email="compta@acheteur.example")
    sign_in(page, live_server, seller_world.user("client"))
    page.goto(f"/dossiers/{seller_world.active.pk}/ventes/nouvelle/")
    page.select_option("#id_customer", label="Acheteur SA")
    page.fill("#id_lines-0-description", "Audit comptable")
    page.fill("#id_lines-0-quantity", "3")
    page.select_option("#id_lines-0-unit", "DAY")
    page.fill("#id_lines-0-unit_price", "450")
    page.click("button[data-add-row=lines]")  # added in the page, no round trip
    page.fill("#id_lines-1-description", "Ouvrage de référence")
    page.fill("#id_lines-1-unit_price", "40")
    page.select_option("#id_lines-1-vat", "S:5.5")
    page.click("button[value=recalc]")
    totals = page.locator(".totals")
    assert re.search(r"1\s?390,00", totals.inner_text())  # 1 350 + 40
    assert re.search(r"1\s?662,20", totals.inner_text())  # + 270 + 2,20
    page.click("#issue-button")
    page.wait_for_url(re.compile(r"/ventes/\d+/envoi/$"))
    assert "Facture F2026-00001" in page.locator("h1").inner_text()
    assert page.locator(".delivery-state").inner_text() == "Délivrée"
    invoice = Invoice.objects.get(dossier=seller_world.active)
    assert invoice.state == InvoiceState.ISSUED and invoice.third_party == buyer
    assert str(invoice.total_incl_vat) == "1662.20"
    [message] = mailbox.to("compta@acheteur.example")
    assert "F2026-00001" in message["Subject"]
