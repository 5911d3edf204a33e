"""In Chromium: fill the issuing form (lines added and totals computed by the page's own script),
recalculate, issue, see it sent."""

import re

import pytest
from django.test import Client

from facturier.exchange.tests.support import customer
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
    page.click("button[data-add-row=lines]")
    page.fill("#id_lines-2-description", "Frais de dossier")
    page.fill("#id_lines-2-quantity", "0.5")
    page.fill("#id_lines-2-unit_price", "19.99")  # 9.995: half up to 10.00, as EN 16931 rounds
    # Live totals, computed in the page before any round trip...
    assert page.locator("#total-excl").inner_text() == "1\u202f400,00\u00a0€"
    assert page.locator("#total-vat").inner_text() == "274,20\u00a0€"  # 1 360 x 20 % + 40 x 5,5 %
    assert page.locator("#total-incl").inner_text() == "1\u202f674,20\u00a0€"
    # ... and the same from the engine on "Recalculer".
    page.click("button[value=recalc]")
    assert page.locator("#total-incl").inner_text() == "1\u202f674,20\u00a0€"
    assert "S 5,5 %" in page.locator(".issuing-vat").inner_text()
    page.click("#issue-button")
    page.wait_for_url(re.compile(r"/factures/\d+/$"))
    assert "Facture F2026-00001" in page.locator("h1").inner_text()
    assert page.locator("dd.delivery").inner_text() == "Délivrée"
    invoice = Invoice.objects.get(dossier=seller_world.active)
    assert invoice.state == InvoiceState.ISSUED and invoice.third_party == buyer
    assert str(invoice.total_incl_vat) == "1674.20"
    [message] = mailbox.to("compta@acheteur.example")
    assert "F2026-00001" in message["Subject"]
