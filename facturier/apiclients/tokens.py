"""Access tokens: short-lived JWTs (HS256) naming the API client they were issued to.

A token carries no rights: the guard loads the client at each request, so revoking a client
or changing its rights takes effect at once, whatever tokens it still holds.
"""

import hashlib
import time
import uuid

from django.conf import settings
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

ALGORITHM = "HS256"
AUDIENCE = "facturier-api"


class InvalidToken(Exception):
    """The token is malformed, forged, expired or not one of ours."""


def _key():
    secret = settings.API_TOKEN_SECRET or f"facturier-api-token:{settings.SECRET_KEY}"
    return OctKey.import_key(hashlib.sha256(secret.encode()).digest())


def issue_token(client):
    """A new access token for ``client`` and its lifetime in seconds."""
    lifetime = settings.API_TOKEN_LIFETIME_SECONDS
    now = int(time.time())
    claims = {"sub": client.client_id, "aud": AUDIENCE, "iat": now, "exp": now + lifetime, "jti": uuid.uuid4().hex}
    return jwt.encode({"alg": ALGORITHM, "typ": "JWT"}, claims, _key(), algorithms=[ALGORITHM]), lifetime


def client_id_of(token):
    """The client id a valid, unexpired token was issued to; ``InvalidToken`` otherwise."""
    try:
        decoded = jwt.decode(token, _key(), algorithms=[ALGORITHM])
        jwt.JWTClaimsRegistry(exp={"essential": True}, aud={"essential": True, "value": AUDIENCE},
                              sub={"essential": True}).validate(decoded.claims)
    except (JoseError, ValueError, TypeError) as error:
        raise InvalidToken(str(error)) from None
    subject = decoded.claims["sub"]
    if not isinstance(subject, str):
        raise InvalidToken("sub is not a string")
    return subject
