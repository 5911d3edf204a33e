"""Who is told of what: each event once per person concerned, e-mailed as they chose, in their language."""

import pytest
from django.core.management import call_command

from einvoice.lifecycle import LifecycleStatus
from facturier.invoices.anomalies import raise_anomaly
from facturier.invoices.lifecycle import Party, record_event, record_remote_event
from facturier.invoices.models import Anomaly
from facturier.notifications.models import Frequency, Kind, Notification, Preference
from facturier.notifications.tasks import notify_anomaly, notify_event
from facturier.notifications.tests.support import member, purchase_invoice, sales_invoice

pytestmark = pytest.mark.django_db


def told(kind=None):
    rows = Notification.objects.all() if kind is None else Notification.objects.filter(kind=kind)
    return sorted(rows.values_list("user__email", flat=True))


def test_a_refusal_from_the_buyer_is_told_to_the_sellers_users_by_e_mail(
        world, mailbox, django_capture_on_commit_callbacks):
    seller = member(world.active, "ventes@client-actif.example", can_issue_sales=True)
    member(world.active, "achats@client-actif.example", can_handle_purchases=True)  # not their invoices
    invoice = sales_invoice(world.active)
    with django_capture_on_commit_callbacks(execute=True):
        record_remote_event(invoice, LifecycleStatus.REFUSEE, party=Party.BUYER, reason="Montant erroné")
    assert told(Kind.INVOICE_REFUSED) == sorted([seller.email, world.user("client").email])
    assert sorted(m["To"] for m in mailbox.messages) == sorted([seller.email, world.user("client").email])
    body = mailbox.body(mailbox.messages[0])
    assert "F-2026-0007" in body and "refusée" in body and "Montant erroné" in body
    assert f"/dossiers/{world.active.pk}/factures/{invoice.pk}/" in body
    assert "Société Active" in mailbox.messages[0]["Subject"]


def test_the_e_mail_is_in_the_persons_language(world, mailbox, django_capture_on_commit_callbacks):
    world.user("client").language = "en"
    world.user("client").save()
    invoice = sales_invoice(world.active)
    with django_capture_on_commit_callbacks(execute=True):
        record_remote_event(invoice, LifecycleStatus.PAIEMENT_TRANSMIS, party=Party.BUYER, amount="1200.00")
    [message] = mailbox.messages
    assert "Sales invoice paid" in message["Subject"]
    body = mailbox.body(message)
    assert "is paid" in body and "€1,200.00" in body and "payée" not in body


def test_whoever_recorded_the_payment_is_not_told_of_it(world, mailbox, django_capture_on_commit_callbacks):
    colleague = member(world.active, "associe@client-actif.example", is_owner=False, can_issue_sales=True)
    invoice = sales_invoice(world.active)
    with django_capture_on_commit_callbacks(execute=True):
        record_event(invoice, LifecycleStatus.ENCAISSEE, party=Party.SELLER, actor=world.user("client"),
                     amount="1200.00")
    assert told() == [colleague.email]
    assert [m["To"] for m in mailbox.messages] == [colleague.email]


def test_an_invoice_arriving_from_outside_is_told_but_not_one_uploaded_in_the_dossier(
        world, django_capture_on_commit_callbacks):
    buyer = member(world.active, "achats@client-actif.example", can_handle_purchases=True)
    member(world.active, "ventes@client-actif.example", can_issue_sales=True)
    arrived, uploaded = purchase_invoice(world.active), purchase_invoice(world.active, "A-78", buyer)
    with django_capture_on_commit_callbacks(execute=True):
        for invoice in (arrived, uploaded):
            for status in (LifecycleStatus.RECUE, LifecycleStatus.MISE_A_DISPOSITION):
                record_event(invoice, status, party=Party.PLATFORM)
    assert told() == sorted([buyer.email, world.user("client").email])
    assert set(Notification.objects.values_list("invoice", flat=True)) == {arrived.pk}
    assert Notification.objects.filter(kind=Kind.INVOICE_RECEIVED).count() == 2


def test_statuses_nobody_waits_for_tell_nobody(world, django_capture_on_commit_callbacks):
    invoice = sales_invoice(world.active)
    with django_capture_on_commit_callbacks(execute=True):
        record_remote_event(invoice, LifecycleStatus.APPROUVEE, party=Party.BUYER)
        record_event(purchase_invoice(world.active), LifecycleStatus.APPROUVEE, party=Party.BUYER)
    assert told() == []


def test_an_anomaly_tells_the_client_users_and_the_staff_following_the_dossier(
        world, mailbox, django_capture_on_commit_callbacks):
    invoice = purchase_invoice(world.active)
    with django_capture_on_commit_callbacks(execute=True):
        raise_anomaly(invoice, Anomaly.Kind.INSOLVENCY, "Liquidation judiciaire du 08/09/2026", {})
    assert told(Kind.ANOMALY) == [world.user("client").email]
    # Assigned with the delegation only: the unassigned and the undelegated are not told.
    assert told(Kind.ACTION_NEEDED) == [world.user("staff_assigned").email]
    staff_mail = mailbox.to(world.user("staff_assigned").email)
    assert len(staff_mail) == 1 and "procédure collective" in staff_mail[0]["Subject"]


def test_an_anomaly_only_the_firm_can_clear_goes_to_the_staff_only(world, mailbox, django_capture_on_commit_callbacks):
    invoice = purchase_invoice(world.active)
    with django_capture_on_commit_callbacks(execute=True):
        raise_anomaly(invoice, Anomaly.Kind.NOT_IN_SIRENE, "SIREN 100000009 absent", {})
        raise_anomaly(invoice, Anomaly.Kind.REGISTRY_PENDING, "registre indisponible", {}, blocking=False)
    assert told() == [world.user("staff_assigned").email]
    assert [m["To"] for m in mailbox.messages] == [world.user("staff_assigned").email]


def test_an_event_announced_twice_is_told_and_e_mailed_once(world, mailbox, django_capture_on_commit_callbacks):
    invoice = sales_invoice(world.active)
    with django_capture_on_commit_callbacks(execute=True):
        event = record_remote_event(invoice, LifecycleStatus.REFUSEE, party=Party.BUYER)
    anomaly = raise_anomaly(invoice, Anomaly.Kind.DELIVERY_FAILED, "boîte pleine", {})
    notify_event.enqueue(event.pk)  # a task run again, after a worker died
    notify_anomaly.enqueue(anomaly.pk)
    notify_anomaly.enqueue(anomaly.pk)
    assert Notification.objects.filter(user=world.user("client"), kind=Kind.INVOICE_REFUSED).count() == 1
    assert Notification.objects.filter(user=world.user("client"), kind=Kind.ANOMALY).count() == 1
    assert len(mailbox.to(world.user("client").email)) == 2


def test_the_daily_digest_gathers_what_was_not_e_mailed_and_is_sent_once(
        world, mailbox, django_capture_on_commit_callbacks):
    client = world.user("client")
    Preference.objects.create(user=client, kind=Kind.INVOICE_REFUSED, frequency=Frequency.DAILY)
    Preference.objects.create(user=client, kind=Kind.INVOICE_PAID, frequency=Frequency.NONE)
    first, second, paid = (sales_invoice(world.active, f"F-{n}") for n in (1, 2, 3))
    with django_capture_on_commit_callbacks(execute=True):
        record_remote_event(first, LifecycleStatus.REFUSEE, party=Party.BUYER)
        record_remote_event(second, LifecycleStatus.REJETEE, party=Party.PLATFORM)
        record_remote_event(paid, LifecycleStatus.PAIEMENT_TRANSMIS, party=Party.BUYER)
    assert mailbox.messages == []  # nothing at once
    assert Notification.objects.filter(user=client).count() == 3  # all three in the page's list

    call_command("notifications", "digest")
    [digest] = mailbox.messages
    assert digest["To"] == client.email and "2 notifications" in digest["Subject"]
    body = mailbox.body(digest)
    assert "F-1" in body and "refusée" in body and "F-2" in body and "rejetée" in body and "F-3" not in body

    call_command("notifications", "digest")
    assert len(mailbox.messages) == 1


def test_an_immediate_e_mail_the_server_refused_goes_in_the_next_digest(
        world, settings, mailbox, django_capture_on_commit_callbacks):
    listening, settings.EMAIL_PORT = settings.EMAIL_PORT, 1  # nobody listens on port 1: the send fails
    with django_capture_on_commit_callbacks(execute=True):
        record_remote_event(sales_invoice(world.active), LifecycleStatus.REFUSEE, party=Party.BUYER)
    assert Notification.objects.get().emailed_at is None
    settings.EMAIL_PORT = listening
    call_command("notifications", "digest")
    assert [m["To"] for m in mailbox.messages] == [world.user("client").email]
    assert Notification.objects.get().emailed_at is not None
