"""Signing in and out: client users with a password, firm staff through ComptExpert."""

import logging
import time

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from facturier.accounts import oidc
from facturier.accounts.forms import LoginForm
from facturier.accounts.staff import ClaimsError, read_claims, sync_staff
from facturier.audit.models import AuditAction, record

logger = logging.getLogger(__name__)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
SSO_FLOWS = "sso_flows"
SSO_FLOW_SECONDS = 600
SSO_FLOWS_KEPT = 5  # sign-ins started in several tabs at once


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


@sensitive_post_parameters("password")
@never_cache
def login(request):
    next_url = safe_next(request)
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        auth_login(request, form.user)
        record(form.user, AuditAction.SIGNED_IN, target=form.user.email, method="password")
        return with_language(redirect(next_url), form.user)
    requested_next = request.POST.get("next") or request.GET.get("next", "")
    return render(request, "accounts/login.html", {"form": form, "next": requested_next})


@require_POST
def logout(request):
    if request.user.is_authenticated:
        record(request.user, AuditAction.SIGNED_OUT, target=request.user.email)
    auth_logout(request)
    return redirect("accounts:login")


@never_cache
def sso_start(request):
    """Send the browser to ComptExpert, remembering what to check its answer against."""
    try:
        authorization = oidc.authorization_request()
    except oidc.SSOError as error:
        logger.warning("single sign-on unavailable: %s", error)
        return _sso_failure(request, "unavailable", status=503)
    flows = dict(list(request.session.get(SSO_FLOWS, {}).items())[-(SSO_FLOWS_KEPT - 1):])
    flows[authorization.state] = {
        "nonce": authorization.nonce,
        "verifier": authorization.code_verifier,
        "next": safe_next(request),
        "started": time.time(),
    }
    request.session[SSO_FLOWS] = flows
    return redirect(authorization.url)


@never_cache
def sso_callback(request):
    flows = request.session.get(SSO_FLOWS, {})
    flow = flows.pop(request.GET.get("state", ""), None)
    request.session[SSO_FLOWS] = flows
    if flow is None or flow["started"] + SSO_FLOW_SECONDS < time.time():
        return _sso_failure(request, "unknown_state", status=400)
    if request.GET.get("error") or not request.GET.get("code"):
        return _sso_failure(request, "cancelled", status=400)
    try:
        claims = oidc.sign_in_claims(request.GET["code"], code_verifier=flow["verifier"], nonce=flow["nonce"])
        staff = read_claims(claims)
        user = sync_staff(staff)
    except oidc.ProviderUnavailable as error:
        logger.warning("single sign-on unavailable: %s", error)
        return _sso_failure(request, "unavailable", status=502)
    except (oidc.InvalidResponse, ClaimsError) as error:
        logger.warning("single sign-on answer rejected: %s", error)
        record(None, AuditAction.SSO_REJECTED, reason=str(error)[:500])
        return _sso_failure(request, "invalid", status=400)
    if not staff.has_delegation:
        auth_logout(request)
        record(user, AuditAction.SIGN_IN_REFUSED, target=user.email, reason="no_delegation")
        return render(request, "accounts/sso_refused.html", {"person": user}, status=403)
    auth_login(request, user, backend=MODEL_BACKEND)
    record(user, AuditAction.SIGNED_IN, target=user.email, method="sso",
           firms=[firm.siren for firm in staff.firms if firm.delegation])
    return redirect(flow["next"])


def _sso_failure(request, reason, *, status):
    return render(request, "accounts/sso_error.html", {"reason": reason}, status=status)
