"""The OpenID Connect client that signs firm staff in (ComptExpert stands behind it).

Authorization code flow with state, nonce and PKCE (S256). The provider is found
by discovery from ``settings.OIDC_ISSUER``; the code is exchanged over httpx
and the ID token verified with joserfc against the provider's JWKS.

    SSOError
     ├── ProviderUnavailable   the provider cannot be reached or answers nonsense
     └── InvalidResponse       an answer we must not trust (state, signature, claims…)
"""

import base64
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import quote_plus, urlencode

import httpx
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from joserfc import jws, jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
CONNECT_RETRIES = 2  # httpx retries only failed connections: nothing was sent, a code is never spent twice
METADATA_CACHE_SECONDS = 3600
CLOCK_LEEWAY_SECONDS = 60
ALGORITHMS = ["RS256"]


class SSOError(Exception):
    pass


class ProviderUnavailable(SSOError):
    pass


class InvalidResponse(SSOError):
    pass


def issuer():
    if settings.OIDC_ISSUER:
        return settings.OIDC_ISSUER.rstrip("/")
    if settings.DEV_IDP_ENABLED:
        return settings.BASE_URL.rstrip("/") + "/dev-idp"
    raise ProviderUnavailable("no OpenID Connect issuer is configured (FACTURIER_OIDC_ISSUER)")


def redirect_uri():
    return settings.BASE_URL.rstrip("/") + reverse("firms:sso_callback")


def _request(method, url, **kwargs):
    try:
        with httpx.Client(timeout=TIMEOUT, transport=httpx.HTTPTransport(retries=CONNECT_RETRIES)) as client:
            return client.request(method, url, **kwargs)
    except httpx.HTTPError as error:
        raise ProviderUnavailable(f"{method} {url}: {error}") from error


def _json(response):
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise ProviderUnavailable(f"{response.request.url} answered {response.status_code} without a JSON object")
    return data


def metadata():
    """The provider's discovery document, cached (it changes rarely)."""
    expected = issuer()
    cache_key = f"oidc:metadata:{expected}"
    document = cache.get(cache_key)
    if document is None:
        response = _request("GET", f"{expected}/.well-known/openid-configuration")
        if response.status_code != 200:
            raise ProviderUnavailable(f"discovery answered {response.status_code}")
        document = _json(response)
        if document.get("issuer") != expected:
            raise InvalidResponse(f"discovery names issuer {document.get('issuer')!r}, expected {expected!r}")
        cache.set(cache_key, document, METADATA_CACHE_SECONDS)
    return document


def key_set(*, refresh=False):
    """The provider's public keys; ``refresh`` after a key rotation (unknown kid)."""
    uri = metadata()["jwks_uri"]
    cache_key = f"oidc:jwks:{uri}"
    keys = None if refresh else cache.get(cache_key)
    if keys is None:
        response = _request("GET", uri)
        if response.status_code != 200:
            raise ProviderUnavailable(f"JWKS answered {response.status_code}")
        keys = _json(response)
        cache.set(cache_key, keys, METADATA_CACHE_SECONDS)
    try:
        return KeySet.import_key_set(keys)
    except (JoseError, KeyError, TypeError, ValueError) as error:
        raise InvalidResponse(f"unreadable JWKS: {error}") from error


@dataclass(frozen=True)
class AuthorizationRequest:
    url: str
    state: str
    nonce: str
    code_verifier: str


def authorization_request():
    """Where to send the browser, and the secrets to check the answer against."""
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = urlencode({
        "response_type": "code",
        "client_id": settings.OIDC_CLIENT_ID,
        "redirect_uri": redirect_uri(),
        "scope": "openid email profile",
        "state": state,
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    })
    return AuthorizationRequest(f"{metadata()['authorization_endpoint']}?{query}", state, nonce, verifier)


def exchange_code(code, code_verifier):
    """The token response for an authorization code (server to server)."""
    document = metadata()
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri(),
            "code_verifier": code_verifier}
    auth = None
    if "client_secret_basic" in document.get("token_endpoint_auth_methods_supported", ["client_secret_basic"]):
        # RFC 6749, 2.3.1: each part form-encoded before Base64.
        auth = httpx.BasicAuth(quote_plus(settings.OIDC_CLIENT_ID), quote_plus(settings.OIDC_CLIENT_SECRET))
    else:
        form.update(client_id=settings.OIDC_CLIENT_ID, client_secret=settings.OIDC_CLIENT_SECRET)
    response = _request("POST", document["token_endpoint"], data=form, auth=auth,
                        headers={"Accept": "application/json"})
    answer = _json(response)
    if response.status_code != 200:
        raise InvalidResponse(f"token endpoint answered {response.status_code}: {answer.get('error')}")
    if not answer.get("id_token"):
        raise InvalidResponse("token response without id_token")
    return answer


def verify_id_token(id_token, *, nonce):
    """The ID token's claims, once its signature, issuer, audience, expiry and nonce are checked."""
    try:
        kid = jws.extract_compact(id_token.encode()).headers().get("kid")
    except (JoseError, ValueError, AttributeError) as error:
        raise InvalidResponse(f"unreadable ID token: {error}") from error
    keys = key_set()
    if kid and kid not in {key.kid for key in keys.keys}:
        keys = key_set(refresh=True)
    try:
        token = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
        jwt.JWTClaimsRegistry(
            leeway=CLOCK_LEEWAY_SECONDS,
            iss={"essential": True, "value": issuer()},
            aud={"essential": True, "value": settings.OIDC_CLIENT_ID},
            exp={"essential": True},
            sub={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(token.claims)
    except (InvalidKeyIdError, JoseError, ValueError) as error:
        raise InvalidResponse(f"ID token rejected: {error!r}") from error
    return token.claims


def userinfo(access_token, subject):
    """The UserInfo claims, when the provider has the endpoint (its sub must match the ID token's)."""
    endpoint = metadata().get("userinfo_endpoint")
    if not endpoint or not access_token:
        return {}
    response = _request("GET", endpoint, headers={"Authorization": f"Bearer {access_token}"})
    if response.status_code != 200:
        raise InvalidResponse(f"userinfo answered {response.status_code}")
    claims = _json(response)
    if claims.get("sub") != subject:
        raise InvalidResponse("userinfo describes another subject")
    return claims


def sign_in_claims(code, *, code_verifier, nonce):
    """Everything the provider says about the person who just authenticated."""
    tokens = exchange_code(code, code_verifier)
    claims = verify_id_token(tokens["id_token"], nonce=nonce)
    return {**userinfo(tokens.get("access_token"), claims["sub"]), **claims}
