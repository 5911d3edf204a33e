"""The development provider's signing key.

Generated once and kept under ``DATA_DIR`` so that ID tokens signed before a
restart still verify after it (the platform caches the JWKS).
"""

import json
import os
import threading
from pathlib import Path

from django.conf import settings
from joserfc.jwk import KeySet, RSAKey

_lock = threading.Lock()
_keys = {}


def key_path():
    return Path(settings.DATA_DIR) / "dev-idp" / "signing-key.json"


def signing_key():
    """The RSA key of the current ``DATA_DIR``, created on first use."""
    path = key_path()
    with _lock:
        if path not in _keys:
            _keys[path] = _load_or_create(path)
        return _keys[path]


def public_key_set():
    return KeySet([signing_key()]).as_dict(private=False)


def _load_or_create(path):
    if path.exists():
        return RSAKey.import_key(json.loads(path.read_text()))
    key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, auto_kid=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as file:
        json.dump(key.as_dict(private=True), file)
    os.replace(temporary, path)
    return key
