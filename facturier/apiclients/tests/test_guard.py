"""The guard in front of every API operation, over real HTTP: bearer tokens, the dossier a request
acts for (Organization-Id), rights, the rate limit, Request-Id, and errors in the spec's format."""

import uuid

import httpx
import pytest

from facturier.apiclients.models import ApiClient
from facturier.apiclients.testing import bearer_headers, make_api_client
from facturier.dossiers.models import DossierStatus
from facturier.testing.world import build_world

LONG_WINDOW = 10 * 365 * 24 * 3600
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("facturier.apiclients.tests.urls")]


@pytest.fixture
def world():
    return build_world()


def get(live_server, path, headers=None, **kwargs):
    return httpx.get(f"{live_server.url}{path}", headers=headers or {}, timeout=20, **kwargs)


def test_no_token_or_a_garbage_token_is_401_in_the_error_format(live_server, world):
    missing = get(live_server, "/test-api/whoami")
    assert missing.status_code == 401
    assert missing.json()["errorCode"] == "MISSING_TOKEN"
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    garbage = get(live_server, "/test-api/whoami", {"Authorization": "Bearer not.a.jwt"})
    assert garbage.status_code == 401
    assert garbage.json()["errorCode"] == "INVALID_TOKEN"


def test_a_client_of_one_dossier_acts_for_it_without_organization_id(live_server, world):
    client, secret = make_api_client(world.active)
    answer = get(live_server, "/test-api/whoami", bearer_headers(live_server.url, client.client_id, secret))
    assert answer.json() == {"client": client.client_id, "dossier": world.active.siren}
    client.refresh_from_db()
    assert client.last_used_at is not None


def test_another_dossier_is_refused_alike_whether_it_exists_or_not(live_server, world):
    client, secret = make_api_client(world.active)
    headers = bearer_headers(live_server.url, client.client_id, secret)
    foreign = get(live_server, "/test-api/whoami", headers | {"Organization-Id": world.foreign.siren})
    same_firm = get(live_server, "/test-api/whoami", headers | {"Organization-Id": world.own.siren})
    unknown = get(live_server, "/test-api/whoami", headers | {"Organization-Id": "999999999"})
    assert foreign.status_code == same_firm.status_code == unknown.status_code == 403
    assert foreign.json() == same_firm.json() == unknown.json()
    assert world.foreign.name not in foreign.text


def test_a_client_of_several_dossiers_names_one(live_server, world):
    client, secret = make_api_client(world.active, world.own, name="Intégration du cabinet")
    headers = bearer_headers(live_server.url, client.client_id, secret)
    unnamed = get(live_server, "/test-api/whoami", headers)
    assert unnamed.status_code == 400
    assert "Organization-Id" in unnamed.json()["errorMessage"]
    for dossier in (world.active, world.own):
        answer = get(live_server, "/test-api/whoami", headers | {"Organization-Id": dossier.siren})
        assert answer.json()["dossier"] == dossier.siren


def test_a_dossier_not_active_is_out_of_reach(live_server, world):
    client, secret = make_api_client(world.invited)
    headers = bearer_headers(live_server.url, client.client_id, secret)
    assert get(live_server, "/test-api/whoami", headers).status_code == 403
    assert get(live_server, "/test-api/whoami", headers | {"Organization-Id": world.invited.siren}).status_code == 403
    world.invited.status = DossierStatus.ACTIVE
    world.invited.save()
    assert get(live_server, "/test-api/whoami", headers).status_code == 200


def test_rights_are_checked(live_server, world):
    reader, reader_secret = make_api_client(world.active, can_handle_purchases=True)
    seller, seller_secret = make_api_client(world.active, can_issue_sales=True)
    refused = get(live_server, "/test-api/sales", bearer_headers(live_server.url, reader.client_id, reader_secret))
    assert refused.status_code == 403
    assert refused.json()["errorCode"] == "FORBIDDEN_ACCESS"
    allowed = get(live_server, "/test-api/sales", bearer_headers(live_server.url, seller.client_id, seller_secret))
    assert allowed.status_code == 200


def test_platform_operations_need_no_dossier_but_check_a_named_one(live_server, world):
    client, secret = make_api_client(world.active, world.own)
    headers = bearer_headers(live_server.url, client.client_id, secret)
    assert get(live_server, "/test-api/platform", headers).json()["dossier"] is None
    assert get(live_server, "/test-api/platform", headers | {"Organization-Id": world.foreign.siren}).status_code == 403


def test_request_id_is_echoed_or_made(live_server, world):
    client, secret = make_api_client(world.active)
    headers = bearer_headers(live_server.url, client.client_id, secret)
    request_id = str(uuid.uuid4())
    echoed = get(live_server, "/test-api/whoami", headers | {"Request-Id": request_id})
    assert echoed.headers["Request-Id"] == request_id
    assert uuid.UUID(get(live_server, "/test-api/whoami", headers).headers["Request-Id"])
    refused = get(live_server, "/test-api/whoami", {"Request-Id": request_id})
    assert refused.status_code == 401 and refused.headers["Request-Id"] == request_id


def test_errors_and_bugs_answer_in_the_error_format(live_server, world):
    client, secret = make_api_client(world.active)
    headers = bearer_headers(live_server.url, client.client_id, secret)
    bad = get(live_server, "/test-api/whoami", headers, params={"fail": "bad-input"})
    assert bad.status_code == 422
    assert bad.json() == {"errorCode": "UNPROCESSABLE_ENTITY", "errorMessage": "bad input"}
    bug = get(live_server, "/test-api/whoami", headers, params={"fail": "bug"})
    assert bug.status_code == 500
    assert bug.json() == {"errorCode": "INTERNAL_ERROR"}
    wrong_method = httpx.delete(f"{live_server.url}/test-api/whoami", headers=headers)
    assert wrong_method.status_code == 405
    assert wrong_method.headers["Allow"] == "GET"


def test_a_body_above_the_upload_limit_is_413(live_server, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client, secret = make_api_client(world.active, can_issue_sales=True)
    headers = bearer_headers(live_server.url, client.client_id, secret)
    answer = httpx.post(f"{live_server.url}/test-api/sales", params={"fail": "read-body"}, headers=headers,
                        data={"field": "x" * 5000})
    assert answer.status_code == 413
    assert answer.json()["errorCode"] == "FILE_SIZE_EXCEEDED"


def test_the_rate_limit_answers_429_with_retry_after(live_server, world, settings):
    settings.API_RATE_LIMIT = 3
    settings.API_RATE_WINDOW_SECONDS = LONG_WINDOW  # the test never straddles two windows
    client, secret = make_api_client(world.active)
    other, other_secret = make_api_client(world.active)
    headers = bearer_headers(live_server.url, client.client_id, secret)
    assert [get(live_server, "/test-api/whoami", headers).status_code for _ in range(4)] == [200, 200, 200, 429]
    limited = get(live_server, "/test-api/whoami", headers)
    assert limited.status_code == 429
    assert limited.json()["errorCode"] == "TOO_MANY_REQUESTS"
    assert 0 < int(limited.headers["Retry-After"]) <= LONG_WINDOW
    # The limit is the client's own: another client of the same dossier is not slowed down.
    other_headers = bearer_headers(live_server.url, other.client_id, other_secret)
    assert get(live_server, "/test-api/whoami", other_headers).status_code == 200
    # A new window starts the count again.
    ApiClient.objects.filter(pk=client.pk).update(rate_window=0)
    assert get(live_server, "/test-api/whoami", headers).status_code == 200
