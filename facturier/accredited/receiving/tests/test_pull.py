"""Which dossiers the sweep pulls, and what it notes when their platform does not answer."""

from django.core.management import call_command

from facturier.accredited.models import Connection
from facturier.accredited.receiving.models import Inbox
from facturier.accredited.receiving.pull import pull_all
from facturier.accredited.receiving.tests.conftest import UNREACHABLE


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
