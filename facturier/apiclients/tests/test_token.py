"""The token endpoint over real HTTP: both client authentication methods of RFC 6749 §2.3.1,
the §5.2 errors, and tokens that stop working (expired, revoked client)."""

import base64
import time
from urllib.parse import quote_plus

import httpx
import pytest

from facturier.apiclients.testing import make_api_client, token_url
from facturier.audit.models import AuditAction, AuditEvent
from facturier.testing.world import build_world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("facturier.apiclients.tests.urls")]


@pytest.fixture
def world():
    return build_world()


def basic(client_id, secret):
    raw = f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def whoami(live_server, token):
    return httpx.get(f"{live_server.url}/test-api/whoami", headers={"Authorization": f"Bearer {token}"})


def test_secret_in_the_form_body_gives_a_working_bearer_token(live_server, world, settings):
    client, secret = make_api_client(world.active, name="ERP Active")
    answer = httpx.post(token_url(live_server.url), data={
        "grant_type": "client_credentials", "client_id": client.client_id, "client_secret": secret})
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"].startswith("max-age=0") or "no-store" in answer.headers["Cache-Control"]
    body = answer.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == settings.API_TOKEN_LIFETIME_SECONDS
    assert whoami(live_server, body["access_token"]).json() == {"client": client.client_id, "dossier": "356000000"}
    event = AuditEvent.objects.get(action=AuditAction.API_TOKEN_ISSUED)
    assert event.detail["api_client"] == "ERP Active" and event.firm == world.firm


def test_secret_with_http_basic_gives_a_token(live_server, world):
    client, secret = make_api_client(world.active)
    answer = httpx.post(token_url(live_server.url), data={"grant_type": "client_credentials"},
                        headers=basic(client.client_id, secret))
    assert answer.status_code == 200
    assert whoami(live_server, answer.json()["access_token"]).status_code == 200


@pytest.mark.parametrize("how", ["body", "basic"])
def test_a_bad_secret_is_invalid_client(live_server, world, how):
    client, _secret = make_api_client(world.active)
    data = {"grant_type": "client_credentials"}
    headers = {}
    if how == "body":
        data |= {"client_id": client.client_id, "client_secret": "not-the-secret"}
    else:
        headers = basic(client.client_id, "not-the-secret")
    answer = httpx.post(token_url(live_server.url), data=data, headers=headers)
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"
    assert answer.headers["WWW-Authenticate"].startswith("Basic")
    assert AuditEvent.objects.filter(action=AuditAction.API_TOKEN_REFUSED, firm=world.firm).count() == 1


@pytest.mark.parametrize(("data", "headers", "status", "error"), [
    ({}, {}, 400, "invalid_request"),
    ({"grant_type": "password"}, {}, 400, "unsupported_grant_type"),
    ({"grant_type": "client_credentials"}, {}, 401, "invalid_client"),
    ({"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"}, {}, 401, "invalid_client"),
    ({"grant_type": "client_credentials", "client_id": "a", "client_secret": "b"}, basic("a", "b"), 400,
     "invalid_request"),
    ({"grant_type": "client_credentials"}, {"Authorization": "Basic %%%"}, 401, "invalid_client"),
    ({"grant_type": "client_credentials", "client_id": "a\x00b", "client_secret": "b"}, {}, 401, "invalid_client"),
])
def test_malformed_requests_get_the_rfc_6749_errors(live_server, world, data, headers, status, error):
    answer = httpx.post(token_url(live_server.url), data=data, headers=headers)
    assert answer.status_code == status
    assert answer.json()["error"] == error


def test_the_token_endpoint_takes_only_post(live_server, world):
    assert httpx.get(token_url(live_server.url)).status_code == 405


def test_a_revoked_client_gets_no_token_and_its_tokens_stop_working(live_server, world):
    client, secret = make_api_client(world.active)
    token = httpx.post(token_url(live_server.url), data={"grant_type": "client_credentials"},
                       headers=basic(client.client_id, secret)).json()["access_token"]
    assert client.revoke()
    assert not client.revoke()  # the second revocation finds nothing to do
    refused = whoami(live_server, token)
    assert refused.status_code == 401
    assert refused.json()["errorCode"] == "INVALID_TOKEN"
    answer = httpx.post(token_url(live_server.url), data={"grant_type": "client_credentials"},
                        headers=basic(client.client_id, secret))
    assert answer.status_code == 401


def test_a_token_expires(live_server, world, settings):
    client, secret = make_api_client(world.active)
    lasting = httpx.post(token_url(live_server.url), data={"grant_type": "client_credentials"},
                         headers=basic(client.client_id, secret)).json()["access_token"]
    settings.API_TOKEN_LIFETIME_SECONDS = 1
    answer = httpx.post(token_url(live_server.url), data={"grant_type": "client_credentials"},
                        headers=basic(client.client_id, secret)).json()
    assert answer["expires_in"] == 1
    time.sleep(2.1)
    expired = whoami(live_server, answer["access_token"])
    assert expired.status_code == 401
    assert expired.json() == {"errorCode": "INVALID_TOKEN", "errorMessage": "The access token is invalid or expired"}
    assert whoami(live_server, lasting).status_code == 200  # the same client with a token still valid


def test_a_token_signed_with_another_key_is_refused(live_server, world, settings):
    client, secret = make_api_client(world.active)
    settings.API_TOKEN_SECRET = "another deployment"
    token = httpx.post(token_url(live_server.url), data={"grant_type": "client_credentials"},
                       headers=basic(client.client_id, secret)).json()["access_token"]
    settings.API_TOKEN_SECRET = ""
    assert whoami(live_server, token).status_code == 401
