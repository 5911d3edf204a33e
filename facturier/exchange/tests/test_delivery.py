"""Delivery of issued invoices: between dossiers of the platform, by e-mail, failures kept and retried."""

import datetime
import socket

import pytest
from django.core.management import call_command
from django.utils import timezone

from einvoice.read import read_invoice
from facturier.archive.store import open_content
from facturier.exchange.channels.base import Channel, Route
from facturier.exchange.delivery import backoff, deliver, retry_due
from facturier.exchange.models import Delivery
from facturier.exchange.tasks import deliver_invoice
from facturier.exchange.tests.support import committed, customer, issued_invoice
from facturier.invoices.models import DeliveryState, Direction, Invoice, InvoiceState


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_buyer_active_on_the_platform_receives_the_invoice_at_once(seller_world, mailbox):
    buyer_dossier = seller_world.foreign
    buyer = customer(seller_world.active, siren=buyer_dossier.siren, name=buyer_dossier.name, email="")
    invoice = issued_invoice(seller_world.active, buyer)
    invoice.refresh_from_db()
    assert invoice.delivery_state == DeliveryState.DELIVERED
    delivery = Delivery.objects.get(invoice=invoice, kind=Delivery.Kind.INVOICE)
    assert (delivery.channel, delivery.state, delivery.recipient_dossier) == ("platform", "sent", buyer_dossier)
    purchase = delivery.counterpart_invoice
    assert (purchase.dossier, purchase.direction, purchase.state) == (buyer_dossier, Direction.PURCHASE,
                                                                      InvoiceState.RECEIVED)
    assert purchase.number == invoice.number and purchase.seller_siren == seller_world.active.siren
    assert open_content(purchase.original) == open_content(invoice.original)  # the very file, unchanged
    assert purchase.files.get().outcome == "accepted"
    # Nothing went by e-mail: the buyer's owner is only told it arrived (the notifications app).
    assert [m["To"] for m in mailbox.messages] == [buyer_dossier.owner.email]
    assert not any(part.get_filename() for part in mailbox.messages[0].walk())


def test_buyer_matched_by_electronic_address(seller_world, mailbox):
    buyer = customer(seller_world.active, siren="", name="Secret Voisin", email="", vat=False)
    buyer.electronic_address = seller_world.foreign.siren
    buyer.save()
    invoice = issued_invoice(seller_world.active, buyer)
    assert Delivery.objects.get(invoice=invoice).channel == "platform"


def test_a_dossier_not_active_is_not_reached_through_the_platform(seller_world, mailbox):
    inactive = seller_world.new  # on the platform, but its owner has not joined yet
    buyer = customer(seller_world.active, siren=inactive.siren, name=inactive.name, email="compta@nouvelle.example")
    invoice = issued_invoice(seller_world.active, buyer)
    delivery = Delivery.objects.get(invoice=invoice)
    assert delivery.channel == "email" and delivery.state == "sent"
    assert not Invoice.objects.filter(dossier=inactive).exists()
    assert len(mailbox.to("compta@nouvelle.example")) == 1


def test_email_delivery_carries_the_facturx_pdf(seller_world, mailbox):
    buyer = customer(seller_world.active, email="compta@acheteur.example")
    invoice = issued_invoice(seller_world.active, buyer)
    invoice.refresh_from_db()
    [message] = mailbox.to("compta@acheteur.example")
    assert invoice.number in message["Subject"] and seller_world.active.name in message["Subject"]
    assert message["Reply-To"] == seller_world.active.representative_email
    body = mailbox.body(message)
    assert "Bonjour" in body and invoice.number in body and "240,00" in body
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == f"{invoice.number}.pdf"
    assert attachment.get_content_type() == "application/pdf"
    pdf = attachment.get_content()
    assert pdf == open_content(invoice.original)
    assert read_invoice(pdf).number == invoice.number
    delivery = Delivery.objects.get(invoice=invoice)
    assert (delivery.state, delivery.attempts, delivery.recipient) == ("sent", 1, "compta@acheteur.example")
    assert invoice.delivery_state == DeliveryState.DELIVERED


def test_no_address_fails_with_a_clear_reason_then_resend_after_fixing(seller_world, mailbox, client):
    buyer = customer(seller_world.active, email="", output_format="cii")
    invoice = issued_invoice(seller_world.active, buyer)
    invoice.refresh_from_db()
    delivery = Delivery.objects.get(invoice=invoice)
    assert invoice.delivery_state == DeliveryState.FAILED and delivery.state == "failed"
    assert "Aucune adresse e-mail de facturation" in delivery.last_error
    assert delivery.next_attempt_at is None  # retrying cannot help until someone adds the address
    anomaly = invoice.anomalies.get(kind="delivery_failed", resolved_at__isnull=True)
    assert "Aucune adresse e-mail" in anomaly.detail
    assert anomaly.tasks.get().for_client  # someone is asked to fix it
    client.force_login(seller_world.user("client"))
    from django.urls import reverse

    page = client.get(reverse("invoices:detail", args=[seller_world.active.pk, invoice.pk])).content.decode()
    assert "Échec d&#x27;envoi" in page or "Échec d'envoi" in page
    assert "Aucune adresse e-mail de facturation" in page and "Renvoyer" in page
    buyer.billing_email = "compta@acheteur.example"
    buyer.save()
    response = client.post(reverse("issuing:resend", args=[seller_world.active.pk, invoice.pk]))
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.delivery_state == DeliveryState.DELIVERED
    assert len(mailbox.to("compta@acheteur.example")) == 1
    assert Delivery.objects.filter(invoice=invoice).count() == 2  # the failure is kept in the history
    assert not invoice.anomalies.filter(resolved_at__isnull=True).exists()
    assert invoice.tasks.get().done_at is not None


def test_smtp_failure_is_kept_then_retried_in_the_background(seller_world, mailbox, settings):
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = closed_port()
    buyer = customer(seller_world.active, output_format="ubl")
    invoice = issued_invoice(seller_world.active, buyer)
    invoice.refresh_from_db()
    delivery = Delivery.objects.get(invoice=invoice)
    assert invoice.delivery_state == DeliveryState.FAILED
    assert delivery.state == "failed" and delivery.attempts == 1 and "e-mail" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now()
    assert not invoice.anomalies.exists()  # a retry is coming: nobody is disturbed yet
    assert retry_due() == []  # not due yet
    settings.EMAIL_PORT = working_port
    later = delivery.next_attempt_at + datetime.timedelta(seconds=1)
    [retried] = retry_due(now=later)
    assert (retried.state, retried.attempts, retried.last_error) == ("sent", 2, "")
    invoice.refresh_from_db()
    assert invoice.delivery_state == DeliveryState.DELIVERED
    [message] = mailbox.to(buyer.billing_email)
    assert [part.get_filename() for part in message.iter_attachments()] == [f"{invoice.number}.xml"]


def test_retry_command_sends_what_failed(seller_world, mailbox, settings, capsys):
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = closed_port()
    buyer = customer(seller_world.active, output_format="cii")
    invoice = issued_invoice(seller_world.active, buyer)
    settings.EMAIL_PORT = working_port
    call_command("deliveries", "retry")
    assert Delivery.objects.get(invoice=invoice).state == "failed"  # not due: the command waits for its time
    call_command("deliveries", "retry", "--all")
    assert Delivery.objects.get(invoice=invoice).state == "sent"
    assert "1 sent" in capsys.readouterr().out
    assert len(mailbox.messages) == 1


def test_backoff_grows_and_is_capped():
    assert [backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert backoff(30) == datetime.timedelta(hours=6)


def test_no_channel_at_all_is_a_failure_not_a_loss(seller_world, settings):
    settings.EXCHANGE_CHANNELS = ["facturier.exchange.channels.platform.PlatformChannel"]
    buyer = customer(seller_world.active, output_format="cii")
    invoice = issued_invoice(seller_world.active, buyer)
    invoice.refresh_from_db()
    assert invoice.delivery_state == DeliveryState.FAILED
    assert Delivery.objects.get(invoice=invoice).last_error
    settings.EXCHANGE_CHANNELS = ["facturier.exchange.channels.platform.PlatformChannel",
                                  "facturier.exchange.channels.email.EmailChannel"]
    deliver(invoice)
    invoice.refresh_from_db()
    assert invoice.delivery_state == DeliveryState.DELIVERED


@pytest.mark.parametrize("role, status", [("client", 302), ("staff_unassigned", 404)])
def test_resend_access(seller_world, client, role, status):
    from django.urls import reverse

    buyer = customer(seller_world.active, email="", output_format="cii")
    invoice = issued_invoice(seller_world.active, buyer)
    client.force_login(seller_world.user(role))
    assert client.post(reverse("issuing:resend", args=[seller_world.active.pk, invoice.pk])).status_code == status


def test_a_failure_schedules_its_retry_on_a_deferring_backend(seller_world, mailbox, settings):
    from django_tasks_db.models import DBTaskResult

    settings.EMAIL_PORT = closed_port()
    buyer = customer(seller_world.active, output_format="cii")
    invoice = issued_invoice(seller_world.active, buyer)  # immediate backend: delivered at once, and failed
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with committed():
        delivery = deliver(invoice)
    retry = DBTaskResult.objects.get(task_path__endswith="retry_delivery")
    assert retry.run_after == delivery.next_attempt_at > timezone.now()
    assert retry.args_kwargs["args"] == [delivery.pk]


class CarrierPigeon(Channel):
    """A channel the platform did not ship: proof that a new way to deliver is a new class."""

    name = "pigeon"
    sent = []

    def route(self, invoice):
        return Route(recipient="colombier") if invoice.buyer_name == "Acheteur SA" else None

    def route_event(self, event):
        return None

    def send(self, delivery):
        CarrierPigeon.sent.append(delivery.invoice.number)


def test_a_new_channel_is_a_class_in_the_setting(seller_world, mailbox, settings):
    settings.EXCHANGE_CHANNELS = [f"{__name__}.CarrierPigeon", "facturier.exchange.channels.email.EmailChannel"]
    CarrierPigeon.sent = []
    invoice = issued_invoice(seller_world.active, customer(seller_world.active, output_format="cii"))
    assert CarrierPigeon.sent == [invoice.number]
    assert Delivery.objects.get(invoice=invoice).channel == "pigeon" and mailbox.messages == []
    other = issued_invoice(seller_world.active, customer(seller_world.active, name="Autre SA",
                                                         email="a@autre.example", output_format="cii"))
    assert Delivery.objects.get(invoice=other).channel == "email"


def test_delivering_again_after_a_worker_died_sends_no_second_copy(seller_world, mailbox):
    buyer = customer(seller_world.active, email="compta@acheteur.example")
    invoice = issued_invoice(seller_world.active, buyer)

    deliver_invoice.call(invoice.pk)  # the same task run again, as after its worker was killed

    assert Delivery.objects.filter(invoice=invoice).count() == 1
    assert len(mailbox.to("compta@acheteur.example")) == 1
