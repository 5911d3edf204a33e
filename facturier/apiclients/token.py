"""The token endpoint: OAuth 2.0 client credentials grant (RFC 6749 §4.4).

The client authenticates with its id and secret either in the form body (``client_id``,
``client_secret``) or with HTTP Basic (§2.3.1), never both at once. Errors are those of
§5.2, as JSON: ``invalid_request``, ``invalid_client`` (401), ``unsupported_grant_type``.
"""

import base64
import binascii
from urllib.parse import unquote_plus

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from facturier.apiclients.audit import client_detail
from facturier.apiclients.models import ApiClient
from facturier.apiclients.tokens import issue_token
from facturier.audit.models import AuditAction, record


class TokenError(Exception):
    def __init__(self, error, description, status=400):
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


@csrf_exempt
@require_POST
@never_cache
def token(request):
    try:
        client = authenticated_client(request)
    except TokenError as error:
        response = JsonResponse({"error": error.error, "error_description": error.description}, status=error.status)
        if error.status == 401:
            response["WWW-Authenticate"] = 'Basic realm="facturier"'
        return response
    access_token, lifetime = issue_token(client)
    record(None, AuditAction.API_TOKEN_ISSUED, firm=client_firm(client), target=client.name, **client_detail(client))
    response = JsonResponse({"access_token": access_token, "token_type": "Bearer", "expires_in": lifetime})
    response["Pragma"] = "no-cache"
    return response


def authenticated_client(request):
    """The client the request authenticates as, for a client credentials grant; ``TokenError`` otherwise."""
    grant_type = request.POST.get("grant_type", "")
    if not grant_type:
        raise TokenError("invalid_request", "grant_type is required")
    if grant_type != "client_credentials":
        raise TokenError("unsupported_grant_type", "Only the client_credentials grant is supported")
    basic = basic_credentials(request)
    in_body = "client_id" in request.POST or "client_secret" in request.POST
    if basic and in_body:
        raise TokenError("invalid_request", "Use one client authentication method, not both")
    client_id, secret = basic or (request.POST.get("client_id", ""), request.POST.get("client_secret", ""))
    if not client_id or not secret:
        raise TokenError("invalid_client", "Client authentication is required", status=401)
    if len(client_id) > 64 or "\x00" in client_id:
        raise TokenError("invalid_client", "Client authentication failed", status=401)
    client = ApiClient.authenticate(client_id, secret)
    if client is None:
        refuse_known_client(client_id)
        raise TokenError("invalid_client", "Client authentication failed", status=401)
    return client


def basic_credentials(request):
    """``(client_id, secret)`` from an HTTP Basic header (each form-urlencoded, §2.3.1), or None."""
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise TokenError("invalid_client", "Malformed Basic credentials", status=401) from None
    client_id, separator, secret = decoded.partition(":")
    if not separator:
        raise TokenError("invalid_client", "Malformed Basic credentials", status=401)
    return unquote_plus(client_id), unquote_plus(secret)


def refuse_known_client(client_id):
    """A bad secret for an existing client lands in its firm's audit trail, as a failed sign-in does."""
    client = ApiClient.objects.filter(client_id=client_id).first()
    if client is not None:
        record(None, AuditAction.API_TOKEN_REFUSED, firm=client_firm(client), target=client.name,
               revoked=client.is_revoked, **client_detail(client))


def client_firm(client):
    dossier = client.dossiers.select_related("firm").first()
    return dossier.firm if dossier else None
