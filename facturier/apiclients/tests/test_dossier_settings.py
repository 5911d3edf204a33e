"""The API clients section of the dossier settings: who reaches it, creating a client (secret shown
once, stored hashed), revoking one, and the audit trail of both."""

import pytest
from django.contrib.auth.hashers import check_password
from django.urls import reverse

from facturier.apiclients.models import ApiClient
from facturier.apiclients.testing import make_api_client
from facturier.audit.models import AuditAction, AuditEvent
from facturier.dossiers.models import DossierMembership
from facturier.testing.world import sign_in


def page_url(world):
    return reverse("apiclients:dossier_clients", args=[world.active.pk])


@pytest.mark.parametrize(("role", "status"), [
    ("client", 200), ("staff_assigned", 200), ("admin", 200), ("accountant", 200),
    ("staff_unassigned", 404), ("staff_no_delegation", 404), ("anonymous", 302),
])
def test_who_reaches_the_section(client, world, role, status):
    sign_in(client, world, role)
    assert client.get(page_url(world)).status_code == status


def test_a_client_user_without_user_management_gets_403(client, world):
    member = DossierMembership.objects.create(dossier=world.active, user=world.people["staff_unassigned"],
                                              can_issue_sales=True, can_handle_purchases=True)
    client.force_login(member.user)
    assert client.get(page_url(world)).status_code == 403
    assert client.post(page_url(world), {"name": "X", "can_issue_sales": "on"}).status_code == 403
    assert not ApiClient.objects.exists()


def test_a_foreign_dossiers_clients_are_out_of_reach(client, world):
    foreign_client, _secret = make_api_client(world.foreign)
    sign_in(client, world, "accountant")
    assert client.get(reverse("apiclients:dossier_clients", args=[world.foreign.pk])).status_code == 404
    url = reverse("apiclients:revoke", args=[world.active.pk, foreign_client.pk])
    assert client.post(url).status_code == 404
    foreign_client.refresh_from_db()
    assert not foreign_client.is_revoked


def test_creating_shows_the_secret_once_and_keeps_only_its_hash(client, world):
    sign_in(client, world, "client")
    posted = client.post(page_url(world), {"name": "ERP Active", "can_issue_sales": "on", "can_set_statuses": "on"})
    assert posted.status_code == 302
    answer = client.get(posted.url)
    created, secret = answer.context["created"], answer.context["secret"]
    assert secret in answer.content.decode() and created.client_id in answer.content.decode()
    stored = ApiClient.objects.get()
    assert stored.rights == ["can_issue_sales", "can_set_statuses"]
    assert list(stored.dossiers.all()) == [world.active]
    assert stored.created_by == world.people["client"]
    assert secret not in stored.secret_hash and stored.secret_hash.startswith("argon2")
    assert check_password(secret, stored.secret_hash)
    again = client.get(page_url(world)).content.decode()
    assert secret not in again and "ERP Active" in again and "Jamais" in again
    event = AuditEvent.objects.get(action=AuditAction.API_CLIENT_CREATED)
    assert (event.actor, event.dossier, event.detail["api_client"]) == (world.people["client"], world.active,
                                                                        "ERP Active")


def test_a_client_needs_a_name_and_a_right(client, world):
    sign_in(client, world, "staff_assigned")
    answer = client.post(page_url(world), {"name": ""})
    assert answer.status_code == 200
    assert "Donnez au moins un droit au client." in answer.content.decode()
    assert not ApiClient.objects.exists()


def test_revoking_a_client_of_this_dossier_alone_revokes_it_once(client, world):
    api_client, _secret = make_api_client(world.active, can_issue_sales=True)
    sign_in(client, world, "staff_assigned")
    url = reverse("apiclients:revoke", args=[world.active.pk, api_client.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # a second click changes nothing
    api_client.refresh_from_db()
    assert api_client.is_revoked
    assert AuditEvent.objects.filter(action=AuditAction.API_CLIENT_REVOKED).count() == 1
    assert "Révoqué le" in client.get(page_url(world)).content.decode()


def test_revoking_a_firm_integration_from_one_dossier_leaves_the_others(client, world):
    integration, _secret = make_api_client(world.active, world.own, name="Intégration cabinet")
    sign_in(client, world, "client")
    assert client.post(reverse("apiclients:revoke", args=[world.active.pk, integration.pk])).status_code == 302
    integration.refresh_from_db()
    assert not integration.is_revoked
    assert list(integration.dossiers.all()) == [world.own]


def test_the_dossier_settings_link_to_the_section(client, world):
    sign_in(client, world, "client")
    assert page_url(world) in client.get(reverse("dashboard:settings", args=[world.active.pk])).content.decode()
