"""``facturier api-client create | list | revoke``, run as the operator runs it."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from facturier.apiclients.models import ApiClient
from facturier.audit.models import AuditAction, AuditEvent
from facturier.cli import main
from facturier.testing.world import make_dossier


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("api_client", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_prints_the_id_and_secret_once(world):
    out, _err = run("create", "--dossier", "356 000 000", "--name", "ERP", "--rights", "issue_sales,set_statuses")
    lines = dict(line.split(": ", 1) for line in out.splitlines() if line.startswith("client_"))
    client = ApiClient.objects.get(client_id=lines["client_id"])
    assert ApiClient.authenticate(lines["client_id"], lines["client_secret"]) == client
    assert client.rights == ["can_issue_sales", "can_set_statuses"]
    assert list(client.dossiers.all()) == [world.active]
    event = AuditEvent.objects.get(action=AuditAction.API_CLIENT_CREATED)
    assert event.dossier == world.active and event.detail["api_client"] == "ERP"


def test_create_as_json_for_several_dossiers_of_one_firm(world):
    out, _err = run("create", "--dossier", world.active.siren, "--dossier", world.own.siren, "--name", "Cabinet",
                    "--json")
    created = json.loads(out)
    client = ApiClient.objects.get(client_id=created["client_id"])
    assert set(client.dossiers.all()) == {world.active, world.own}
    assert client.rights == []


@pytest.mark.parametrize("args", [
    ["--dossier", "999999999", "--name", "X"],
    ["--dossier", "356000000", "--name", "X", "--rights", "delete_everything"],
    ["--dossier", "356000000", "--dossier", "775672272", "--name", "X"],  # two firms
])
def test_create_refuses_bad_usage(world, args):
    with pytest.raises(CommandError) as refused:
        run("create", *args)
    assert refused.value.returncode == 2
    assert not ApiClient.objects.exists()


def test_a_siren_kept_by_two_firms_needs_the_firm(world):
    make_dossier(world.foreign_firm, "Active chez Bêta", world.active.siren)
    with pytest.raises(CommandError, match="--firm"):
        run("create", "--dossier", world.active.siren, "--name", "X")
    run("create", "--dossier", world.active.siren, "--firm", world.firm.siren, "--name", "X")
    assert list(ApiClient.objects.get().dossiers.all()) == [world.active]


def test_list_and_revoke(world):
    out, _err = run("create", "--dossier", world.active.siren, "--name", "ERP", "--json")
    client_id = json.loads(out)["client_id"]
    listed, _err = run("list", "--dossier", world.active.siren)
    assert client_id in listed and "ERP" in listed and "last_used=-" in listed and "active" in listed
    assert run("list", "--dossier", world.own.siren)[0] == ""
    revoked, _err = run("revoke", client_id)
    assert "révoqué" in revoked
    assert ApiClient.objects.get(client_id=client_id).is_revoked
    assert "déjà révoqué" in run("revoke", client_id)[0]
    assert AuditEvent.objects.filter(action=AuditAction.API_CLIENT_REVOKED).count() == 1
    assert "revoked=" in run("list")[0]
    with pytest.raises(CommandError):
        run("revoke", "nobody")


def test_the_facturier_command_spells_it_with_a_dash(world, capsys):
    assert main(["api-client", "list"]) == 0
