"""createWebhook, listWebhooks and deleteWebhook over real HTTP, as a client written from the document calls them."""

import base64
import json
import uuid

import httpx
import pytest

from facturier.apiclients.testing import bearer_headers, make_api_client
from facturier.audit.models import AuditAction, AuditEvent
from facturier.flows.recording import create_flow
from facturier.testing.world import build_world
from facturier.webhooks.models import Subscription
from facturier.webhooks.signing import verify
from facturier.webhooks.views import MAX_SUBSCRIPTIONS

pytestmark = pytest.mark.django_db(transaction=True)
WEBHOOKS = "/flow-service/v1/webhooks"


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def api(live_server, world):
    """An HTTP client authenticated as an API client of the active dossier."""
    client, secret = make_api_client(world.active, can_handle_purchases=True)
    with httpx.Client(base_url=live_server.url, timeout=20,
                      headers=bearer_headers(live_server.url, client.client_id, secret)) as http:
        http.api_client = client
        yield http


def test_create_list_delete(api, world):
    created = api.post(WEBHOOKS, json={"callbackUrl": "http://127.0.0.1:9/erp", "flowDirection": "In",
                                       "flowTypes": ["SupplierInvoice"], "ackStatus": "Ok"})
    assert created.status_code == 201
    webhook = created.json()
    assert len(base64.b64decode(webhook["signingKey"])) == 32
    assert uuid.UUID(webhook["webhookId"]) and webhook["createdAt"].endswith("Z")

    listed = api.get(WEBHOOKS).json()
    assert listed == {"count": 1, "webhookIds": [webhook["webhookId"]], "webhooks": [{
        "webhookId": webhook["webhookId"], "createdAt": webhook["createdAt"], "callbackUrl": "http://127.0.0.1:9/erp",
        "flowTypes": ["SupplierInvoice"], "flowDirection": "In", "ackStatus": "Ok"}]}  # the key is never shown again

    assert api.delete(f"{WEBHOOKS}/{webhook['webhookId']}").status_code == 204
    assert api.delete(f"{WEBHOOKS}/{webhook['webhookId']}").status_code == 404
    assert api.get(WEBHOOKS).json() == {"count": 0, "webhookIds": [], "webhooks": []}
    actions = list(AuditEvent.objects.filter(dossier=world.active, action__startswith="webhook_")
                   .order_by("sequence").values_list("action", "target", "detail__api_client"))
    assert actions == [(AuditAction.WEBHOOK_CREATED, webhook["webhookId"], "ERP de test"),
                       (AuditAction.WEBHOOK_DELETED, webhook["webhookId"], "ERP de test")]


def test_a_webhook_is_its_clients_alone(api, live_server, world):
    webhook_id = api.post(WEBHOOKS, json={"callbackUrl": "http://127.0.0.1:9/erp"}).json()["webhookId"]
    other, secret = make_api_client(world.active, name="Autre logiciel")
    headers = bearer_headers(live_server.url, other.client_id, secret)
    assert httpx.get(live_server.url + WEBHOOKS, headers=headers).json()["count"] == 0
    assert httpx.delete(f"{live_server.url}{WEBHOOKS}/{webhook_id}", headers=headers).status_code == 404
    assert Subscription.objects.filter(uid=webhook_id).exists()


@pytest.mark.parametrize("body, code", [
    (b"not json", "INVALID_JSON"),
    (b"[]", "INVALID_JSON"),
    (b"{}", "MISSING_REQUIRED_FIELD"),
    (b'{"callbackUrl": "not a url"}', "INVALID_CALLBACK_URL"),
    (b'{"callbackUrl": null}', "INVALID_CALLBACK_URL"),
    (b'{"callbackUrl": "http://127.0.0.1:9/", "flowTypes": ["Invoice"]}', "INVALID_FIELD"),
    (b'{"callbackUrl": "http://127.0.0.1:9/", "flowTypes": "SupplierInvoice"}', "INVALID_FIELD"),
    (b'{"callbackUrl": "http://127.0.0.1:9/", "flowDirection": "Sideways"}', "INVALID_FIELD"),
    (b'{"callbackUrl": "http://127.0.0.1:9/", "ackStatus": null}', "INVALID_FIELD"),
])
def test_bad_requests_say_what_is_wrong(api, body, code):
    answer = api.post(WEBHOOKS, content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["errorCode"] == code
    assert not Subscription.objects.exists()


def test_production_refuses_private_callbacks(api, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_CALLBACKS = False
    for url in ("http://93.184.215.14/erp", "https://127.0.0.1/erp", "https://169.254.169.254/"):
        answer = api.post(WEBHOOKS, json={"callbackUrl": url})
        assert (answer.status_code, answer.json()["errorCode"]) == (400, "INVALID_CALLBACK_URL")


def test_subscriptions_are_limited(api):
    for _ in range(MAX_SUBSCRIPTIONS):
        assert api.post(WEBHOOKS, json={"callbackUrl": "http://127.0.0.1:9/"}).status_code == 201
    refused = api.post(WEBHOOKS, json={"callbackUrl": "http://127.0.0.1:9/"})
    assert (refused.status_code, refused.json()["errorCode"]) == (400, "WEBHOOK_LIMIT_REACHED")


def test_a_malformed_id_is_400_and_no_token_is_401(api, live_server):
    assert api.delete(f"{WEBHOOKS}/not-a-uuid").status_code == 400
    assert httpx.get(live_server.url + WEBHOOKS).status_code == 401
    assert api.put(WEBHOOKS, json={}).status_code == 405


def test_a_subscribed_client_is_called_back(api, world, http_stub):
    http_stub.route("POST", "/erp", lambda query, body: (200, {}))
    webhook = api.post(WEBHOOKS, json={"callbackUrl": http_stub.url + "/erp", "flowDirection": "In"}).json()
    flow = create_flow(world.active, direction="In", syntax="CII", name="F-9.xml", flow_type="SupplierInvoice")
    [request] = http_stub.requests
    assert json.loads(request["body"])["flowId"] == str(flow.uid)
    assert verify(webhook["signingKey"], request["body"], request["headers"])
