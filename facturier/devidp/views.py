"""The endpoints of the development OpenID Connect provider.

Only mounted when ``settings.DEV_IDP_ENABLED`` (the demo and the tests). It
knows one client, the platform itself (``OIDC_CLIENT_ID`` / ``OIDC_CLIENT_SECRET``),
whose only redirect URI is the platform's SSO callback.
"""

import base64
import binascii
import time
from urllib.parse import unquote_plus, urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from facturier.devidp import grants, people, provider
from facturier.devidp.keys import public_key_set

AUTHORIZATION_PARAMETERS = (
    "response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge", "code_challenge_method",
)


@require_GET
def discovery(request):
    return JsonResponse(provider.metadata())


@require_GET
def jwks(request):
    return JsonResponse(public_key_set())


def registered_redirect_uri():
    return settings.BASE_URL.rstrip("/") + reverse("firms:sso_callback")


@never_cache
@require_http_methods(["GET", "POST"])
def authorize(request):
    """The sign-in page: pick one of the demo people (POST), or cancel."""
    source = request.POST if request.method == "POST" else request.GET
    params = {name: source.get(name, "") for name in AUTHORIZATION_PARAMETERS}
    if params["client_id"] != settings.OIDC_CLIENT_ID or params["redirect_uri"] != registered_redirect_uri():
        # Never redirect to a URI we cannot vouch for (RFC 6749, 4.1.2.1).
        return render(request, "devidp/error.html", {"params": params}, status=400)
    error = _authorization_error(params)
    if error:
        return _back_to_client(params, error=error)
    if request.method == "GET":
        return render(request, "devidp/authorize.html", {"params": params, "people": people.PEOPLE})
    if "cancel" in request.POST:
        return _back_to_client(params, error="access_denied")
    subject = request.POST.get("subject", "")
    if people.find(subject) is None:
        return render(request, "devidp/authorize.html", {"params": params, "people": people.PEOPLE}, status=400)
    code = grants.issue_code(
        subject=subject,
        client_id=params["client_id"],
        redirect_uri=params["redirect_uri"],
        nonce=params["nonce"],
        code_challenge=params["code_challenge"],
    )
    return _back_to_client(params, code=code)


def _authorization_error(params):
    if params["response_type"] != "code":
        return "unsupported_response_type"
    if "openid" not in params["scope"].split():
        return "invalid_scope"
    if params["code_challenge"] and params["code_challenge_method"] != "S256":
        return "invalid_request"
    return None


def _back_to_client(params, **answer):
    if params["state"]:
        answer["state"] = params["state"]
    return redirect(f"{params['redirect_uri']}?{urlencode(answer)}")


@csrf_exempt  # Called server to server by the client with its secret, never by a browser form.
@never_cache
@require_POST
def token(request):
    client_id, secret = _client_credentials(request)
    if not (
        constant_time_compare(client_id or "", settings.OIDC_CLIENT_ID)
        and constant_time_compare(secret or "", settings.OIDC_CLIENT_SECRET)
    ):
        response = _oauth_error("invalid_client", 401)
        response["WWW-Authenticate"] = 'Basic realm="dev-idp"'
        return response
    if request.POST.get("grant_type") != "authorization_code":
        return _oauth_error("unsupported_grant_type")
    grant = grants.redeem_code(request.POST.get("code"))
    if (
        grant is None
        or grant["client_id"] != client_id
        or grant["redirect_uri"] != request.POST.get("redirect_uri")
        or (grant["code_challenge"]
            and not grants.pkce_matches(request.POST.get("code_verifier"), grant["code_challenge"]))
    ):
        return _oauth_error("invalid_grant")
    return JsonResponse({
        "access_token": grants.issue_access_token(grant["subject"]),
        "token_type": "Bearer",
        "expires_in": grants.ACCESS_TOKEN_LIFETIME_SECONDS,
        "scope": " ".join(provider.SCOPES),
        "id_token": provider.id_token(grant["subject"], audience=client_id, nonce=grant["nonce"],
                                      auth_time=int(time.time())),
    })


def _client_credentials(request):
    """client_secret_basic (RFC 6749, 2.3.1: form-encoded then Base64) or client_secret_post."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        try:
            decoded = base64.b64decode(header[6:], validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None, None
        client_id, _, secret = decoded.partition(":")
        return unquote_plus(client_id), unquote_plus(secret)
    return request.POST.get("client_id"), request.POST.get("client_secret")


def _oauth_error(error, status=400):
    return JsonResponse({"error": error}, status=status)


@never_cache
@require_GET
def userinfo(request):
    header = request.headers.get("Authorization", "")
    subject = grants.access_token_subject(header[7:]) if header.startswith("Bearer ") else None
    if subject is None:
        response = JsonResponse({"error": "invalid_token"}, status=401)
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response
    return JsonResponse(provider.person_claims(subject))
