"""Counters in the shared cache, for the limits that must hold across servers.

Each counter lives for a fixed window opened by its first event; ``cache.incr`` is
atomic on Redis and in the local-memory cache, so parallel requests never lose a count.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def hit(key, seconds):
    """Count one more event under ``key``; the number counted in the current window."""
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=seconds)
        return 1


def email_key(prefix, email):
    """A cache key for an e-mail address that does not keep the address itself."""
    return f"{prefix}:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()


def client_ip(request):
    """The address of the person's browser.

    Behind the TLS proxy (FACTURIER_BEHIND_TLS_PROXY) that is the last address of
    X-Forwarded-For, the one our proxy appended: the ones before it come from the
    client and can be anything.
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")
