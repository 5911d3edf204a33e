"""The connection model (secret at rest, the dossier's connection) and the client against the platform's own API."""

import pytest
from cryptography.fernet import Fernet

from facturier.accredited.client import PlatformClient, PlatformRefused, PlatformUnavailable, forget_tokens
from facturier.accredited.keys import UnreadableSecret
from facturier.accredited.models import Connection, OrganizationIdScheme, connection_for
from facturier.apiclients.testing import make_api_client, token_url
from facturier.audit.models import AuditEvent
from facturier.flows.tests.samples import sales_invoice

SECRET = "s3cr3t-du-client-4242"


def declare(firm, *, base="https://pa.example", name="PA Exemple", secret=SECRET, **fields):
    connection = Connection(firm=firm, name=name, flow_url=f"{base}/flow-service",
                            directory_url=f"{base}/directory-service", token_url=f"{base}/auth-service/token",
                            client_id="client-1", **fields)
    connection.secret = secret
    connection.save()
    return connection


@pytest.fixture(autouse=True)
def _fresh_tokens():
    forget_tokens()
    yield
    forget_tokens()


def test_the_secret_is_stored_encrypted_and_never_shown(world):
    connection = declare(world.firm)
    stored = Connection.objects.values_list("encrypted_secret", flat=True).get(pk=connection.pk)
    assert SECRET not in stored and SECRET.encode() not in stored.encode()
    assert Connection.objects.get(pk=connection.pk).secret == SECRET
    assert SECRET not in repr(connection) and SECRET not in str(connection)


def test_a_new_key_first_still_reads_secrets_of_the_old_one(world, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CONNECTION_KEYS = [old]
    connection = declare(world.firm)
    settings.CONNECTION_KEYS = [new, old]
    assert Connection.objects.get(pk=connection.pk).secret == SECRET
    settings.CONNECTION_KEYS = [new]
    with pytest.raises(UnreadableSecret):
        Connection.objects.get(pk=connection.pk).secret  # noqa: B018


def test_a_dossier_uses_the_firm_default_until_it_chooses_another(world):
    assert connection_for(world.active) is None
    default = declare(world.firm, is_default=True, organization_id_scheme=OrganizationIdScheme.SIREN)
    other = declare(world.firm, name="Autre PA")
    row = connection_for(world.active)
    assert row.connection == default and row.organization_id == world.active.siren
    assert connection_for(world.active).pk == row.pk, "the row is made once"
    row.connection = other
    row.save()
    assert connection_for(world.active).connection == other
    assert connection_for(world.foreign) is None, "another firm's default is not this firm's"


def test_one_default_connection_per_firm(world):
    from django.db import IntegrityError

    declare(world.firm, is_default=True)
    declare(world.foreign_firm, is_default=True)
    with pytest.raises(IntegrityError):
        declare(world.firm, name="Second", is_default=True)


@pytest.fixture
def counterpart(live_server, seller_world, settings):
    """The platform's own API on a live server, and a connection to it as the active dossier's API client."""
    settings.API_RATE_LIMIT = 1_000_000
    client, secret = make_api_client(seller_world.active, can_issue_sales=True, can_handle_purchases=True,
                                     can_set_statuses=True)
    connection = Connection(firm=seller_world.firm, name="Contrepartie", flow_url=f"{live_server.url}/flow-service",
                            directory_url=f"{live_server.url}/directory-service",
                            token_url=token_url(live_server.url), client_id=client.client_id)
    connection.secret = secret
    connection.save()
    return connection


@pytest.mark.django_db(transaction=True)
def test_a_healthy_connection_has_no_problem_and_a_bad_secret_says_so(counterpart):
    with PlatformClient(counterpart) as platform:
        assert platform.healthcheck() == []
    counterpart.secret = "wrong"
    with PlatformClient(counterpart) as platform:
        [problem] = platform.healthcheck()
    assert "refuse l'identifiant client ou le secret" in problem and "invalid_client" in problem


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_platform_is_named_service_by_service(world):
    connection = declare(world.firm, base="http://127.0.0.1:9")
    with PlatformClient(connection, timeout=2) as platform:
        problems = platform.healthcheck()
    assert len(problems) == 3
    assert problems[0].startswith("Le service Flow ne répond pas") and "connexion impossible" in problems[0]
    assert problems[1].startswith("Le service Annuaire ne répond pas")
    assert problems[2].startswith("L'URL du jeton ne répond pas")


@pytest.mark.django_db(transaction=True)
def test_flows_are_created_found_and_read_with_one_cached_token(counterpart, seller_world):
    data = sales_invoice(seller_world.active, seller_world.foreign.siren, number="PA-1")
    with PlatformClient(counterpart) as platform:
        flow = platform.create_flow(data=data, filename="PA-1.xml",
                                    flow_info={"flowSyntax": "CII", "processingRule": "B2B", "trackingId": "t-1"})
        assert flow["acknowledgement"]["status"] == "Ok" and flow["trackingId"] == "t-1"
        again = platform.create_flow(data=data, filename="PA-1.xml",
                                     flow_info={"flowSyntax": "CII", "processingRule": "B2B", "trackingId": "t-1"})
        assert again["flowId"] == flow["flowId"], "the same trackingId is the same flow"
        page = platform.search_flows({"trackingId": "t-1"})
        assert [found["flowId"] for found in page["results"]] == [flow["flowId"]]
        assert platform.get_flow(flow["flowId"])["flowId"] == flow["flowId"]
        assert platform.get_flow(flow["flowId"], "Original") == data
        lines = platform.directory_lines(siren=seller_world.foreign.siren)
        assert [line["addressingIdentifier"] for line in lines] == [seller_world.foreign.siren]
        assert platform.directory_lines(siren="123456782") == []
        assert platform.directory_line(seller_world.foreign.siren)["platformType"] == "WK"
        assert platform.directory_line("123456782") is None
        with pytest.raises(PlatformRefused) as refused:
            platform.get_flow("00000000-0000-0000-0000-000000000000")
        assert refused.value.status == 404
    assert AuditEvent.objects.filter(action="api_token_issued").count() == 1


@pytest.mark.django_db(transaction=True)
def test_webhooks_are_created_and_deleted(counterpart):
    with PlatformClient(counterpart) as platform:
        webhook = platform.create_webhook("http://127.0.0.1:9/hook", flow_direction="In")
        assert webhook["signingKey"]
        platform.delete_webhook(webhook["webhookId"])
        with pytest.raises(PlatformRefused) as refused:
            platform.delete_webhook(webhook["webhookId"])
    assert refused.value.status == 404


def test_overload_and_outage_are_unavailable_with_retry_after(world, http_stub):
    connection = declare(world.firm, base=http_stub.url)
    connection.token_url = f"{http_stub.url}/token"
    http_stub.route("POST", "/token", lambda q, b: (200, {"access_token": "abc", "expires_in": 600}))
    http_stub.route("POST", "/flow-service/v1/flows/search",
                    lambda q, b: (429, {"errorCode": "TOO_MANY_REQUESTS", "errorMessage": "slow down"}))
    http_stub.route("GET", "/flow-service/v1/flows/x", lambda q, b: (503, {"errorCode": "UNAVAILABLE"}))
    with PlatformClient(connection) as platform:
        with pytest.raises(PlatformUnavailable) as overloaded:
            platform.search_flows({"trackingId": "t"})
        with pytest.raises(PlatformUnavailable) as down:
            platform.get_flow("x")
    assert "429" in str(overloaded.value) and down.value.retry_after is None
    assert http_stub.requests[1]["headers"]["Authorization"] == "Bearer abc"
