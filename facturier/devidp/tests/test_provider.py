"""The development OpenID provider, over real HTTP: discovery, keys, codes, tokens."""

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from facturier.devidp import grants, keys

pytestmark = pytest.mark.django_db(transaction=True)

VERIFIER = "a-verifier-of-more-than-forty-three-characters-0123456789"
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()


def authorize_params(settings, **overrides):
    params = {
        "response_type": "code", "client_id": settings.OIDC_CLIENT_ID,
        "redirect_uri": settings.BASE_URL + "/cabinets/comptexpert/retour/",
        "scope": "openid email profile", "state": "state-1", "nonce": "nonce-1",
        "code_challenge": CHALLENGE, "code_challenge_method": "S256",
    }
    params.update(overrides)
    return params


def get_code(client, settings, subject="ce-claire-martin", **overrides):
    params = authorize_params(settings, **overrides)
    response = client.post("/dev-idp/authorize", {**params, "subject": subject})
    assert response.status_code == 302, response.content
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["state"] == ["state-1"]
    return query["code"][0], params


def redeem(idp, settings, code, params, *, basic=True, secret=None, **form):
    secret = settings.OIDC_CLIENT_SECRET if secret is None else secret
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": params["redirect_uri"],
            "code_verifier": VERIFIER, **form}
    auth = None
    if basic:
        from urllib.parse import quote_plus
        auth = httpx.BasicAuth(quote_plus(settings.OIDC_CLIENT_ID), quote_plus(secret))
    else:
        data.update(client_id=settings.OIDC_CLIENT_ID, client_secret=secret)
    return httpx.post(f"{idp.url}/dev-idp/token", data=data, auth=auth, timeout=20)


def test_discovery_and_jwks(idp):
    document = httpx.get(f"{idp.url}/dev-idp/.well-known/openid-configuration").json()
    assert document["issuer"] == f"{idp.url}/dev-idp"
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert set(document["token_endpoint_auth_methods_supported"]) == {"client_secret_basic", "client_secret_post"}
    key_set = httpx.get(document["jwks_uri"]).json()
    [key] = key_set["keys"]
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["kid"]
    assert "d" not in key  # never the private part


def test_signing_key_survives_a_restart(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    first = keys.signing_key()
    assert (tmp_path / "dev-idp" / "signing-key.json").stat().st_mode & 0o077 == 0
    keys._keys.clear()  # a new process
    assert keys.signing_key().kid == first.kid


@pytest.mark.parametrize("basic", [True, False], ids=["client_secret_basic", "client_secret_post"])
def test_code_exchange_gives_signed_id_token_and_userinfo(idp, client, settings, basic):
    code, params = get_code(client, settings)
    response = redeem(idp, settings, code, params, basic=basic)
    assert response.status_code == 200, response.text
    assert response.headers["Cache-Control"].startswith("max-age=0")
    answer = response.json()
    key_set = KeySet.import_key_set(httpx.get(f"{idp.url}/dev-idp/jwks.json").json())
    token = jwt.decode(answer["id_token"], key_set, algorithms=["RS256"])
    assert token.header["alg"] == "RS256"
    claims = token.claims
    assert claims["iss"] == f"{idp.url}/dev-idp"
    assert claims["aud"] == settings.OIDC_CLIENT_ID
    assert claims["nonce"] == "nonce-1"
    assert claims["sub"] == "ce-claire-martin" and claims["chartered_accountant"] is True
    assert {"siren": "626018154", "name": "Cabinet Démo", "delegation": True} in claims["firms"]
    info = httpx.get(f"{idp.url}/dev-idp/userinfo", headers={"Authorization": f"Bearer {answer['access_token']}"})
    assert info.json()["email"] == "claire.martin@cabinet-demo.example"


def test_userinfo_needs_a_valid_access_token(idp):
    response = httpx.get(f"{idp.url}/dev-idp/userinfo", headers={"Authorization": "Bearer forged"})
    assert response.status_code == 401
    assert "invalid_token" in response.headers["WWW-Authenticate"]


def test_code_is_single_use(idp, client, settings):
    code, params = get_code(client, settings)
    assert redeem(idp, settings, code, params).status_code == 200
    again = redeem(idp, settings, code, params)
    assert again.status_code == 400 and again.json() == {"error": "invalid_grant"}


def test_code_expires(idp, client, settings, monkeypatch):
    monkeypatch.setattr(grants, "CODE_LIFETIME_SECONDS", -1)
    code, params = get_code(client, settings)
    assert redeem(idp, settings, code, params).json() == {"error": "invalid_grant"}


def test_wrong_client_secret_is_refused(idp, client, settings):
    code, params = get_code(client, settings)
    for basic in (True, False):
        response = redeem(idp, settings, code, params, basic=basic, secret="guess")
        assert response.status_code == 401 and response.json() == {"error": "invalid_client"}
    # A refused client did not spend the code.
    assert redeem(idp, settings, code, params).status_code == 200


def test_redirect_uri_must_match_the_authorization(idp, client, settings):
    code, params = get_code(client, settings)
    response = redeem(idp, settings, code, {**params, "redirect_uri": f"{idp.url}/elsewhere"})
    assert response.json() == {"error": "invalid_grant"}


def test_pkce_verifier_must_match(idp, client, settings):
    code, params = get_code(client, settings)
    response = redeem(idp, settings, code, params, code_verifier="x" * 50)
    assert response.json() == {"error": "invalid_grant"}


def test_unsupported_grant_type(idp, client, settings):
    code, params = get_code(client, settings)
    assert redeem(idp, settings, code, params, grant_type="password").json() == {"error": "unsupported_grant_type"}


def test_authorize_page_lists_the_demo_people(client, settings):
    response = client.get("/dev-idp/authorize", authorize_params(settings))
    assert response.status_code == 200
    page = response.content.decode()
    assert "ComptExpert (développement)" in page
    assert "Claire Martin" in page and "Nadia Roux" in page


@pytest.mark.parametrize("override", [{"client_id": "intruder"}, {"redirect_uri": "https://evil.example/cb"}])
def test_authorize_never_redirects_to_an_unknown_client(client, settings, override):
    response = client.get("/dev-idp/authorize", authorize_params(settings, **override))
    assert response.status_code == 400
    assert "Location" not in response


@pytest.mark.parametrize("override, error", [
    ({"scope": "email"}, "invalid_scope"),
    ({"response_type": "token"}, "unsupported_response_type"),
    ({"code_challenge_method": "plain"}, "invalid_request"),
])
def test_authorize_errors_go_back_to_the_client(client, settings, override, error):
    response = client.get("/dev-idp/authorize", authorize_params(settings, **override))
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query) == {"error": [error], "state": ["state-1"]}


def test_cancel_answers_access_denied(client, settings):
    response = client.post("/dev-idp/authorize", {**authorize_params(settings), "cancel": "1"})
    assert parse_qs(urlsplit(response["Location"]).query)["error"] == ["access_denied"]


def test_picking_the_person_is_csrf_protected(settings):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/dev-idp/authorize", {**authorize_params(settings), "subject": "ce-claire-martin"})
    assert response.status_code == 403


def test_unknown_person_gets_no_code(client, settings):
    response = client.post("/dev-idp/authorize", {**authorize_params(settings), "subject": "nobody"})
    assert response.status_code == 400


def test_only_server_to_server_views_are_csrf_exempt():
    """Browser forms are all CSRF-protected; only server-to-server calls are exempt: the provider's
    token call, the standard platform API, which reads no session cookie (bearer tokens only), and
    the callback an accredited platform calls, which proves itself by its signature."""
    from django.urls import get_resolver

    def views(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern.callback

    exempt = [route for route, view in views(get_resolver().url_patterns) if getattr(view, "csrf_exempt", False)]
    api = ("auth-service/", "flow-service/", "directory-service/")
    assert "dev-idp/token" in exempt and "auth-service/token" in exempt
    plain = [route.lstrip("^").replace("\\", "") for route in exempt]  # the API's catch-all 404 is a regex
    callback = "plateformes/rappel/<uuid:token>/"
    assert callback in plain
    assert [route for route in plain if route not in ("dev-idp/token", callback) and not route.startswith(api)] == []
