"""The address on the settings and purchase pages, its replacement, the sender lists, the messages page."""

import pytest
from django.urls import reverse

from facturier.audit.models import AuditEvent
from facturier.invoices.models import IncomingFile, Invoice
from facturier.invoices.receiving.tests.receiving_samples import purchase_cii
from facturier.mailbox import delivery
from facturier.mailbox.addresses import address_of, mailbox_for
from facturier.mailbox.models import Mailbox, MailMessage
from facturier.mailbox.tests.conftest import message
from facturier.testing.concurrency import at_once
from facturier.testing.world import sign_in

pytestmark = pytest.mark.django_db


def settings_url(world):
    return reverse("mailbox:settings", args=[world.active.pk])


def mail_in(world, address, **options):
    """A message through the listener's own steps (accept, then the worker), without a socket."""
    raw = message(address, **options).as_bytes()
    replies = delivery.accept(raw, "compta@fournisseur.fr", [address])
    for pk in MailMessage.objects.filter(state="queued").values_list("pk", flat=True):
        delivery.process(pk)
    return replies


def test_the_address_shows_on_the_settings_and_purchase_pages(client, world, mail_settings):
    sign_in(client, world, "client")
    address = address_of(mailbox_for(world.active))
    assert address.endswith("@factures.test") and len(address.split("@")[0]) == 10
    for url in (settings_url(world), reverse("invoices:purchases", args=[world.active.pk]),
                reverse("dashboard:settings", args=[world.active.pk])):
        page = client.get(url).content.decode()
        assert (address in page) or (settings_url(world) in page), url
    assert address in client.get(reverse("invoices:purchases", args=[world.active.pk])).content.decode()
    assert "data-copy" in client.get(settings_url(world)).content.decode()


def test_replacing_the_address_once_whatever_the_clicks(client, world, mail_settings):
    sign_in(client, world, "client")
    mailbox = mailbox_for(world.active)
    old = mailbox.code
    url = reverse("mailbox:new_address", args=[world.active.pk])
    first, second = client.post(url, {"code": old}, follow=True), client.post(url, {"code": old}, follow=True)
    new = Mailbox.objects.get().code
    assert new != old and "ne reçoit plus rien" in first.content.decode()
    assert "déjà été remplacée" in second.content.decode() and Mailbox.objects.get().code == new
    assert AuditEvent.objects.filter(action="mailbox_address_changed").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_replace_the_address_once(world, mail_settings):
    from django.test import Client

    mailbox = mailbox_for(world.active)
    old = mailbox.code

    def click(index):
        browser = Client()
        browser.force_login(world.user("client"))
        return browser.post(reverse("mailbox:new_address", args=[world.active.pk]), {"code": old}).status_code

    results, errors = at_once(click, 2)
    assert errors == [] and results == [302, 302]
    assert AuditEvent.objects.filter(action="mailbox_address_changed").count() == 1


def test_who_may_change_what(client, world, mail_settings):
    mailbox_for(world.active)
    sign_in(client, world, "staff_assigned")  # firm side: sees, does not change the client's settings
    assert client.get(settings_url(world)).status_code == 200
    assert client.post(settings_url(world), {"denied_senders": "x.fr"}).status_code == 403
    assert client.post(reverse("mailbox:new_address", args=[world.active.pk]), {"code": "x"}).status_code == 403
    sign_in(client, world, "staff_unassigned")
    assert client.get(settings_url(world)).status_code == 404
    assert client.get(reverse("mailbox:messages", args=[world.active.pk])).status_code == 404


def test_sender_lists_are_checked_and_saved(client, world, mail_settings):
    sign_in(client, world, "client")
    refused = client.post(settings_url(world), {"allowed_senders": "not an address\nfournisseur.fr",
                                                "denied_senders": ""})
    assert refused.status_code == 400 and "not an address" in refused.content.decode()
    client.post(settings_url(world), {"allowed_senders": "@Fournisseur.fr\ncompta@autre.fr\nfournisseur.fr",
                                      "denied_senders": "spam.example"})
    mailbox = Mailbox.objects.get()
    assert (mailbox.allowed_senders, mailbox.denied_senders) == ("fournisseur.fr\ncompta@autre.fr", "spam.example")
    assert AuditEvent.objects.filter(action="mailbox_senders_changed").exists()


def test_the_origin_shows_on_the_list_the_invoice_the_files_and_the_messages(client, world, mail_settings):
    address = address_of(mailbox_for(world.active))
    xml = purchase_cii(world.active.siren, number="F-ORIG")
    assert mail_in(world, address, subject="Votre facture", attachments=[("f.xml", xml, "text/xml")]) == [
        delivery.OK]
    mail_in(world, address, subject="Sans pièce", body="rien")
    invoice = Invoice.objects.get()
    sign_in(client, world, "client")
    listing = client.get(reverse("invoices:purchases", args=[world.active.pk])).content.decode()
    assert "mail-origin" in listing and "Votre facture" in listing
    detail = client.get(reverse("invoices:detail", args=[world.active.pk, invoice.pk])).content.decode()
    assert "Reçue par e-mail de compta@fournisseur.fr, objet « Votre facture »" in detail
    files = client.get(reverse("receiving:upload", args=[world.active.pk])).content.decode()
    assert "par e-mail de compta@fournisseur.fr" in files
    messages = client.get(reverse("mailbox:messages", args=[world.active.pk])).content.decode()
    assert "Sans pièce" in messages and "Aucune pièce jointe utilisable" in messages and "F-ORIG" in messages
    assert "1 sans pièce jointe utilisable" in listing
    assert IncomingFile.objects.get().source == "email"
