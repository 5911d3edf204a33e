"""The gate in front of every operation of the standard platform API.

``api_view`` wraps a function view: it authenticates the bearer token and loads the client
(401), counts the request against the client's rate limit (429), picks the dossier the
request acts for, checks the right (403), and answers every refusal and every ``ApiError``
in the ``Error`` format. The view then finds ``request.api_client``, ``request.api_dossier``
and ``request.api_request_id`` set (the ``Request-Id`` echoed in the answer and logged).

The dossier: a client allowed on one active dossier acts for it; a client allowed on
several names one in the ``Organization-Id`` header (its SIREN, or its VAT number when it
has none), or gets 400. A dossier the client is not allowed on is refused exactly like one
that does not exist (403), so a client learns nothing about other tenants.
"""

import functools
import logging
import re
import uuid

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.db.models import Q
from django.http import Http404, UnreadablePostError
from django.views.decorators.csrf import csrf_exempt

from facturier.apiclients.errors import ApiError, api_error
from facturier.apiclients.models import RIGHTS, ApiClient
from facturier.apiclients.tokens import InvalidToken, client_id_of

logger = logging.getLogger("facturier.api")

ORGANIZATION_HEADER = "Organization-Id"
REQUEST_ID_HEADER = "Request-Id"
# A Request-Id is echoed only when it is a plain token (a UUID by the documents), never arbitrary text.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
ORGANIZATION = re.compile(r"[A-Za-z0-9]{1,20}")  # a SIREN or a VAT number; anything else names no dossier


def api_view(right=None, *, methods=("GET",), needs_dossier=True):
    """Guard an API view: a valid token, ``right`` (one of ``models.RIGHTS``) when given, and
    a dossier to act for unless ``needs_dossier`` is False (the directory is the platform's, not
    a dossier's; it still checks an ``Organization-Id`` that is sent)."""
    if right is not None and right not in RIGHTS:
        raise ValueError(f"unknown right {right!r}")

    def decorator(view):
        @csrf_exempt
        @functools.wraps(view)
        def guarded(request, *args, **kwargs):
            request.api_request_id = request_id_of(request)
            request.api_client = request.api_dossier = None
            try:
                if request.method not in methods:
                    raise ApiError(405, message=f"Method {request.method} not allowed",
                                   headers={"Allow": ", ".join(methods)})
                request.api_client = authenticated_client(request)
                retry_after = request.api_client.take_request()
                if retry_after is not None:
                    raise ApiError(429, message="Rate limit reached", headers={"Retry-After": str(retry_after)})
                request.api_dossier = chosen_dossier(request, request.api_client, needs_dossier)
                if right is not None and not getattr(request.api_client, right):
                    raise ApiError(403, message="The API client lacks the right for this operation")
                response = view(request, *args, **kwargs)
            except ApiError as error:
                response = error.response()
            except Http404:
                response = api_error(404, message="Requested resource is not found")
            except PermissionDenied:
                response = api_error(403)
            except RequestDataTooBig:
                response = api_error(413, message="The request body is too large")
            except (SuspiciousOperation, UnreadablePostError):
                response = api_error(400, "INVALID_REQUEST", "The request could not be read")
            except Exception:
                logger.exception("api request %s failed", request.api_request_id)
                response = api_error(500)
            response[REQUEST_ID_HEADER] = request.api_request_id
            log_request(request, response)
            return response

        return guarded

    return decorator


def request_id_of(request):
    """The client's Request-Id when it sent a usable one, else a new one (logs and answer share it)."""
    sent = request.headers.get(REQUEST_ID_HEADER, "").strip()
    return sent if REQUEST_ID.fullmatch(sent) else str(uuid.uuid4())


def bearer_token(request):
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def authenticated_client(request):
    """The usable client the bearer token names; 401 otherwise."""
    token = bearer_token(request)
    if not token:
        raise ApiError(401, "MISSING_TOKEN", "A bearer access token is required",
                       headers={"WWW-Authenticate": 'Bearer realm="facturier"'})
    refused = ApiError(401, "INVALID_TOKEN", "The access token is invalid or expired",
                       headers={"WWW-Authenticate": 'Bearer realm="facturier", error="invalid_token"'})
    try:
        client_id = client_id_of(token)
    except InvalidToken:
        raise refused from None
    client = ApiClient.objects.usable().filter(client_id=client_id).first()
    if client is None:
        raise refused
    return client


def chosen_dossier(request, client, needed):
    """The dossier the request acts for (see the module docstring)."""
    organization = request.headers.get(ORGANIZATION_HEADER, "").strip()
    if not organization and not needed:
        return None
    dossiers = client.active_dossiers()
    if organization:
        named = Q(siren=organization) | Q(siren="", vat_number__iexact=organization)
        dossier = dossiers.filter(named).first() if ORGANIZATION.fullmatch(organization) else None
        if dossier is None:
            raise ApiError(403, message="The API client may not act for this organization")
        return dossier
    allowed = list(dossiers[:2])
    if len(allowed) == 1:
        return allowed[0]
    if allowed:
        raise ApiError(400, message=f"The {ORGANIZATION_HEADER} header must name the organization (SIREN) "
                                    "since this API client acts for several")
    raise ApiError(403, message="The API client may act for no active organization")


def log_request(request, response):
    client, dossier = request.api_client, request.api_dossier
    logger.info("api %s %s %s client=%s dossier=%s request_id=%s", request.method, request.path,
                response.status_code, client.client_id if client else "-", dossier.pk if dossier else "-",
                request.api_request_id)
