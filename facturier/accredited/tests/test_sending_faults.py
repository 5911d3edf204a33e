"""Faults on the way to an accredited platform: overload, outage, refusals, slow acknowledgements, a token expiring."""

import datetime
import time

import pytest
from django.utils import timezone

from facturier.accredited import sending
from facturier.accredited.client import PlatformClient, forget_tokens
from facturier.accredited.tests.stub_platform import StubPlatform, error
from facturier.exchange import delivery as exchange
from facturier.exchange.models import Delivery
from facturier.exchange.tests.support import customer, issued_invoice
from facturier.invoices.models import Anomaly, DeliveryState

BUYER_SIREN = "552100554"


@pytest.fixture
def platform(http_stub, seller_world):
    forget_tokens()
    stub = StubPlatform(http_stub)
    stub.connect(seller_world.firm)
    yield stub
    forget_tokens()


@pytest.fixture(autouse=True)
def _short_waits(monkeypatch):
    monkeypatch.setattr(sending, "ACK_POLLS", (0.05, 0.05))


def send(world):
    invoice = issued_invoice(world.active, customer(world.active, siren=BUYER_SIREN, email=""))
    return Delivery.objects.get(invoice=invoice, kind=Delivery.Kind.INVOICE)


def test_an_overloaded_platform_is_tried_again_after_its_retry_after(seller_world, platform):
    platform.answers = [(429, error("TOO_MANY_REQUESTS"), {"Retry-After": "1"})]
    started = time.monotonic()
    delivery = send(seller_world)
    assert delivery.state == Delivery.State.SENT and time.monotonic() - started >= 1
    calls = [(r["method"], r["path"].rsplit("/", 1)[-1]) for r in platform.stub.requests if "flow-service" in r["path"]]
    assert calls == [("POST", "flows"), ("POST", "search"), ("POST", "flows")], "it looks before sending again"
    assert len(platform.flows) == 1


def test_a_failing_platform_is_left_to_the_backoff_no_sooner_than_it_asked(seller_world, platform):
    platform.answers = [(503, error("UNAVAILABLE"), {"Retry-After": "7200"})]
    delivery = send(seller_world)
    assert delivery.state == Delivery.State.FAILED and "indisponible (503)" in delivery.last_error
    assert delivery.next_attempt_at >= timezone.now() + datetime.timedelta(seconds=7100)
    assert len(platform.requests("POST", "/flow-service/v1/flows")) == 1, "a long Retry-After is not waited here"
    assert delivery.invoice.delivery_state == DeliveryState.FAILED
    assert not delivery.invoice.anomalies.filter(kind=Anomaly.Kind.DELIVERY_FAILED).exists(), "it will be retried"
    exchange.attempt(delivery)  # the retry, when due
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT and len(platform.flows) == 1


def test_500_answers_are_tried_again_quickly_then_handed_to_the_backoff(seller_world, platform, monkeypatch):
    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    platform.answers = [(500, error("INTERNAL"))] * 3
    delivery = send(seller_world)
    assert delivery.state == Delivery.State.FAILED and delivery.next_attempt_at is not None
    assert len(platform.requests("POST", "/flow-service/v1/flows")) == 3 + 2  # 3 creations, 2 searches between


def test_a_stopped_platform_is_a_failure_to_retry(seller_world, platform, monkeypatch):
    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    platform.stub.__exit__()
    delivery = send(seller_world)
    assert delivery.state == Delivery.State.FAILED and delivery.next_attempt_at is not None
    assert "ne répond pas" in delivery.last_error


def test_an_error_acknowledgement_is_an_anomaly_with_the_reasons_in_french(seller_world, platform):
    platform.ack = "Error"
    platform.ack_details = [{"level": "Error", "item": "BR-FR-12", "reasonCode": "InvalidSchema",
                             "reasonMessage": "BT-10 missing"}, {"level": "Warning", "item": "x",
                                                                 "reasonCode": "OTHER", "reasonMessage": "minor"}]
    delivery = send(seller_world)
    assert delivery.state == Delivery.State.FAILED and delivery.next_attempt_at is None
    anomaly = delivery.invoice.anomalies.get(kind=Anomaly.Kind.DELIVERY_FAILED)
    assert anomaly.text.startswith("La plateforme a refusé le flux : Le fichier ne respecte pas le schéma XML "
                                   "(BR-FR-12) : BT-10 missing.")
    assert "minor" not in anomaly.text


def test_a_pending_acknowledgement_is_followed_until_ok(seller_world, platform):
    platform.ack = "Pending"
    delivery = send(seller_world)
    assert delivery.state == Delivery.State.SENT and delivery.platform_flow.ack_status == "Ok"


def test_an_acknowledgement_still_pending_is_looked_at_again_later_without_sending_again(seller_world, platform):
    platform.ack, platform.later_ack = "Pending", "Pending"
    delivery = send(seller_world)
    assert delivery.state == Delivery.State.PENDING and delivery.next_attempt_at is not None
    assert delivery.invoice.delivery_state != DeliveryState.FAILED
    platform.later_ack = "Ok"
    for flow in platform.flows.values():
        flow["acknowledgement"] = {"status": "Ok"}
    assert exchange.retry_due(now=delivery.next_attempt_at) == [delivery]
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT and len(platform.flows) == 1


def test_the_token_is_fetched_again_before_it_expires(seller_world, http_stub):
    forget_tokens()
    platform = StubPlatform(http_stub, token_lifetime=1)
    connection = platform.connect(seller_world.firm)
    with PlatformClient(connection) as client:
        client.search_flows({"trackingId": "a"})
        client.search_flows({"trackingId": "b"})
        assert platform.tokens == 1
        time.sleep(0.9)  # within its second of life, but past the margin kept before expiry
        client.search_flows({"trackingId": "c"})
    assert platform.tokens == 2
    bearers = [r["headers"]["Authorization"] for r in platform.requests("POST", "/flow-service")]
    assert bearers == ["Bearer token-1", "Bearer token-1", "Bearer token-2"]


def test_a_token_the_platform_no_longer_accepts_is_replaced_once(seller_world, http_stub):
    forget_tokens()
    platform = StubPlatform(http_stub)
    connection = platform.connect(seller_world.firm)
    answers = [(401, error("UNAUTHORIZED")), (200, {"limit": 1, "filters": {}, "results": []})]
    http_stub.route("POST", "/flow-service/v1/flows/search", lambda query, body: answers.pop(0))
    with PlatformClient(connection) as client:
        assert client.search_flows({"trackingId": "a"})["results"] == []
    assert platform.tokens == 2
