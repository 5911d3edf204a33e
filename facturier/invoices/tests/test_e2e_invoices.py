"""End to end in Chromium, through the screens only.

1. Dossier A issues an invoice to dossier B (on the platform) → B sees it in its
   purchases → approves (205) → A sees 205 → B marks it paid (211) → A sees 211
   and records the payment received (212), which B sees too.
2. A purchase invoice from a supplier in liquidation raises the anomaly, shows
   in the firm's "Action attendue" counter, cannot be approved until someone
   confirms having checked it, then leaves the counter.
"""

import json
import re

import pytest
from django.test import Client

from facturier.exchange.tests.support import customer
from facturier.invoices.models import Anomaly, Direction, Invoice
from facturier.invoices.receiving.tests.receiving_samples import SUPPLIER_SIREN, purchase_cii

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    """The browser becomes ``user`` (a fresh session cookie, replacing the previous one)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def open_invoice_from_list(page, list_url, number):
    page.goto(list_url)
    page.click(f"main table.invoices a:text-is('{number}')")
    page.wait_for_url(re.compile(r"/factures/\d+/$"))


def decide(page, status, *, confirm=False):
    """Approve, refuse or collect with the primary actions; any other status from the folded panel."""
    form = page.locator(f"form.decision-{status}")
    if not form.is_visible():
        page.click("details.other-decisions summary")
    if confirm:
        form.locator("input[name=confirmed]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def timeline(page):
    return page.locator("ol.lifecycle").inner_text()


def statuses(page):
    """The status codes of the timeline, oldest first (the page shows their labels only)."""
    return [int(code) for code in page.locator("ol.lifecycle li").evaluate_all(
        "items => items.map(item => item.dataset.status)")]


def issue_through_the_form(page, dossier, buyer_name):
    page.goto(f"/dossiers/{dossier.pk}/factures/ventes/")
    page.click("main a:text-is('Nouvelle facture')")
    page.select_option("#id_customer", label=buyer_name)
    page.fill("#id_lines-0-description", "Mission de conseil")
    page.fill("#id_lines-0-quantity", "2")
    page.fill("#id_lines-0-unit_price", "500")
    page.click("#issue-button")
    page.wait_for_url(re.compile(r"/factures/\d+/$"))


def test_issue_approve_pay_and_collect_across_two_dossiers(page, live_server, seller_world, mailbox):
    world = seller_world
    seller, buyer = world.active, world.foreign
    customer(seller, siren=buyer.siren, name=buyer.name, email="")
    seller_user, buyer_user = world.user("client"), buyer.owner

    sign_in(page, live_server, seller_user)
    issue_through_the_form(page, seller, buyer.name)
    sale = Invoice.objects.get(dossier=seller, direction=Direction.SALES)
    sales_list = f"/dossiers/{seller.pk}/factures/ventes/"
    page.goto(sales_list)
    row = page.locator(f"tr[data-invoice='{sale.pk}']")
    assert row.locator("td[data-col=delivery]").inner_text() == "Délivrée"

    # B sees it among its purchases and approves it.
    sign_in(page, live_server, buyer_user)
    purchases_list = f"/dossiers/{buyer.pk}/factures/achats/"
    open_invoice_from_list(page, purchases_list, sale.number)
    assert seller.name in page.locator("dl.invoice-summary").inner_text()
    assert page.frame_locator("iframe.invoice-rendering").locator("body").inner_text().count(sale.number) >= 1
    decide(page, 205)
    assert "Approuvée" in timeline(page) and statuses(page)[-1] == 205

    # A sees 205 on its sales invoice.
    sign_in(page, live_server, seller_user)
    open_invoice_from_list(page, sales_list, sale.number)
    assert "Approuvée" in timeline(page) and 205 in statuses(page)
    assert page.locator("dd[data-status]").inner_text() == "Approuvée"

    # B marks it paid.
    sign_in(page, live_server, buyer_user)
    open_invoice_from_list(page, purchases_list, sale.number)
    decide(page, 211)
    assert "Paiement transmis" in timeline(page) and statuses(page)[-1] == 211

    # A sees 211 and records 212 with the amount received.
    sign_in(page, live_server, seller_user)
    open_invoice_from_list(page, sales_list, sale.number)
    assert "Paiement transmis" in timeline(page) and 211 in statuses(page)
    decide(page, 212)
    assert re.search(r"Encaissée.*\n?.*Montant : 1\s?200,00\s€", timeline(page)) and statuses(page)[-1] == 212
    page.goto(sales_list)
    assert page.locator(f"tr[data-invoice='{sale.pk}'] td[data-col=status]").inner_text() == "Encaissée"

    # Both parties see the same statuses in the same order.
    sign_in(page, live_server, buyer_user)
    open_invoice_from_list(page, purchases_list, sale.number)
    buyer_codes = statuses(page)
    sign_in(page, live_server, seller_user)
    open_invoice_from_list(page, sales_list, sale.number)
    seller_codes = statuses(page)
    assert [c for c in buyer_codes if c in {205, 211, 212}] == [205, 211, 212]
    assert [c for c in seller_codes if c in {205, 211, 212}] == [205, 211, 212]


def client_row_counts(page, dossier):
    row = page.locator(f"tr[data-dossier='{dossier.pk}']")
    return {key: row.locator(f"td[data-col={key}]").inner_text() for key in ("to_send", "awaiting", "action")}


def test_supplier_in_liquidation_blocks_approval_and_counts_as_action_required(
        page, live_server, seller_world, local_registry):
    world = seller_world
    dossier = world.active
    companies = json.loads(local_registry.read_text())
    companies[SUPPLIER_SIREN] = {
        "name": "VENDEUR SARL", "status": "active", "created_on": "2001-01-01",
        "proceedings": [{"judgment": "Jugement d'ouverture d'une procédure de liquidation judiciaire",
                         "date": "2026-09-08", "court": "Tribunal de commerce de Lyon"}],
    }
    local_registry.write_text(json.dumps(companies))

    sign_in(page, live_server, world.user("client"))
    page.goto(f"/dossiers/{dossier.pk}/factures/achats/")
    page.click("main a:text-is('Déposer des factures')")
    page.set_input_files("#id_files", files=[{
        "name": "F2026-0042.xml", "mimeType": "application/xml", "buffer": purchase_cii(dossier.siren),
    }])
    page.click("#invoice-upload button[type=submit]")
    page.wait_for_load_state()
    invoice = Invoice.objects.get(dossier=dossier, direction=Direction.PURCHASE)
    assert invoice.anomalies.filter(kind=Anomaly.Kind.INSOLVENCY, resolved_at__isnull=True).exists()

    # The list flags it; the firm's client list counts it under "Action attendue".
    page.goto(f"/dossiers/{dossier.pk}/factures/achats/?anomalie=on")
    assert page.locator(f"tr[data-invoice='{invoice.pk}'] .badge.anomaly").inner_text() == "1"
    sign_in(page, live_server, world.user("staff_assigned"))
    page.goto(f"/cabinets/{world.firm.pk}/clients/")
    assert client_row_counts(page, dossier)["action"] == "1"

    # The invoice page shows the anomaly; approving without confirming is refused.
    sign_in(page, live_server, world.user("client"))
    open_invoice_from_list(page, f"/dossiers/{dossier.pk}/factures/achats/", invoice.number)
    controls = page.locator("section.controls").inner_text()
    assert "Entreprise en procédure collective" in controls and "08/09/2026" in controls
    form = page.locator("form.decision-205")
    form.locator("input[name=confirmed]").evaluate("box => box.removeAttribute('required')")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("ul.messages .error").count() == 1
    invoice.refresh_from_db()
    assert invoice.lifecycle_status != 205 and invoice.approved_at is None

    # Someone decides, having checked: approved, the anomaly resolved, the counter back to 0.
    decide(page, 205, confirm=True)
    assert "Approuvée" in timeline(page) and statuses(page)[-1] == 205
    assert "résolue le" in page.locator("section.controls").inner_text()
    sign_in(page, live_server, world.user("staff_assigned"))
    page.goto(f"/cabinets/{world.firm.pk}/clients/")
    counts = client_row_counts(page, dossier)
    assert counts["action"] == "0" and counts["awaiting"] == "1"  # approved, waiting for the accounts
