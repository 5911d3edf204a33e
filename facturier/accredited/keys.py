"""Encryption at rest of the client secrets of connections (Fernet: AES-128-CBC with an HMAC).

The keys come from ``FACTURIER_CONNECTION_KEY`` (``settings.CONNECTION_KEYS``): the first
encrypts, every one decrypts, so a new key is put first and the old one kept until every
secret has been saved again. Without it a development key is derived from ``SECRET_KEY``:
changing ``SECRET_KEY`` then makes the stored secrets unreadable (to be typed again).
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet():
    keys = settings.CONNECTION_KEYS or [_derived_key()]
    try:
        return MultiFernet([Fernet(key.strip()) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "FACTURIER_CONNECTION_KEY must hold Fernet keys (32 url-safe base64-encoded bytes), "
            "e.g. from `python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`"
        ) from error


def _derived_key():
    digest = hashlib.sha256(f"facturier-connection-key:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def encrypt(text):
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token):
    """The secret ``token`` holds; ``UnreadableSecret`` when no configured key opens it."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise UnreadableSecret from None


class UnreadableSecret(Exception):
    """The secret was encrypted with a key that is no longer configured: it must be typed again."""
