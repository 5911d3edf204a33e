"""The header's list, the notifications page and the preferences page."""

import pytest

from facturier.audit.models import AuditAction, AuditEvent
from facturier.notifications.models import Frequency, Kind, Notification, Preference
from facturier.notifications.tests.support import sales_invoice

pytestmark = pytest.mark.django_db


def notify(user, invoice, kind=Kind.INVOICE_PAID, source="event:1", **data):
    return Notification.objects.create(user=user, kind=kind, dossier=invoice.dossier, invoice=invoice, source=source,
                                       data={"amount": "1200.00", **data}, frequency=Frequency.IMMEDIATE)


def test_the_header_lists_the_unread_notifications(client, world):
    owner = world.user("client")
    invoice = sales_invoice(world.active)
    notify(owner, invoice)
    notify(owner, invoice, Kind.INVOICE_REFUSED, "event:2", status=210, reason="Doublon")
    client.force_login(owner)
    page = client.get(f"/dossiers/{world.active.pk}/").content.decode()
    assert 'class="badge">2<' in page
    assert "La facture F-2026-0007 adressée à Acheteur SA a été refusée. Motif : Doublon" in page


def test_opening_a_notification_marks_it_read_and_leads_to_the_invoice(client, world):
    owner = world.user("client")
    invoice = sales_invoice(world.active)
    notification = notify(owner, invoice)
    client.force_login(owner)
    response = client.get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/dossiers/{world.active.pk}/factures/{invoice.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'class="badge"' not in client.get("/notifications/").content.decode()


def test_someone_elses_notification_is_not_found(client, world):
    notification = notify(world.user("client"), sales_invoice(world.active))
    client.force_login(world.user("staff_assigned"))
    assert client.get(f"/notifications/{notification.pk}/").status_code == 404
    assert "F-2026-0007" not in client.get("/notifications/").content.decode()


def test_a_person_removed_from_the_dossier_no_longer_sees_its_notifications(client, world):
    owner = world.user("client")
    notify(owner, sales_invoice(world.active))
    world.active.memberships.filter(user=owner).delete()
    client.force_login(owner)
    assert "F-2026-0007" not in client.get("/notifications/").content.decode()


def test_mark_all_read(client, world):
    owner = world.user("client")
    invoice = sales_invoice(world.active)
    notify(owner, invoice)
    notify(owner, invoice, source="event:2")
    client.force_login(owner)
    assert client.post("/notifications/tout-lu/").status_code == 302
    assert not Notification.objects.filter(read_at=None).exists()


def test_a_client_user_chooses_per_kind_and_the_change_is_audited(client, world):
    owner = world.user("client")
    client.force_login(owner)
    page = client.get("/notifications/preferences/").content.decode()
    assert "Facture d&#x27;achat reçue" in page and "Action attendue" not in page
    choices = {kind.value: Frequency.IMMEDIATE for kind in (Kind.INVOICE_RECEIVED, Kind.INVOICE_PAID, Kind.ANOMALY)}
    response = client.post("/notifications/preferences/", {**choices, Kind.INVOICE_REFUSED: Frequency.DAILY})
    assert response.status_code == 302
    assert dict(Preference.objects.filter(user=owner).values_list("kind", "frequency")) == {
        Kind.INVOICE_REFUSED: Frequency.DAILY}
    event = AuditEvent.objects.get(action=AuditAction.NOTIFICATION_PREFERENCES_CHANGED)
    assert event.actor == owner and event.detail == {"kinds": {"invoice_refused": "daily"}}


def test_staff_choose_for_the_dossiers_they_follow(client, world):
    client.force_login(world.user("staff_assigned"))
    page = client.get("/notifications/preferences/").content.decode()
    assert "Action attendue sur un dossier suivi" in page and "Facture d&#x27;achat reçue" not in page
    assert client.post("/notifications/preferences/", {Kind.ACTION_NEEDED: "weekly"}).status_code == 200
    assert not Preference.objects.exists()
