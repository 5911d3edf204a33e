"""Sending through an accredited platform, against a real one: another ``facturier serve`` with its own database."""

import pytest

from facturier.accredited.client import forget_tokens
from facturier.accredited.models import SentFlow
from facturier.accredited.sending import tracking_id
from facturier.accredited.tests.counterpart import BUYER_SIREN, Counterpart
from facturier.exchange import delivery as exchange
from facturier.exchange.models import Delivery
from facturier.exchange.tests.support import committed, customer, issued_invoice
from facturier.invoices.decisions import decide
from facturier.invoices.models import Anomaly, DeliveryState


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    with Counterpart(tmp_path_factory.mktemp("counterpart")) as counterpart:
        yield counterpart


@pytest.fixture
def connected(seller_world, platform, request):
    """The firm's default connection to the platform; the seller numbers its invoices apart in each test."""
    forget_tokens()
    platform.connect(seller_world.firm)
    seller_world.active.invoice_prefix = f"T{abs(hash(request.node.name)) % 10**6}"
    seller_world.active.save()
    return seller_world


def test_an_invoice_reaches_a_buyer_known_only_to_the_platform(connected, platform):
    buyer = customer(connected.active, siren=BUYER_SIREN, email="compta@acheteur.example", output_format="cii")
    invoice = issued_invoice(connected.active, buyer)
    delivery = Delivery.objects.get(invoice=invoice, kind=Delivery.Kind.INVOICE)
    assert (delivery.channel, delivery.state) == ("accredited", Delivery.State.SENT), delivery.last_error
    assert invoice.delivery_state == DeliveryState.DELIVERED
    assert delivery.recipient.startswith(f"{BUYER_SIREN} · plateforme agréée de l'acheteur (WK) · via PA de test")
    sent = delivery.platform_flow
    assert (sent.tracking_id, sent.ack_status, sent.addressing_identifier) == (tracking_id(delivery), "Ok", BUYER_SIREN)
    state = platform.state()
    [flow] = [flow for flow in state["flows"] if flow["tracking_id"] == sent.tracking_id]
    assert (flow["ack"], flow["syntax"], flow["rule"], flow["type"]) == ("Ok", "CII", "B2B", "CustomerInvoice")
    assert invoice.number in state["sales"] and invoice.number in state["purchases"], "it arrived at the buyer"


def test_the_seller_s_payment_status_goes_as_a_cdar_flow(connected, platform):
    buyer = customer(connected.active, siren=BUYER_SIREN, email="")
    invoice = issued_invoice(connected.active, buyer)
    with committed():
        decide(invoice, connected.user("client"), 212, amount=invoice.total_incl_vat)
    carried = Delivery.objects.get(invoice=invoice, kind=Delivery.Kind.EVENT, event__status=212)
    assert (carried.channel, carried.state) == ("accredited", Delivery.State.SENT), carried.last_error
    state = platform.state()
    cdar = [flow for flow in state["flows"] if flow["tracking_id"] == carried.platform_flow.tracking_id]
    assert [(flow["syntax"], flow["type"], flow["ack"]) for flow in cdar] == [("CDAR", "CustomerInvoiceLC", "Ok")]
    assert [invoice.number, 212] in state["sales_events"]
    assert [invoice.number, 212] in state["purchase_events"], "the buyer's side sees it"


def test_a_buyer_missing_from_the_directory_is_not_sent_anything(connected, platform):
    before = len(platform.state()["flows"])
    buyer = customer(connected.active, siren="443061841", name="Nouvelle Société", email="compta@nouvelle.example")
    invoice = issued_invoice(connected.active, buyer)
    delivery = Delivery.objects.get(invoice=invoice, kind=Delivery.Kind.INVOICE)
    assert (delivery.channel, delivery.state, delivery.next_attempt_at) == ("accredited", "failed", None)
    anomaly = invoice.anomalies.get(kind=Anomaly.Kind.DELIVERY_FAILED)
    assert "443061841" in anomaly.text and "n'a pas de ligne active dans l'annuaire" in anomaly.text
    assert "Renvoyer" in anomaly.text
    assert len(platform.state()["flows"]) == before
    assert not SentFlow.objects.filter(delivery=delivery).exists()


def test_a_dossier_without_connection_keeps_the_other_channels(seller_world, platform, mailbox):
    buyer = customer(seller_world.active, siren=BUYER_SIREN, email="compta@acheteur.example")
    invoice = issued_invoice(seller_world.active, buyer)
    assert Delivery.objects.get(invoice=invoice).channel == "email"


def test_a_retry_after_a_lost_answer_finds_the_flow_instead_of_sending_again(connected, platform):
    buyer = customer(connected.active, siren=BUYER_SIREN, email="")
    invoice = issued_invoice(connected.active, buyer)
    delivery = Delivery.objects.get(invoice=invoice, kind=Delivery.Kind.INVOICE)
    flow_id = delivery.platform_flow.flow_id
    # As after a crash between the platform's answer and our commit: our side knows nothing of it.
    SentFlow.objects.filter(delivery=delivery).delete()
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.PENDING, sent_at=None)
    delivery.refresh_from_db()
    exchange.attempt(delivery)
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT and delivery.attempts == 2
    assert delivery.platform_flow.flow_id == flow_id
    tracked = [flow for flow in platform.state()["flows"] if flow["tracking_id"] == tracking_id(delivery)]
    assert len(tracked) == 1
