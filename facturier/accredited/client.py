"""A client of an accredited platform's XP Z12-013 API (Flow and Directory services, 1.3.0).

    with PlatformClient(connection, organization_id="123456789") as platform:
        flow = platform.create_flow(data=xml, filename="F1.xml", flow_info={"flowSyntax": "CII",
                                                                           "trackingId": "facturier-42"})
        lines = platform.directory_lines(siren="987654321")

Every call authenticates with an OAuth2 client credentials token, cached per process
and per connection and fetched again a little before it expires (or at once when the
platform answers 401). Calls do not retry by themselves: a platform that cannot answer
now (network error, 429, 5xx) raises ``PlatformUnavailable`` with the ``Retry-After``
it gave, and the caller decides when to try again; a request the platform refuses
(other 4xx) raises ``PlatformRefused`` with the ``Error`` bodies it sent.
"""

import datetime
import email.utils
import hashlib
import json
import logging
import threading
import time
import uuid

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from facturier.accredited.keys import UnreadableSecret

logger = logging.getLogger(__name__)

DEFAULT_TOKEN_LIFETIME = 300  # seconds, when the token answer says nothing (``expires_in`` is optional)
REFRESH_MARGIN = 60  # seconds before expiry a token is no longer used (or a fifth of its life if shorter)
ORGANIZATION_HEADER = "Organization-Id"
REQUEST_ID_HEADER = "Request-Id"


class PlatformError(Exception):
    """Something went wrong talking to the platform; ``str()`` is a French sentence for people."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class PlatformUnavailable(PlatformError):
    """The platform cannot answer now (network, 429, 5xx): try again later, after ``retry_after`` seconds if given."""

    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after


class PlatformRefused(PlatformError):
    """The platform refused the request (4xx): ``errors`` are the ``Error`` bodies it answered."""

    def __init__(self, message, status, errors=()):
        super().__init__(message)
        self.status = status
        self.errors = list(errors)

    @property
    def error_codes(self):
        return [error.get("errorCode") or error.get("error", "") for error in self.errors]


_tokens = {}  # cache key → (access token, monotonic time after which it is no longer used)
_tokens_lock = threading.Lock()


def forget_tokens():
    """Drop every cached token (tests; a secret changed)."""
    with _tokens_lock:
        _tokens.clear()


_http = None  # one pool of connections per process, shared by every client (httpx.Client is thread-safe)
_http_lock = threading.Lock()


def shared_http():
    """The process's HTTP client: its connections kept alive between calls, its TLS context built once."""
    global _http
    with _http_lock:
        if _http is None:
            _http = httpx.Client(limits=httpx.Limits(max_connections=64, max_keepalive_connections=32))
        return _http


class PlatformClient:
    def __init__(self, connection, *, organization_id="", timeout=None):
        self.connection = connection
        self.organization_id = organization_id
        self.timeout = timeout or settings.PLATFORM_TIMEOUT
        self.http = shared_http()

    def close(self):
        """Nothing to release: the connections stay in the process's pool for the next client."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # Flow Service

    def create_flow(self, *, data, filename, flow_info):
        """POST /v1/flows: the file and its ``flowInfo`` (``name`` and ``sha256`` filled in when missing)."""
        info = {"name": filename, "sha256": hashlib.sha256(data).hexdigest(), **flow_info}
        files = {"file": (filename, data, _media_type(filename)),
                 "flowInfo": (None, json.dumps(info), "application/json")}
        return self._call("POST", self._flow("/v1/flows"), files=files).json()

    def search_flows(self, where, *, limit=100, cursor=None):
        """POST /v1/flows/search: one page (``results``, ``nextCursor`` when there are more)."""
        body = {"where": where, "limit": limit}
        if cursor:
            body["cursor"] = cursor
        return self._call("POST", self._flow("/v1/flows/search"), json=body).json()

    def get_flow(self, flow_id, doc_type="Metadata"):
        """GET /v1/flows/{flowId}: the metadata as a dict, any other ``docType`` as bytes."""
        response = self._call("GET", self._flow(f"/v1/flows/{flow_id}"), params={"docType": doc_type})
        return response.json() if doc_type == "Metadata" else response.content

    def create_webhook(self, callback_url, *, flow_types=(), flow_direction="", ack_status=""):
        """POST /v1/webhooks: the answer holds ``webhookId`` and ``signingKey`` (shown this once)."""
        body = {"callbackUrl": callback_url}
        if flow_types:
            body["flowTypes"] = list(flow_types)
        if flow_direction:
            body["flowDirection"] = flow_direction
        if ack_status:
            body["ackStatus"] = ack_status
        return self._call("POST", self._flow("/v1/webhooks"), json=body).json()

    def list_webhooks(self):
        return self._call("GET", self._flow("/v1/webhooks")).json()

    def delete_webhook(self, webhook_id):
        self._call("DELETE", self._flow(f"/v1/webhooks/{webhook_id}"))

    # Directory Service

    def directory_lines(self, *, siren="", siret="", routing_identifier="", limit=50):
        """POST /v1/directory-line/search with strict filters: the lines found (none: an empty list)."""
        filters = {}
        if siren:
            filters["siren"] = {"op": "strict", "value": siren}
        if siret:
            filters["siret"] = {"op": "strict", "value": siret}
        if routing_identifier:
            filters["routingIdentifier"] = {"op": "strict", "value": routing_identifier}
        try:
            answer = self._call("POST", self._directory("/v1/directory-line/search"),
                                json={"filters": filters, "limit": limit}).json()
        except PlatformRefused as refused:
            if refused.status == 404:
                return []
            raise
        return answer.get("results") or []

    def directory_line(self, addressing_identifier, *, include=()):
        """GET /v1/directory-line/code:{addressing-identifier}: the line, or None when there is none."""
        params = {"include": ",".join(include)} if include else None
        try:
            return self._call("GET", self._directory(f"/v1/directory-line/code:{addressing_identifier}"),
                              params=params).json()
        except PlatformRefused as refused:
            if refused.status == 404:
                return None
            raise

    # Health

    def healthcheck(self):
        """What is wrong with the connection, in French sentences; an empty list when all is fine."""
        problems = []
        for label, url in ((_("Le service Flow"), self._flow("/v1/healthcheck")),
                           (_("Le service Annuaire"), self._directory("/v1/healthcheck"))):
            try:
                response = self.http.get(url, headers=self._headers(token=None), timeout=self.timeout)
            except httpx.HTTPError as error:
                problems.append(_("%(service)s ne répond pas à %(url)s : %(error)s")
                                % {"service": label, "url": url, "error": _network_reason(error)})
                continue
            if response.status_code != 200:
                problems.append(_("%(service)s répond %(status)s à %(url)s au lieu de 200.")
                                % {"service": label, "status": response.status_code, "url": url})
        try:
            self._fetch_token()
        except PlatformError as error:
            problems.append(error.message)
        return problems

    # Plumbing

    def _flow(self, path):
        return self.connection.flow_url.rstrip("/") + path

    def _directory(self, path):
        return self.connection.directory_url.rstrip("/") + path

    def _headers(self, token):
        headers = {REQUEST_ID_HEADER: str(uuid.uuid4())}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if self.organization_id:
            headers[ORGANIZATION_HEADER] = self.organization_id
        return headers

    def _call(self, method, url, **request):
        """One request with a valid token; a 401 fetches a new token and tries once more."""
        response = self._send(method, url, self._token(), **request)
        if response.status_code == 401:
            self._forget_token()
            response = self._send(method, url, self._token(), **request)
        return _checked(response)

    def _send(self, method, url, token, **request):
        try:
            return self.http.request(method, url, headers=self._headers(token), timeout=self.timeout, **request)
        except httpx.HTTPError as error:
            raise PlatformUnavailable(_("La plateforme ne répond pas (%(url)s) : %(error)s")
                                      % {"url": url, "error": _network_reason(error)}) from error

    def _token_key(self):
        connection = self.connection
        return connection.pk, connection.token_url, connection.client_id, connection.encrypted_secret

    def _token(self):
        key, now = self._token_key(), time.monotonic()
        with _tokens_lock:
            cached = _tokens.get(key)
        if cached is not None and cached[1] > now:
            return cached[0]
        token, lifetime = self._fetch_token()
        with _tokens_lock:
            _tokens[key] = (token, now + lifetime - min(REFRESH_MARGIN, lifetime / 5))
        return token

    def _forget_token(self):
        with _tokens_lock:
            _tokens.pop(self._token_key(), None)

    def _fetch_token(self):
        """``(access token, lifetime in seconds)`` from the token URL (client credentials, RFC 6749 §4.4)."""
        url = self.connection.token_url
        try:
            secret = self.connection.secret
        except UnreadableSecret:
            raise PlatformRefused(_("Le secret de la connexion ne peut plus être déchiffré (la clé "
                                    "FACTURIER_CONNECTION_KEY a changé) : saisissez-le à nouveau."), 0) from None
        try:
            response = self.http.post(url, timeout=self.timeout, data={
                "grant_type": "client_credentials", "client_id": self.connection.client_id, "client_secret": secret})
        except httpx.HTTPError as error:
            raise PlatformUnavailable(_("L'URL du jeton ne répond pas (%(url)s) : %(error)s")
                                      % {"url": url, "error": _network_reason(error)}) from error
        if response.status_code == 429 or response.status_code >= 500:
            raise PlatformUnavailable(_("L'URL du jeton répond %(status)s : réessayez plus tard.")
                                      % {"status": response.status_code}, retry_after=_retry_after(response))
        body = _json_or_none(response)
        if response.status_code != 200:
            error = body.get("error", "") if isinstance(body, dict) else ""
            if error == "invalid_client" or response.status_code == 401:
                message = _("La plateforme refuse l'identifiant client ou le secret (%(error)s).")
            else:
                message = _("La plateforme refuse la demande de jeton (%(error)s).")
            raise PlatformRefused(message % {"error": error or response.status_code}, response.status_code,
                                  [body] if isinstance(body, dict) else [])
        if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
            raise PlatformRefused(_("La réponse de l'URL du jeton ne contient pas de jeton d'accès : "
                                    "vérifiez l'URL."), response.status_code)
        lifetime = body.get("expires_in")
        if isinstance(lifetime, bool) or not isinstance(lifetime, (int, float)) or lifetime <= 0:
            lifetime = DEFAULT_TOKEN_LIFETIME
        return body["access_token"], lifetime


def _checked(response):
    """The response when it is a success; the matching ``PlatformError`` otherwise."""
    status = response.status_code
    if status < 400:
        return response
    errors = _error_bodies(response)
    reasons = "; ".join(filter(None, (_error_text(error) for error in errors)))
    if status == 429 or status >= 500:
        message = (_("La plateforme est surchargée (429) : nouvel essai plus tard.") if status == 429
                   else _("La plateforme est indisponible (%(status)s) : nouvel essai plus tard.") % {"status": status})
        raise PlatformUnavailable(message, retry_after=_retry_after(response))
    message = _("La plateforme a refusé la demande (%(status)s)") % {"status": status}
    raise PlatformRefused(f"{message} : {reasons}" if reasons else f"{message}.", status, errors)


def _error_bodies(response):
    body = _json_or_none(response)
    if isinstance(body, dict):
        return [body]
    if isinstance(body, list):
        return [item for item in body if isinstance(item, dict)]
    return []


def _error_text(error):
    parts = [str(error.get(key)) for key in ("errorCode", "errorMessage", "details") if error.get(key)]
    return " – ".join(parts)


def _json_or_none(response):
    try:
        return response.json()
    except ValueError:
        return None


def _retry_after(response):
    """Seconds ``Retry-After`` asks to wait (delta-seconds or an HTTP date), or None."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return int(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return max(0, int((moment - datetime.datetime.now(datetime.UTC)).total_seconds()))


def _network_reason(error):
    if isinstance(error, httpx.TimeoutException):
        return _("délai dépassé")
    if isinstance(error, httpx.ConnectError):
        return _("connexion impossible")
    return type(error).__name__


def _media_type(filename):
    return "application/pdf" if filename.lower().endswith(".pdf") else "application/xml"
