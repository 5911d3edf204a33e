"""The served OpenAPI documents are the official XP Z12-013 ones, with only what each platform fills in."""

import copy
import importlib
import json

import pytest
from django.urls import clear_url_caches

import facturier.apiclients.urls
import facturier.openapi.urls
import facturier.urls
import facturier.webhooks.urls
from einvoice.tests.shared_files import shared_path
from facturier.openapi.documents import DATA, OFFICIAL


def published(name):
    return shared_path("specs", "xp-z12-013", name).read_bytes()


@pytest.mark.parametrize("name", OFFICIAL.values())
def test_the_shipped_documents_are_the_published_files(name):
    assert (DATA / name).read_bytes() == published(name)


def without_filled_in(document):
    """The document less what a platform fills in: servers, the token URL, ``x-facturier`` and its pointer."""
    document = copy.deepcopy(document)
    document.pop("servers")
    document.pop("x-facturier", None)
    document["info"]["description"] = document["info"]["description"].split("\n\n---\nServed by Facturier")[0]
    for scheme in document["components"]["securitySchemes"].values():
        for flow in scheme.get("flows", {}).values():
            flow.pop("tokenUrl")
    return document


@pytest.mark.parametrize("service", OFFICIAL)
def test_the_served_document_is_the_official_one_filled_in(client, settings, service):
    settings.BASE_URL = "https://factures.example.fr"
    answer = client.get(f"/{service}-service/openapi.json")
    assert answer.status_code == 200
    served = answer.json()
    official = json.loads(published(OFFICIAL[service]))
    assert without_filled_in(served) == without_filled_in(official)
    assert served["paths"].keys() == official["paths"].keys()
    assert served["servers"] == [{"url": f"https://factures.example.fr/{service}-service", "description": "Facturier"}]
    token_url = served["components"]["securitySchemes"]["OAuth2"]["flows"]["clientCredentials"]["tokenUrl"]
    assert token_url == "https://factures.example.fr/auth-service/token"
    assert served["x-facturier"]["tokenEndpoint"]["url"] == token_url


URL_MODULES = (facturier.apiclients.urls, facturier.openapi.urls, facturier.webhooks.urls, facturier.urls)


def reload_urls():
    for module in URL_MODULES:
        importlib.reload(module)
    clear_url_caches()


def test_the_documents_follow_the_api_prefix(client, settings):
    settings.API_PREFIX = "api"
    try:
        reload_urls()
        served = client.get("/api/flow-service/openapi.json").json()
        assert served["servers"][0]["url"].endswith("/api/flow-service")
        assert served["components"]["securitySchemes"]["OAuth2"]["flows"]["clientCredentials"]["tokenUrl"].endswith(
            "/api/auth-service/token")
    finally:
        settings.API_PREFIX = ""
        reload_urls()


def test_the_flow_document_states_the_webhook_signature_and_the_choices_made(client):
    served = client.get("/flow-service/openapi.json").json()
    assert served["x-facturier"]["webhookSignature"]["headers"] == ["Afnor-Signature", "Afnor-Signature-Timestamp"]
    assert set(served["x-facturier"]["choices"]) == {"webhookList", "webhookCallbackUrl", "reasonCode",
                                                     "originalMediaType"}


@pytest.mark.parametrize("method, url", [
    ("get", "/flow-service/v2/flows"),
    ("post", "/flow-service/v1/unknown"),
    ("get", "/directory-service/v1/directory-line/code:line%0Abreak"),  # no route's pattern takes a line break
    ("get", "/directory-service/v1/routing-code/siret:12345678900011/code:a%0Ab"),
])
def test_other_urls_under_a_service_answer_the_documents_404(client, method, url):
    answer = getattr(client, method)(url)
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/json"
    assert answer.json()["errorCode"] == "MISSING_RESOURCE"
