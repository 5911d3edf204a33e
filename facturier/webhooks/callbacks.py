"""Which callback URLs the platform agrees to call.

A callback is a request the platform makes on a client's behalf: without limits
a client could aim it at the platform's own network (its database, a cloud
metadata service). So a callback URL must be https and name a host whose every
address is public. ``WEBHOOKS_ALLOW_PRIVATE_CALLBACKS`` lifts both rules, for
tests and for a receiver on the same private network; the demo sets it.

The URL is checked when the webhook is created and again before each send, since
what a name resolves to can change in between.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

MAX_LENGTH = 2000


class RefusedCallback(ValueError):
    """The callback URL is malformed or points where the platform does not send."""


def check_callback_url(url):
    """Return ``url`` if the platform may call it; raise ``RefusedCallback`` saying why otherwise."""
    if not isinstance(url, str) or not url or len(url) > MAX_LENGTH:
        raise RefusedCallback(f"callbackUrl must be an absolute URL of at most {MAX_LENGTH} characters")
    try:
        parts = urlsplit(url)
        host, _port = parts.hostname, parts.port
    except ValueError as error:
        raise RefusedCallback(f"callbackUrl is not a valid URL: {error}") from None
    allow_private = settings.WEBHOOKS_ALLOW_PRIVATE_CALLBACKS
    schemes = {"https", "http"} if allow_private else {"https"}
    if parts.scheme not in schemes:
        raise RefusedCallback("callbackUrl must be an https:// URL")
    if not host or any(char.isspace() for char in url):
        raise RefusedCallback("callbackUrl must name a host")
    if parts.username is not None or parts.password is not None:
        raise RefusedCallback("callbackUrl must not hold credentials: the signature authenticates the calls")
    if not allow_private:
        _require_public(host)
    return url


def _require_public(host):
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)}
    except (OSError, UnicodeError):
        raise RefusedCallback("The host of callbackUrl cannot be resolved") from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not ip.is_global or ip.is_multicast:
            raise RefusedCallback("callbackUrl resolves to a private or reserved address, where the platform "
                                  "does not send")
