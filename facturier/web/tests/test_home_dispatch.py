from django.urls import reverse

from facturier.accounts.models import User
from facturier.dossiers.last_used import remember
from facturier.dossiers.models import DossierStatus
from facturier.firms.models import Firm, Role
from facturier.testing.world import join, make_dossier, make_owner, make_staff


def landing(client, user):
    client.force_login(user)
    return client.get(reverse("web:home"))


def test_chartered_accountant_lands_on_the_firm_list(client, world):
    assert landing(client, world.people["accountant"])["Location"] == reverse("dashboard:firms")


def test_staff_of_one_firm_land_on_their_dashboard(client, world):
    response = landing(client, world.people["staff_assigned"])
    assert response["Location"] == reverse("dashboard:staff", args=[world.firm.pk])


def test_staff_of_several_open_firms_choose_on_the_firm_list(client, world):
    join(world.foreign_firm, world.people["staff_assigned"])
    assert landing(client, world.people["staff_assigned"])["Location"] == reverse("dashboard:firms")


def test_staff_of_a_firm_not_yet_open_see_the_firm_list(client, db):
    staff = make_staff("seul@cabinet.example")
    join(Firm.objects.create(siren="732829320", name="Cabinet Fermé"), staff, role=Role.STAFF)
    assert landing(client, staff)["Location"] == reverse("dashboard:firms")


def test_firm_staff_without_delegation_get_a_polite_page(client, world):
    response = landing(client, world.people["staff_no_delegation"])
    assert response.status_code == 200
    assert "délégation Facturier" in response.content.decode()


def test_client_user_lands_on_the_last_dossier_used(client, world):
    owner = world.people["client"]
    second = make_dossier(world.firm, "Zénith Société", "512345679")  # last by name: only the memory picks it
    make_owner(second, owner)
    remember(owner, second)
    assert landing(client, owner)["Location"] == reverse("dashboard:home", args=[second.pk])


def test_client_user_whose_last_dossier_closed_lands_on_another(client, world):
    owner = world.people["client"]
    closed = make_dossier(world.firm, "Fermée", "512345679", DossierStatus.INVITED)
    remember(owner, closed)
    assert landing(client, owner)["Location"] == reverse("dashboard:home", args=[world.active.pk])


def test_client_user_without_dossier_gets_a_polite_page(client, db):
    response = landing(client, User.objects.create_user("personne@example.com"))
    assert response.status_code == 200
    assert "Aucun dossier ne vous est encore ouvert" in response.content.decode()


def test_anonymous_people_are_sent_to_sign_in(client, db, settings):
    settings.LOGIN_URL = "/comptes/connexion/"
    assert client.get(reverse("web:home"))["Location"].startswith("/comptes/connexion/")
