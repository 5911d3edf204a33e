"""Where a person lands after signing in, and in which language."""

from django.conf import settings
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

# The backend a sign-in that checked no password (single sign-on, a used invitation) names to Django.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def safe_next(request, default="web:home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(default)


def with_language(response, user):
    """A client user's pages speak the language they chose."""
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax",
                        max_age=settings.LANGUAGE_COOKIE_AGE, secure=settings.SESSION_COOKIE_SECURE)
    return response
