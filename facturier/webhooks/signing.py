"""The signature of a webhook callback, as XP Z12-013 describes it (``createWebhook``).

    Afnor-Signature-Timestamp: the epoch time of the send, in seconds
    Afnor-Signature:           base64(HMAC-SHA-256(key, body + "@" + timestamp))

``key`` is the subscription's signing key, base64-decoded (the 32 random bytes
the API returned once in ``signingKey``); ``body`` is the request body exactly as
received. A receiver recomputes the HMAC, compares in constant time, and refuses a
timestamp outside its replay window: an intercepted callback cannot be sent again
later, nor altered, without the key.
"""

import base64
import hashlib
import hmac
import time

SIGNATURE_HEADER = "Afnor-Signature"
TIMESTAMP_HEADER = "Afnor-Signature-Timestamp"
REPLAY_WINDOW = 300  # seconds either side of the receiver's clock


def signature(signing_key, body, timestamp):
    """The ``Afnor-Signature`` of ``body`` (bytes) sent at ``timestamp`` (epoch seconds)."""
    message = body + b"@" + str(int(timestamp)).encode()
    digest = hmac.new(base64.b64decode(signing_key), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_headers(signing_key, body, timestamp=None):
    timestamp = int(time.time() if timestamp is None else timestamp)
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: signature(signing_key, body, timestamp)}


def verify(signing_key, body, headers, *, now=None, window=REPLAY_WINDOW):
    """Whether a received callback is authentic and recent: what a receiver runs (the guide shows it)."""
    try:
        timestamp = int(headers[TIMESTAMP_HEADER])
        given = headers[SIGNATURE_HEADER]
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > window:
        return False
    return hmac.compare_digest(given, signature(signing_key, body, timestamp))
