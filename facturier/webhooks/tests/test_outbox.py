"""The outbox: a callback per matching subscription, written with the flow, sent signed, retried, never lost."""

import datetime
import json

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks import task_backends

from facturier.apiclients.testing import make_api_client
from facturier.flows.metadata import flow_metadata
from facturier.flows.models import AckStatus, Flow
from facturier.flows.recording import create_flow
from facturier.webhooks import outbox
from facturier.webhooks.models import Delivery, Subscription
from facturier.webhooks.signing import verify
from facturier.webhooks.tasks import send_delivery


@pytest.fixture
def receiver(http_stub):
    """A subscriber's endpoint; ``receiver.answers`` is the list of statuses it gives, in turn (then 200)."""
    http_stub.answers = []
    http_stub.route("POST", "/hook", lambda query, body: (http_stub.answers.pop(0) if http_stub.answers else 200,
                                                          {}))
    return http_stub


@pytest.fixture
def subscription(world, receiver):
    client, _secret = make_api_client(world.active, can_handle_purchases=True, can_issue_sales=True)
    return Subscription.objects.create(dossier=world.active, api_client=client, callback_url=receiver.url + "/hook")


def new_flow(dossier, **fields):
    values = {"direction": "In", "syntax": "CII", "name": "F-1.xml", "flow_type": "SupplierInvoice"}
    return create_flow(dossier, **{**values, **fields})


def test_a_flow_event_is_sent_signed_with_the_flow_as_body(subscription, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        flow = new_flow(subscription.dossier)
    [request] = receiver.requests
    assert json.loads(request["body"]) == flow_metadata(flow)
    assert verify(subscription.signing_key, request["body"], request["headers"])
    delivery = Delivery.objects.get()
    assert request["headers"]["Facturier-Delivery-Id"] == str(delivery.pk)
    assert (delivery.state, delivery.attempts, delivery.last_status) == (Delivery.State.SENT, 1, 200)


def test_each_flow_is_an_event_in_the_order_they_came(subscription, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = new_flow(subscription.dossier, ack_status=AckStatus.OK)
    with django_capture_on_commit_callbacks(execute=True):
        second = new_flow(subscription.dossier, name="F-2.xml", ack_status=AckStatus.ERROR)
    received = [json.loads(request["body"]) for request in receiver.requests]
    assert [(flow["flowId"], flow["acknowledgement"]["status"]) for flow in received] == [
        (str(first.uid), "Ok"), (str(second.uid), "Error")]


def test_the_delivery_row_commits_or_rolls_back_with_the_flow(subscription):
    def failing_request():
        with transaction.atomic():
            new_flow(subscription.dossier)
            assert Delivery.objects.count() == 1
            raise RuntimeError("the request failed after writing the flow")

    with pytest.raises(RuntimeError):
        failing_request()
    assert not Flow.objects.exists()
    assert not Delivery.objects.exists()


@pytest.mark.parametrize("filters, matches", [
    ({"flow_types": ["SupplierInvoice", "SupplierInvoiceLC"]}, True),
    ({"flow_types": ["CustomerInvoice"]}, False),
    ({"flow_direction": "In"}, True),
    ({"flow_direction": "Out"}, False),
    ({"ack_status": "Pending"}, True),
    ({"ack_status": "Error"}, False),
])
def test_filters(subscription, filters, matches):
    Subscription.objects.filter(pk=subscription.pk).update(**filters)
    new_flow(subscription.dossier)
    assert Delivery.objects.exists() is matches


def test_never_delivered_to_another_tenant(world, subscription, receiver):
    foreign_client, _secret = make_api_client(world.foreign, can_handle_purchases=True)
    Subscription.objects.create(dossier=world.foreign, api_client=foreign_client, callback_url=receiver.url + "/b")
    new_flow(world.active)
    assert list(Delivery.objects.values_list("subscription", flat=True)) == [subscription.pk]


def test_a_revoked_client_or_one_taken_off_the_dossier_hears_nothing(world, subscription):
    subscription.api_client.revoke()
    new_flow(world.active)
    client, _secret = make_api_client(world.active, can_handle_purchases=True)
    Subscription.objects.create(dossier=world.active, api_client=client, callback_url="http://127.0.0.1:9/hook")
    client.dossiers.clear()
    new_flow(world.active, name="F-2.xml")
    assert not Delivery.objects.exists()


def test_a_client_hears_only_of_the_flows_its_rights_cover(world, receiver):
    client, _secret = make_api_client(world.active, can_issue_sales=True)
    Subscription.objects.create(dossier=world.active, api_client=client, callback_url=receiver.url + "/hook")
    new_flow(world.active, flow_type="SupplierInvoice")
    assert not Delivery.objects.exists()
    new_flow(world.active, direction="Out", flow_type="CustomerInvoice", name="F-2.xml")
    sent_by_it = new_flow(world.active, direction="Out", syntax="CDAR", flow_type="SupplierInvoiceLC",
                          name="S-1.xml", sender=client.client_id)
    assert Delivery.objects.count() == 2
    assert Delivery.objects.filter(flow_id=str(sent_by_it.uid)).exists()


@pytest.mark.parametrize("status", [500, 503, 429, 408])
def test_a_receiver_in_trouble_gets_it_again_later(subscription, receiver, status):
    receiver.answers = [status]
    new_flow(subscription.dossier)
    delivery = Delivery.objects.get()
    before = timezone.now()
    outbox.send(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.last_status, delivery.attempts) == (Delivery.State.PENDING, status, 1)
    assert delivery.next_attempt_at >= before + outbox.FIRST_RETRY
    assert outbox.send_due() == []  # not yet due
    [retried] = outbox.send_due(now=delivery.next_attempt_at)
    assert (retried.state, retried.attempts) == (Delivery.State.SENT, 2)
    assert len(receiver.requests) == 2


def test_a_receiver_down_gets_it_once_it_is_back(subscription):
    Subscription.objects.filter(pk=subscription.pk).update(callback_url="http://127.0.0.1:9/hook")  # nobody there
    new_flow(subscription.dossier)
    [delivery] = outbox.send_due()
    assert delivery.state == Delivery.State.PENDING and "ConnectError" in delivery.last_error


def test_the_backoff_doubles_up_to_a_cap():
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert outbox.backoff(40) == outbox.LONGEST_WAIT


def test_a_refusal_is_not_retried(subscription, receiver):
    receiver.answers = [410]
    new_flow(subscription.dossier)
    [delivery] = outbox.send_due()
    assert (delivery.state, delivery.last_status) == (Delivery.State.ABANDONED, 410)


def test_retries_end(subscription, receiver):
    receiver.answers = [503]
    new_flow(subscription.dossier)
    Delivery.objects.update(attempts=outbox.MAX_ATTEMPTS - 1)
    [delivery] = outbox.send_due()
    assert (delivery.state, delivery.attempts) == (Delivery.State.ABANDONED, outbox.MAX_ATTEMPTS)


def test_a_delivery_a_dead_worker_held_is_taken_back_after_its_lease(subscription, receiver):
    new_flow(subscription.dossier)
    now = timezone.now()
    Delivery.objects.update(state=Delivery.State.SENDING, attempts=1, claimed_until=now + outbox.lease())
    assert outbox.send_due(now=now) == []  # the worker may still be sending it
    [delivery] = outbox.send_due(now=now + outbox.lease() + datetime.timedelta(seconds=1))
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 2)
    assert len(receiver.requests) == 1


def test_a_delivery_is_claimed_once(subscription, receiver):
    new_flow(subscription.dossier)
    delivery = Delivery.objects.get()
    assert outbox.send(delivery.pk) is not None
    assert outbox.send(delivery.pk) is None  # sent: a rerun of the task sends nothing
    assert len(receiver.requests) == 1


def test_a_late_worker_does_not_overwrite_the_row_another_took_back(subscription, receiver):
    new_flow(subscription.dossier)
    delivery = Delivery.objects.select_related("subscription").get()
    stale_lease = timezone.now() - datetime.timedelta(seconds=1)
    Delivery.objects.update(state=Delivery.State.SENDING, claimed_until=stale_lease, attempts=1)
    outbox.send(delivery.pk)  # another worker takes it back and sends it
    outbox._settle(delivery, stale_lease, 503, "HTTP 503", True)  # the first worker comes back with its failure
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT


def test_the_callback_url_is_checked_again_before_sending(settings, subscription, receiver):
    new_flow(subscription.dossier)
    settings.WEBHOOKS_ALLOW_PRIVATE_CALLBACKS = False
    [delivery] = outbox.send_due()
    assert delivery.state == Delivery.State.ABANDONED and "https" in delivery.last_error
    assert receiver.requests == []


def test_the_command_sends_what_is_due(subscription, receiver):
    from django.core.management import call_command

    receiver.answers = [503]
    new_flow(subscription.dossier)
    outbox.send_due()
    call_command("webhooks", "send-due", "--all")
    assert Delivery.objects.get().state == Delivery.State.SENT


def test_a_task_finding_the_row_held_comes_back_when_the_lease_ends(settings, subscription, receiver):
    new_flow(subscription.dossier)
    held_until = timezone.now() + outbox.lease()
    Delivery.objects.update(state=Delivery.State.SENDING, attempts=1, claimed_until=held_until)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    assert outbox.send(Delivery.objects.get().pk) is None
    [again] = task_backends["default"].results
    assert again.task.func is send_delivery.func
    assert again.task.run_after == held_until + datetime.timedelta(seconds=1)
    assert receiver.requests == []
