"""``facturier directory``: declaring the facilities and routing codes the Directory Service lists."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from facturier.directory.models import Facility, RoutingCode


def run(*args):
    out = StringIO()
    call_command("directory", *args, stdout=out)
    return out.getvalue().split()


def test_declare_list_and_remove(world):
    assert run("add-facility", "--dossier", "356000000", "--siret", "356 000 000 00048", "--main") == [
        "356000000_35600000000048"]
    assert run("add-routing-code", "--siret", "35600000000048", "--code", "ACHATS/NORD", "--name", "Achats") == [
        "356000000_35600000000048_ACHATS/NORD"]
    assert run("list", "--dossier", "356000000") == [
        "356000000", "356000000_35600000000048", "356000000_35600000000048_ACHATS/NORD"]
    run("remove", "356000000_35600000000048_ACHATS/NORD")
    assert not RoutingCode.objects.exists()
    run("remove", "356000000_35600000000048")
    assert not Facility.objects.exists()


@pytest.mark.parametrize("args", [
    ["add-facility", "--dossier", "999999999", "--siret", "35600000000048"],
    ["add-facility", "--dossier", "356000000", "--siret", "35600000000049"],  # bad key
    ["add-facility", "--dossier", "356000000", "--siret", "73282932000074"],  # another SIREN's
    ["add-routing-code", "--siret", "35600000000048", "--code", "X", "--name", "X"],  # undeclared facility
    ["remove", "356000000_35600000000048"],
])
def test_bad_usage_is_refused(world, args):
    with pytest.raises(CommandError) as refused:
        run(*args)
    assert refused.value.returncode == 2


def test_a_facility_is_declared_once(world):
    run("add-facility", "--dossier", "356000000", "--siret", "35600000000048")
    with pytest.raises(CommandError, match="déjà déclaré"):
        run("add-facility", "--dossier", "356000000", "--siret", "35600000000048")
    run("add-routing-code", "--siret", "35600000000048", "--code", "A", "--name", "A")
    with pytest.raises(CommandError, match="déjà déclaré"):
        run("add-routing-code", "--siret", "35600000000048", "--code", "A", "--name", "A")
    with pytest.raises(CommandError, match="1 à 100"):
        run("add-routing-code", "--siret", "35600000000048", "--code", "a b", "--name", "A")
