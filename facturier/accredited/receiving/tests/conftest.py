import pytest

from facturier.accredited.models import Connection
from facturier.accredited.receiving.models import Inbox

UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing answers, at once


@pytest.fixture
def inbox(seller_world, offline_registry):
    """The active dossier's inbox on a connection to a platform that does not answer."""
    connection = Connection(firm=seller_world.firm, name="PA", flow_url=f"{UNREACHABLE}/flow-service",
                            directory_url=f"{UNREACHABLE}/directory-service", token_url=f"{UNREACHABLE}/token",
                            client_id="cabinet")
    connection.secret = "secret"
    connection.save()
    return Inbox.objects.create(connection=connection, dossier=seller_world.active)
