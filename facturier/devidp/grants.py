"""Authorization codes and access tokens of the development provider.

Both live in Django's cache: a code is single-use (deleting it is the claim on
it, so two concurrent redemptions cannot both succeed) and short-lived.
"""

import base64
import hashlib
import secrets
import time

from django.core.cache import cache
from django.utils.crypto import constant_time_compare

CODE_LIFETIME_SECONDS = 60
ACCESS_TOKEN_LIFETIME_SECONDS = 600


def _key(kind, token):
    return f"devidp:{kind}:{hashlib.sha256(token.encode()).hexdigest()}"


def issue_code(*, subject, client_id, redirect_uri, nonce, code_challenge):
    code = secrets.token_urlsafe(32)
    grant = {
        "subject": subject,
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "nonce": nonce,
        "code_challenge": code_challenge,
        "expires": time.time() + CODE_LIFETIME_SECONDS,
    }
    cache.set(_key("code", code), grant, timeout=CODE_LIFETIME_SECONDS + 5)
    return code


def redeem_code(code):
    """The grant of ``code`` if it is still valid; the code is spent either way."""
    key = _key("code", code or "")
    grant = cache.get(key)
    if grant is None or not cache.delete(key):
        return None
    if grant["expires"] < time.time():
        return None
    return grant


def pkce_matches(verifier, challenge):
    """RFC 7636 S256: BASE64URL(SHA256(verifier)) without padding."""
    digest = hashlib.sha256((verifier or "").encode("ascii", "replace")).digest()
    computed = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return constant_time_compare(computed, challenge)


def issue_access_token(subject):
    token = secrets.token_urlsafe(32)
    cache.set(_key("access", token), subject, timeout=ACCESS_TOKEN_LIFETIME_SECONDS)
    return token


def access_token_subject(token):
    return cache.get(_key("access", token or ""))
