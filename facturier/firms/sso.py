"""Firm staff sign in through the profession's single sign-on (ComptExpert, OpenID Connect).

``accounts.oidc`` speaks the protocol; these views run the flow and let
``firms.staff`` turn the claims into firm memberships.
"""

import logging
import time

from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from facturier.accounts import oidc
from facturier.accounts.redirects import MODEL_BACKEND, safe_next
from facturier.audit.models import record
from facturier.firms.staff import ClaimsError, read_claims, sync_staff

logger = logging.getLogger(__name__)

SSO_FLOWS = "sso_flows"
SSO_FLOW_SECONDS = 600
SSO_FLOWS_KEPT = 5  # sign-ins started in several tabs at once


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
        record(None, "sso_rejected", reason=str(error)[:500])
        return _sso_failure(request, "invalid", status=400)
    if not staff.has_delegation:
        auth_logout(request)
        record(user, "sign_in_refused", target=user.email, reason="no_delegation")
        return render(request, "firms/sso_refused.html", {"person": user}, status=403)
    auth_login(request, user, backend=MODEL_BACKEND)
    record(user, "signed_in", target=user.email, method="sso",
           firms=[firm.siren for firm in staff.firms if firm.delegation])
    return redirect(flow["next"])


def _sso_failure(request, reason, *, status):
    return render(request, "firms/sso_error.html", {"reason": reason}, status=status)
