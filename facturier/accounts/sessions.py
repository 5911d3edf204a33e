"""Opening a signed-in session, whichever steps led to it (password, then a code when enabled)."""

from django.contrib.auth import login as auth_login
from django.shortcuts import redirect

from facturier.accounts.redirects import with_language
from facturier.audit.models import AuditAction, record

# Session key: "required" while a firm's rule waits for the person to enrol in two-factor sign-in,
# "ok" once it needs nothing (worked out once per session by accounts.middleware).
ENROLMENT = "two_factor_enrolment"


def signed_in(request, user, next_url, *, method):
    auth_login(request, user)
    request.session.pop(ENROLMENT, None)
    record(user, AuditAction.SIGNED_IN, target=user.email, method=method)
    return with_language(redirect(next_url), user)
