"""The sweep delivers what was issued or recorded and never handed to a task, once, after the grace period.

A lost task is a receiver that never ran: the issuing (or the decision) commits,
then the server dies before the task is queued. Here the receiver is left out.
"""

import contextlib
import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from facturier.exchange import receivers
from facturier.exchange.channels.base import Channel
from facturier.exchange.delivery import deliver, sweep_undelivered
from facturier.exchange.models import Delivery
from facturier.exchange.tasks import carry_lifecycle_event, deliver_invoice
from facturier.exchange.tests.support import customer, draft, ready_to_issue
from facturier.invoices.decisions import decide
from facturier.invoices.issuing import issue as issuing
from facturier.invoices.models import DeliveryState
from facturier.invoices.signals import invoice_issued, lifecycle_event_recorded
from facturier.testing.concurrency import at_once
from facturier.testing.world import build_world

ADDRESS = "compta@acheteur.example"


@contextlib.contextmanager
def tasks_lost():
    """The server dies between the commit and the enqueue: the exchange never hears of it."""
    invoice_issued.disconnect(dispatch_uid="exchange.deliver_issued_invoice")
    lifecycle_event_recorded.disconnect(dispatch_uid="exchange.carry_lifecycle_event")
    try:
        yield
    finally:
        invoice_issued.connect(receivers.deliver_issued_invoice, dispatch_uid="exchange.deliver_issued_invoice")
        lifecycle_event_recorded.connect(receivers.carry_recorded_event, dispatch_uid="exchange.carry_lifecycle_event")


def issued_without_task(dossier, buyer):
    invoice = issuing.save_draft(dossier, draft(buyer), customer=buyer)
    with tasks_lost():
        issuing.issue(invoice)
    invoice.refresh_from_db()
    return invoice


def after_grace(settings, extra=1):
    return timezone.now() + datetime.timedelta(seconds=settings.DELIVERY_GRACE_SECONDS + extra)


def test_an_issued_invoice_whose_task_was_lost_is_delivered_once(seller_world, mailbox, settings):
    invoice = issued_without_task(seller_world.active, customer(seller_world.active, email=ADDRESS))
    assert not Delivery.objects.exists() and invoice.delivery_state == DeliveryState.PENDING

    [delivery] = sweep_undelivered(now=after_grace(settings))

    assert (delivery.invoice, delivery.channel, delivery.state, delivery.initial) == (invoice, "email", "sent", True)
    invoice.refresh_from_db()
    assert invoice.delivery_state == DeliveryState.DELIVERED
    assert sweep_undelivered(now=after_grace(settings, 600)) == []  # a second sweep finds nothing
    deliver_invoice.call(invoice.pk)  # the task, queued late after all, sends no second copy
    assert deliver(invoice, initial=True) is None  # nor a task that passed its check just before the sweep
    assert Delivery.objects.count() == 1 and len(mailbox.to(ADDRESS)) == 1


def test_nothing_inside_the_grace_period_is_touched(seller_world, mailbox, settings):
    issued_without_task(seller_world.active, customer(seller_world.active, email=ADDRESS))
    assert sweep_undelivered(now=after_grace(settings, extra=-5)) == []
    assert not Delivery.objects.exists() and mailbox.messages == []


class Broken(Channel):
    """A channel with a bug for one buyer."""

    name = "broken"

    def route(self, invoice):
        if invoice.third_party.name == "Bogue SA":
            raise RuntimeError("a bug")


def test_an_invoice_failing_in_the_sweep_does_not_hold_up_the_others(seller_world, mailbox, settings):
    settings.EXCHANGE_CHANNELS = [f"{__name__}.Broken", "facturier.exchange.channels.email.EmailChannel"]
    issued_without_task(seller_world.active, customer(seller_world.active, name="Bogue SA", email="b@bogue.example"))
    other = issued_without_task(seller_world.active, customer(seller_world.active, email=ADDRESS))
    assert [delivery.invoice for delivery in sweep_undelivered(now=after_grace(settings))] == [other]
    assert len(mailbox.to(ADDRESS)) == 1


def test_a_resend_is_not_the_initial_delivery(seller_world, mailbox, settings):
    """The one-initial-delivery rule leaves "Renvoyer" free to deliver again."""
    invoice = issued_without_task(seller_world.active, customer(seller_world.active, email=ADDRESS))
    sweep_undelivered(now=after_grace(settings))
    assert deliver(invoice).state == "sent"
    assert Delivery.objects.filter(invoice=invoice).count() == 2 and len(mailbox.to(ADDRESS)) == 2


def test_a_status_whose_task_was_lost_is_carried_once(seller_world, mailbox, settings):
    buyer = customer(seller_world.active, email=ADDRESS, output_format="cii")
    sale = issued_without_task(seller_world.active, buyer)
    sweep_undelivered(now=after_grace(settings))
    with tasks_lost():
        event = decide(sale, seller_world.user("client"), 212, amount=sale.total_incl_vat)

    assert sweep_undelivered(now=timezone.now()) == []  # within its grace period
    [delivery] = sweep_undelivered(now=after_grace(settings))

    assert (delivery.event, delivery.kind, delivery.state) == (event, "event", "sent")
    assert sweep_undelivered(now=after_grace(settings, 600)) == []
    assert len(mailbox.to(ADDRESS)) == 2  # the invoice, then its status
    assert "Encaissée" in mailbox.to(ADDRESS)[-1]["Subject"]


def test_the_sweep_command_for_cron(seller_world, mailbox, settings, capsys):
    settings.DELIVERY_GRACE_SECONDS = 0
    issued_without_task(seller_world.active, customer(seller_world.active, email=ADDRESS))
    call_command("deliveries", "sweep")
    assert capsys.readouterr().out.strip() == "1 delivery attempt(s): 1 sent, 0 failed."
    assert len(mailbox.to(ADDRESS)) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.parametrize("round_", range(3))
def test_two_sweeps_and_the_task_at_once_deliver_once(round_, archive_dir, local_registry, mailbox, settings):
    world = build_world()
    ready_to_issue(world.active)
    invoice = issued_without_task(world.active, customer(world.active, email=ADDRESS))
    later = after_grace(settings)

    def work(index):
        return deliver_invoice.call(invoice.pk) if index == 2 else sweep_undelivered(now=later)

    _results, errors = at_once(work, 3)

    assert errors == []
    assert Delivery.objects.filter(invoice=invoice).count() == 1
    assert len(mailbox.to(ADDRESS)) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.parametrize("round_", range(3))
def test_two_sweeps_and_the_task_at_once_carry_a_status_once(round_, archive_dir, local_registry, mailbox,
                                                             settings):
    world = build_world()
    ready_to_issue(world.active)
    sale = issued_without_task(world.active, customer(world.active, email=ADDRESS, output_format="cii"))
    sweep_undelivered(now=after_grace(settings))  # the invoice itself
    with tasks_lost():
        event = decide(sale, world.user("client"), 212, amount=sale.total_incl_vat)
    later = after_grace(settings)

    def work(index):
        return carry_lifecycle_event.call(event.pk) if index == 2 else sweep_undelivered(now=later)

    _results, errors = at_once(work, 3)

    assert errors == []
    assert Delivery.objects.filter(event=event).count() == 1
    assert len(mailbox.to(ADDRESS)) == 2  # the invoice, then its status once
