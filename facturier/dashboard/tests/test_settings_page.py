import pytest
from django.test import Client
from django.urls import reverse

from facturier.accounts.models import User
from facturier.audit.models import AuditEvent
from facturier.dossiers.models import DossierMembership


def url(dossier):
    return reverse("dashboard:settings", args=[dossier.pk])


def test_owner_changes_the_settings(client, world):
    client.force_login(world.people["client"])
    response = client.post(url(world.active), {"auto_approve": "on", "default_output_format": "ubl"})
    assert response.status_code == 302 and response["Location"] == url(world.active)
    world.active.refresh_from_db()
    assert world.active.auto_approve is True and world.active.default_output_format == "ubl"
    event = AuditEvent.objects.get(action="dossier_settings_changed", dossier=world.active)
    assert event.actor == world.people["client"]
    assert event.detail == {"auto_approve": True, "default_output_format": "ubl"}
    page = client.get(url(world.active)).content.decode()
    assert "Paramètres du dossier enregistrés." in page and 'value="ubl" selected' in page


def test_bad_value_is_refused_with_a_message(client, world):
    client.force_login(world.people["client"])
    response = client.post(url(world.active), {"default_output_format": "pdf"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    world.active.refresh_from_db()
    assert world.active.default_output_format == "facturx"
    assert not AuditEvent.objects.filter(action="dossier_settings_changed").exists()


def test_user_with_the_manage_right_may_change_them(client, world):
    manager = User.objects.create_user("gestion@client.example")
    DossierMembership.objects.create(dossier=world.active, user=manager, can_manage_users=True)
    client.force_login(manager)
    assert client.post(url(world.active), {"auto_approve": "on", "default_output_format": "cii"}).status_code == 302
    world.active.refresh_from_db()
    assert world.active.default_output_format == "cii"


@pytest.mark.parametrize("role", ["accountant", "admin", "staff_assigned"])
def test_firm_side_reads_but_does_not_change(client, world, role):
    client.force_login(world.people[role])
    page = client.get(url(world.active)).content.decode()
    assert 'name="default_output_format"' in page and "disabled" in page
    assert 'type="submit">Enregistrer' not in page
    assert client.post(url(world.active), {"auto_approve": "on", "default_output_format": "ubl"}).status_code == 403
    world.active.refresh_from_db()
    assert world.active.auto_approve is False and world.active.default_output_format == "facturx"


def test_client_user_without_the_manage_right_is_refused(client, world):
    reader = User.objects.create_user("lecture@client.example")
    DossierMembership.objects.create(dossier=world.active, user=reader, can_handle_purchases=True)
    client.force_login(reader)
    assert client.get(url(world.active)).status_code == 403


def test_links_from_the_gear(client, world, settings):
    users = reverse("dossiers:dossier_users", args=[world.active.pk])
    ledger = reverse("ledger:settings", args=[world.active.pk])
    client.force_login(world.people["client"])
    owner_page = client.get(url(world.active)).content.decode()
    assert f'href="{users}"' in owner_page
    client.force_login(world.people["staff_assigned"])
    staff_page = client.get(url(world.active)).content.decode()
    # The client's users are the client's business; the accounting settings are the firm's.
    assert f'href="{users}"' not in staff_page
    assert f'href="{ledger}"' in owner_page and f'href="{ledger}"' in staff_page


def test_csrf_is_enforced(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.people["client"])
    assert browser.post(url(world.active), {"auto_approve": "on", "default_output_format": "ubl"}).status_code == 403
    world.active.refresh_from_db()
    assert world.active.auto_approve is False
