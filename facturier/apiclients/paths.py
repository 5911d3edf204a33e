"""Where the standard platform API is mounted: ``/<settings.API_PREFIX>/<service>/...``."""

from django.conf import settings


def api_route(route):
    """``route`` (e.g. ``"directory-service/"``) under the configured API prefix, for ``urls.py``."""
    return f"{settings.API_PREFIX}/{route}" if settings.API_PREFIX else route
