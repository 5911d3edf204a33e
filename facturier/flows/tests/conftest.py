import pytest

from facturier.apiclients.testing import bearer_headers, make_api_client
from facturier.flows.models import Flow, FlowSequence
from facturier.flows.tests.flow_client import FlowClient

ALL_RIGHTS = {"can_issue_sales": True, "can_handle_purchases": True, "can_set_statuses": True}


@pytest.fixture
def api(live_server, seller_world, settings):
    """Flow Service clients over HTTP for the world's dossiers: ``api(dossier, **rights)``."""
    settings.BASE_URL = live_server.url
    settings.API_RATE_LIMIT = 1_000_000
    clients = []

    def connect(dossier, name="ERP", **rights):
        client, secret = make_api_client(dossier, name=name, **(rights or ALL_RIGHTS))
        flow_client = FlowClient(f"{live_server.url}/flow-service", bearer_headers(live_server.url, client.client_id,
                                                                                    secret))
        clients.append(flow_client)
        return flow_client

    yield connect
    for client in clients:
        client.close()
    # Flows hold the archived files and invoices the shared teardown empties.
    Flow.objects.all().delete()
    FlowSequence.objects.all().delete()
