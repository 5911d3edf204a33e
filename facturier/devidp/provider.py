"""What the development provider says about itself and about the people it knows."""

import time

from django.conf import settings
from joserfc import jwt

from facturier.devidp import people
from facturier.devidp.keys import signing_key

ID_TOKEN_LIFETIME_SECONDS = 300
SCOPES = ["openid", "email", "profile"]


def issuer():
    return settings.BASE_URL.rstrip("/") + "/dev-idp"


def metadata():
    """The OpenID Provider Metadata (OpenID Connect Discovery 1.0, section 3)."""
    base = issuer()
    return {
        "issuer": base,
        "authorization_endpoint": f"{base}/authorize",
        "token_endpoint": f"{base}/token",
        "userinfo_endpoint": f"{base}/userinfo",
        "jwks_uri": f"{base}/jwks.json",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": SCOPES,
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["sub", "email", "name", "chartered_accountant", "firms", "nonce", "auth_time"],
    }


def person_claims(subject):
    """The claims of a person of the demo roster (None when unknown)."""
    person = people.find(subject)
    if person is None:
        return None
    return {
        "sub": person["sub"],
        "email": person["email"],
        "name": person["name"],
        "chartered_accountant": person["chartered_accountant"],
        "firms": [dict(firm) for firm in person["firms"]],
    }


def id_token(subject, *, audience, nonce=None, auth_time=None):
    now = int(time.time())
    claims = {
        "iss": issuer(),
        "aud": audience,
        "iat": now,
        "exp": now + ID_TOKEN_LIFETIME_SECONDS,
        "auth_time": auth_time or now,
        **person_claims(subject),
    }
    if nonce:
        claims["nonce"] = nonce
    key = signing_key()
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key, algorithms=["RS256"])
