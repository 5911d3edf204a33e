"""Which dossiers the sweep pulls, and what it notes when their platform does not answer."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from facturier.accredited.client import PlatformUnavailable
from facturier.accredited.models import Connection
from facturier.accredited.receiving.models import Inbox, ReceivedFlow
from facturier.accredited.receiving.pull import CLAIM, claim, client_for, pull_all, take_pending
from facturier.accredited.receiving.tests.conftest import UNREACHABLE
from facturier.accredited.tests.stub_platform import StubPlatform
from facturier.invoices.models import Invoice
from facturier.invoices.receiving.tests.receiving_samples import purchase_cii
from facturier.testing.servers import StubHTTPServer


def test_active_dossiers_using_the_firms_default_are_pulled_and_the_outage_noted(seller_world):
    connection = Connection(firm=seller_world.firm, name="PA", flow_url=f"{UNREACHABLE}/flow-service",
                            directory_url=f"{UNREACHABLE}/directory-service", token_url=f"{UNREACHABLE}/token",
                            client_id="cabinet", is_default=True)
    connection.secret = "secret"
    connection.save()
    assert pull_all() == 0
    inboxes = {inbox.dossier: inbox for inbox in Inbox.objects.select_related("dossier")}
    assert seller_world.active in inboxes and seller_world.new not in inboxes, "only active dossiers"
    assert seller_world.foreign not in inboxes, "another firm's dossiers never use this firm's connection"
    inbox = inboxes[seller_world.active]
    assert "ne répond pas" in inbox.last_error and inbox.next_pull_at is not None
    assert inbox.dossier.platform_connection.connection == connection  # the dossier was given its row

    skipped = Inbox.objects.get(pk=inbox.pk).last_pulled_at
    pull_all()  # before the next pull time: the platform is left alone
    assert Inbox.objects.get(pk=inbox.pk).last_pulled_at == skipped


def test_the_command_says_what_went_wrong_per_dossier(inbox, capsys):
    from facturier.accredited.models import DossierConnection

    DossierConnection.objects.create(dossier=inbox.dossier, connection=inbox.connection)
    call_command("accredited", "pull", "--dossier", str(inbox.dossier.pk))
    assert "0 listed, 0 taken in. L'URL du jeton ne répond pas" in capsys.readouterr().out


def test_a_flow_another_pull_holds_is_left_to_it_until_its_claim_runs_out(inbox):
    """Two workers pulling at once share the pending flows: neither fetches a file the other is taking in."""
    with StubHTTPServer() as stub:
        platform = StubPlatform(stub)
        inbox.connection = platform.connect(inbox.dossier.firm)
        inbox.save(update_fields=["connection"])
        rows = []
        for number in ("F-1", "F-2", "F-3"):
            flow_id = f"flow-{number}"
            data = purchase_cii(inbox.dossier.siren, number=number)
            stub.route("GET", f"/flow-service/v1/flows/{flow_id}", lambda query, body, data=data: (200, data))
            rows.append(ReceivedFlow.objects.create(connection=inbox.connection, inbox=inbox, flow_id=flow_id,
                                                    flow_type="SupplierInvoice", syntax="CII", name=f"{number}.xml"))
        assert claim(rows[1]), "another worker's pull holds F-2"
        assert not claim(rows[1]), "a flow is held by one pull at a time"

        with client_for(inbox) as client:
            assert take_pending(inbox, client) == 2
        fetched = [request["path"].rsplit("/", 1)[1] for request in platform.requests("GET", "/flow-service/v1/flows/")]
        assert fetched == ["flow-F-1", "flow-F-3"]
        assert ReceivedFlow.objects.get(pk=rows[1].pk).state == ReceivedFlow.State.PENDING

        # That worker died: once its claim runs out, the flow falls due again and the next pull takes it.
        ReceivedFlow.objects.filter(pk=rows[1].pk).update(next_attempt_at=timezone.now() - CLAIM)
        with client_for(inbox) as client:
            assert take_pending(inbox, client) == 1
    numbers = Invoice.objects.filter(dossier=inbox.dossier).order_by("number").values_list("number", flat=True)
    assert list(numbers) == ["F-1", "F-2", "F-3"]


def test_a_platform_gone_mid_pull_leaves_the_flow_due_for_the_next_pull(inbox):
    with StubHTTPServer() as stub:
        platform = StubPlatform(stub)
        inbox.connection = platform.connect(inbox.dossier.firm)
        inbox.save(update_fields=["connection"])
        stub.route("GET", "/flow-service/v1/flows/flow-1", lambda query, body: (503, {"errorCode": "UNAVAILABLE"}))
        row = ReceivedFlow.objects.create(connection=inbox.connection, inbox=inbox, flow_id="flow-1",
                                          flow_type="SupplierInvoice", syntax="CII", name="F-1.xml")
        with client_for(inbox) as client, pytest.raises(PlatformUnavailable):
            take_pending(inbox, client)
    row.refresh_from_db()
    assert row.state == ReceivedFlow.State.PENDING and row.next_attempt_at <= timezone.now(), "not held for CLAIM"
