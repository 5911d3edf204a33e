"""The invoice page: the decisions first (Approuver, Refuser), the invoice next, the other statuses
folded; one page per sales invoice, with its deliveries and the 212 action; the counters' lists."""

import re

import pytest
from django.urls import reverse

from facturier.invoices.models import Anomaly, DeliveryState, Direction
from facturier.invoices.receiving import controls
from facturier.invoices.tests.screens_data import make_invoice


@pytest.fixture
def owner(client, world):
    client.force_login(world.user("client"))
    return world.active


def page(client, invoice):
    return client.get(reverse("invoices:detail", args=[invoice.dossier_id, invoice.pk])).content.decode()


def test_purchase_page_shows_two_primary_actions_then_the_invoice_then_the_other_statuses(client, owner):
    html = page(client, make_invoice(owner, number="A-1", lifecycle_status=203))
    primary = re.findall(r'class="decision decision-(\d+) primary"', html)
    assert primary == ["205", "210"]
    approve, refuse = html.index("decision-205 primary"), html.index("decision-210 primary")
    rendering, folded = html.index('<section class="rendering">'), html.index('<details class="decisions other')
    assert approve < refuse < rendering < folded
    others = html[folded:html.index("</details>", folded)]
    assert {"decision-204", "decision-206", "decision-207", "decision-208"} <= set(re.findall(r"decision-\d+", others))
    assert ">Approuver</button>" in html and ">Refuser</button>" in html
    refusal = html[refuse:html.index("</form>", refuse)]
    assert 'name="reason_code"' in refusal and 'value="DOUBLE_FACT"' in refusal


def test_approval_of_a_blocked_invoice_asks_for_the_check_on_the_primary_action(client, owner):
    invoice = make_invoice(owner, number="A-1", lifecycle_status=203)
    controls.raise_anomaly(invoice, Anomaly.Kind.INSOLVENCY, "liquidation judiciaire", {})
    html = page(client, invoice)
    approve = html[html.index("decision-205 primary"):]
    assert 'name="confirmed"' in approve[:approve.index("</form>")]
    assert "1 anomalie ouverte" in html


def test_the_delivery_page_of_a_sales_invoice_is_its_invoice_page(client, owner):
    sale = make_invoice(owner, Direction.SALES, "V-1", lifecycle_status=205, delivery_state=DeliveryState.DELIVERED)
    response = client.get(reverse("issuing:issued", args=[owner.pk, sale.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("invoices:detail", args=[owner.pk, sale.pk])
    html = page(client, sale)
    assert 'class="decision decision-212 primary"' in html, "recording the payment is on the one page"
    assert "Envoi en cours de préparation" in html  # no delivery row yet


def test_the_counter_filters_list_what_the_counters_count(client, owner):
    make_invoice(owner, Direction.SALES, "V-1", delivery_state=DeliveryState.PENDING)
    make_invoice(owner, Direction.SALES, "V-2", delivery_state=DeliveryState.DELIVERED)
    make_invoice(owner, Direction.SALES, "V-3", needs_decision=True, delivery_state=DeliveryState.DELIVERED)
    make_invoice(owner, number="A-1", needs_decision=True)
    make_invoice(owner, number="A-2")
    sales = client.get(reverse("invoices:sales", args=[owner.pk]) + "?a_envoyer=on").content.decode()
    assert 'data-count="1"' in sales and ">V-1<" in sales
    purchases = client.get(reverse("invoices:purchases", args=[owner.pk]) + "?action=on").content.decode()
    assert 'data-count="1"' in purchases and ">A-1<" in purchases
    assert "1 facture de vente attend aussi une action" in purchases
    assert reverse("invoices:sales", args=[owner.pk]) + "?action=on" in purchases
