"""A provider that misbehaves (a local server answering in OpenID Connect's format): clear pages, no sign-in."""

from urllib.parse import parse_qs, urlsplit

import pytest

from facturier.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(http_stub, settings):
    settings.OIDC_ISSUER = http_stub.url
    document = {
        "issuer": http_stub.url,
        "authorization_endpoint": f"{http_stub.url}/authorize",
        "token_endpoint": f"{http_stub.url}/token",
        "jwks_uri": f"{http_stub.url}/jwks",
        "token_endpoint_auth_methods_supported": ["client_secret_post"],
    }
    http_stub.route("GET", "/.well-known/openid-configuration", lambda query, body: (200, document))
    http_stub.document = document
    return http_stub


def test_discovery_naming_another_issuer_is_refused(client, provider):
    provider.document["issuer"] = "https://impostor.example"
    response = client.get("/cabinets/comptexpert/")
    assert response.status_code == 503
    assert "ComptExpert ne répond pas" in response.content.decode()


def test_token_endpoint_failure_gives_a_clear_page(client, provider, settings):
    provider.route("POST", "/token", lambda query, body: (500, b"<html>Internal error</html>"))
    location = client.get("/cabinets/comptexpert/")["Location"]
    assert location.startswith(f"{provider.url}/authorize?")
    state = parse_qs(urlsplit(location).query)["state"][0]
    response = client.get("/cabinets/comptexpert/retour/", {"code": "c-1", "state": state})
    assert response.status_code == 502
    assert not User.objects.exists()
    [token_call] = [r for r in provider.requests if r["path"] == "/token"]
    form = parse_qs(token_call["body"].decode())
    # client_secret_post, as the provider advertised; PKCE verifier and redirect URI sent.
    assert form["client_id"] == [settings.OIDC_CLIENT_ID] and form["client_secret"] == [settings.OIDC_CLIENT_SECRET]
    assert form["code"] == ["c-1"] and form["code_verifier"] and form["redirect_uri"]
    assert "Authorization" not in token_call["headers"]


def test_token_endpoint_refusal_is_rejected(client, provider):
    provider.route("POST", "/token", lambda query, body: (400, {"error": "invalid_grant"}))
    state = parse_qs(urlsplit(client.get("/cabinets/comptexpert/")["Location"]).query)["state"][0]
    response = client.get("/cabinets/comptexpert/retour/", {"code": "c-1", "state": state})
    assert response.status_code == 400
    assert "n'a pas pu être vérifiée" in response.content.decode()
