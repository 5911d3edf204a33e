"""What an API client does lands in the audit trail with its name, its dossier and the request id."""

from types import SimpleNamespace

from django.urls import reverse

from facturier.apiclients.audit import record_api_action
from facturier.apiclients.testing import make_api_client
from facturier.audit.models import AuditAction
from facturier.testing.world import sign_in


def test_an_api_action_names_the_client_and_the_request(world):
    client, _secret = make_api_client(world.active, name="ERP Active")
    request = SimpleNamespace(api_client=client, api_dossier=world.active, api_request_id="req-42")
    event = record_api_action(request, AuditAction.API_CLIENT_REVOKED, target="F-1", reason="test")
    event.refresh_from_db()
    assert event.actor is None and event.dossier == world.active and event.firm == world.firm
    assert event.detail == {"api_client": "ERP Active", "api_client_id": client.client_id, "request_id": "req-42",
                            "reason": "test"}


def test_the_firms_audit_page_shows_the_client_as_who(client, world):
    api_client, _secret = make_api_client(world.active, name="ERP Active")
    request = SimpleNamespace(api_client=api_client, api_dossier=world.active, api_request_id="")
    record_api_action(request, AuditAction.API_CLIENT_REVOKED, target="x")
    sign_in(client, world, "accountant")
    assert "API : ERP Active" in client.get(reverse("firms:audit", args=[world.firm.pk])).content.decode()
