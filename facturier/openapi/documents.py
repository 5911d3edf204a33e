"""The OpenAPI documents of the standard platform API as this platform serves it.

``data/`` holds the official AFNOR XP Z12-013 documents (Flow Service and
Directory Service 1.3.0) byte for byte: the platform serves the same paths,
schemas and status codes, so its documents are the official ones with only what
the standard leaves to each platform filled in:

- ``servers``: where this platform serves each service;
- the OAuth2 ``tokenUrl``: this platform's token endpoint;
- ``x-facturier``: what the standard leaves open and how this platform settles it
  (client authentication at the token endpoint, the webhook signature, the
  choices made where the documents contradict themselves), and ``info.description``
  pointing at it.

Nothing else changes: ``tests/test_documents.py`` compares both with the official files.
"""

import copy
import functools
import json
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from facturier.apiclients.paths import api_route

DATA = Path(__file__).resolve().parent / "data"
OFFICIAL = {"flow": "flow-service-1.3.0.json", "directory": "directory-service-1.3.0.json"}
SERVICES = {"flow": "flow-service", "directory": "directory-service"}  # the documents' default service names

FLOW_CHOICES = {
    "webhookList": "GET /v1/webhooks answers count, webhookIds (the ids, which the schema requires) and "
                   "webhooks (the full objects, which it describes): both spellings of the documents at once.",
    "webhookCallbackUrl": "The subscription's URL is the callbackUrl property of WebhookParams; the callback "
                          "expression {$request.body#/callback.url} names no property of that schema.",
    "reasonCode": "ReasonCode is oneOf [ReasonCodeEnum, string]: an enumerated value matches both branches, so "
                  "the documents as published refuse it. Acknowledgement details give each value's name in upper "
                  "snake case (INVALID_SCHEMA for InvalidSchema), which only the string branch matches, and "
                  "BUSINESS_RULE_ERROR with the rule (BR-FR-12, ...) in item.",
    "originalMediaType": "The upload encoding names application/pdf and application/xml, but getFlow lists "
                         "application/octet-stream as its only binary media type: Original, Converted and "
                         "ReadableView answer application/octet-stream, the file name (Content-Disposition) "
                         "telling its type.",
}

WEBHOOK_SIGNATURE = {
    "headers": ["Afnor-Signature", "Afnor-Signature-Timestamp"],
    "algorithm": "base64(HMAC-SHA-256(base64decode(signingKey), body + '@' + timestamp))",
    "signingKey": "32 random bytes, base64, returned once by createWebhook",
    "replayWindowSeconds": 300,
    "deliveryIdHeader": "Facturier-Delivery-Id: the same for every attempt at one event, to drop repeats",
    "retries": "exponential backoff from 30 s (capped at 6 h, 15 attempts) while the receiver is unreachable "
               "or answers 408, 425, 429 or 5xx",
}


@functools.cache
def official(service):
    """The official document of ``service`` ("flow" or "directory"), as published."""
    return json.loads((DATA / OFFICIAL[service]).read_text(encoding="utf-8"))


def served(service):
    """The document of ``service`` as this platform serves it."""
    document = copy.deepcopy(official(service))
    base_url = settings.BASE_URL.rstrip("/")
    token_url = base_url + reverse("apiclients:token")
    document["servers"] = [{"url": base_url + service_prefix(service), "description": "Facturier"}]
    for scheme in document["components"]["securitySchemes"].values():
        for flow in scheme.get("flows", {}).values():
            flow["tokenUrl"] = token_url
    extensions = {
        "tokenEndpoint": {
            "url": token_url,
            "grantType": "client_credentials",
            "clientAuthentication": ["client_secret_basic", "client_secret_post"],
        },
        "organizationId": "Organization-Id selects the dossier (its SIREN) when a client may act for several.",
    }
    if service == "flow":
        extensions.update(webhookSignature=WEBHOOK_SIGNATURE, choices=FLOW_CHOICES)
    document["x-facturier"] = extensions
    document["info"]["description"] += (
        "\n\n---\nServed by Facturier. What the standard leaves to each platform is stated in `x-facturier` "
        "at the root of this document; the rest is the official document unchanged.\n")
    return document


def service_prefix(service):
    """The path the service's ``/v1/...`` operations live under, e.g. ``/flow-service``."""
    return "/" + api_route(SERVICES[service])
