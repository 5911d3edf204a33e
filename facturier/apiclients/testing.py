"""Test helpers for the API's tests (this app's and the services'): a client and its token.

    client, secret = make_api_client(world.active, can_issue_sales=True)
    headers = bearer_headers(live_server.url, client.client_id, secret)
    httpx.get(f"{live_server.url}/directory-service/v1/...", headers=headers)

Never used by the platform itself.
"""

import httpx
from django.urls import reverse

from facturier.apiclients.models import ApiClient


def make_api_client(*dossiers, name="ERP de test", **rights):
    """A client allowed on ``dossiers`` with ``rights`` (``models.RIGHTS`` names); returns ``(client, secret)``."""
    return ApiClient.issue(name=name, dossiers=dossiers, **rights)


def token_url(base_url):
    return base_url.rstrip("/") + reverse("apiclients:token")


def fetch_token(base_url, client_id, secret):
    """An access token from the live server's token endpoint (form body authentication)."""
    response = httpx.post(token_url(base_url), data={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret,
    }, timeout=20)
    response.raise_for_status()
    return response.json()["access_token"]


def bearer_headers(base_url, client_id, secret, organization=None):
    """Headers authenticating requests as the client (and naming the organization when given)."""
    headers = {"Authorization": f"Bearer {fetch_token(base_url, client_id, secret)}"}
    if organization:
        headers["Organization-Id"] = organization
    return headers
