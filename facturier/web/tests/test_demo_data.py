from django.core.management import call_command

from facturier.accounts.models import User
from facturier.devidp import people
from facturier.dossiers import access
from facturier.dossiers.models import Dossier, DossierStatus
from facturier.dossiers.validators import clean_siren
from facturier.firms.models import Firm


def counts():
    return {model.__name__: model.objects.count() for model in (Firm, Dossier, User)}


def test_demo_data_is_complete_and_idempotent(db, capsys):
    call_command("demo_data")
    first = counts()
    call_command("demo_data")
    assert counts() == first
    out = capsys.readouterr().out
    assert "pierre.conerardy@bioburo.example" in out and people.DEMO_CLIENT_PASSWORD in out

    demo = Firm.objects.get(siren=people.DEMO_FIRM["siren"])
    assert demo.is_open and demo.terms_accepted_by.email == "claire.martin@cabinet-demo.example"
    assert not Firm.objects.get(siren=people.DEMO_FIRM_EAST["siren"]).is_open
    clients = Dossier.objects.filter(firm=demo, is_firm_own=False)
    assert clients.count() >= 6
    assert set(clients.values_list("status", flat=True)) == set(DossierStatus.values)
    for siren in clients.exclude(siren="").values_list("siren", flat=True):
        assert clean_siren(siren) == siren
    own = Dossier.objects.get(firm=demo, is_firm_own=True)
    assert own.free_invoices == 500 and own.status == DossierStatus.ACTIVE

    pierre = User.objects.get(email="pierre.conerardy@bioburo.example")
    assert pierre.check_password(people.DEMO_CLIENT_PASSWORD)
    assert set(access.openable_dossiers(pierre).values_list("name", flat=True)) == {"BIOBURO", "SCI Conerardy"}

    sophie = User.objects.get(email="sophie.bernard@cabinet-demo.example")
    hugo = User.objects.get(email="hugo.petit@cabinet-demo.example")
    membership = access.get_firm_membership_or_404(sophie, demo.pk)
    assert 0 < access.listed_dossiers(membership).count() < clients.count()
    assert access.listed_dossiers(access.get_firm_membership_or_404(hugo, demo.pk)).exists()
    bruno = User.objects.get(email="bruno.leroy@cabinet-demo.example")
    assert access.get_firm_membership_or_404(bruno, demo.pk).is_admin
    nadia = User.objects.get(email="nadia.roux@cabinet-demo.example")
    assert not access.firm_memberships(nadia).exists()

    neighbour = Firm.objects.get(siren=people.NEIGHBOUR_FIRM["siren"])
    assert neighbour.is_open and Dossier.objects.filter(firm=neighbour, is_firm_own=False).count() == 2
