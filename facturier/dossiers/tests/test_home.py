import re

from django.urls import reverse

from facturier.accounts.models import User
from facturier.dossiers.last_used import last_dossier
from facturier.dossiers.models import DossierMembership
from facturier.testing.world import make_dossier, make_owner


def switcher_options(response):
    block = re.search(r'<select name="dossier".*?</select>', response.content.decode(), re.S).group(0)
    return re.findall(r">([^<]+)</option>", block)


def test_home_frame(client, world, settings):
    settings.VERSION = "9.8.7"
    client.force_login(world.people["client"])
    body = client.get(reverse("dashboard:home", args=[world.active.pk])).content.decode()
    assert "<h1>Société Active</h1>" in body
    assert "Échéancier fournisseurs" in body and "Mes tâches (0)" in body  # the dashboard
    assert "Version : 9.8.7" in body and "Assistance" in body
    assert "Factures d'achat" in body  # left menu


def test_opening_remembers_the_last_dossier(client, world):
    owner = world.people["client"]
    client.force_login(owner)
    client.get(reverse("dashboard:home", args=[world.active.pk]))
    owner.refresh_from_db()
    assert last_dossier(owner) == world.active
    assert DossierMembership.objects.get(dossier=world.active, user=owner).last_used_at is not None


def test_switcher_lists_openable_dossiers_and_switches(client, world):
    owner = world.people["client"]
    second = make_dossier(world.firm, "Seconde Société", "512345679")
    make_owner(second, owner)
    make_dossier(world.firm, "Pas Encore", "612345678")  # not active, not the client's
    client.force_login(owner)
    response = client.get(reverse("dashboard:home", args=[world.active.pk]))
    assert switcher_options(response) == ["Seconde Société", "Société Active"]
    switched = client.post(reverse("dossiers:switch"), {"dossier": second.pk})
    assert switched["Location"] == reverse("dashboard:home", args=[second.pk])
    owner.refresh_from_db()
    assert last_dossier(owner) == second
    # Back home, the last dossier used opens first.
    assert client.get(reverse("web:home"))["Location"] == reverse("dashboard:home", args=[second.pk])


def test_staff_switcher_lists_their_active_assigned_dossiers(client, world):
    client.force_login(world.people["staff_assigned"])
    response = client.get(reverse("dashboard:home", args=[world.active.pk]))
    assert switcher_options(response) == ["Société Active"]
    assert reverse("dashboard:clients", args=[world.firm.pk]) in response.content.decode()


def test_settings_gear_for_managers_and_firm_staff_not_for_other_users(client, world):
    """The gear opens the dossier settings: editable by the client's managers, read-only for the firm."""
    settings_url = reverse("dashboard:settings", args=[world.active.pk])
    client.force_login(world.people["client"])
    owner_page = client.get(reverse("dashboard:home", args=[world.active.pk])).content.decode()
    client.force_login(world.people["staff_assigned"])
    staff_page = client.get(reverse("dashboard:home", args=[world.active.pk])).content.decode()
    reader = User.objects.create_user("lecteur@client-actif.example", full_name="Lecteur")
    DossierMembership.objects.create(dossier=world.active, user=reader)
    client.force_login(reader)
    reader_page = client.get(reverse("dashboard:home", args=[world.active.pk])).content.decode()
    assert f'class="gear" href="{settings_url}"' in owner_page
    assert f'class="gear" href="{settings_url}"' in staff_page
    assert 'class="gear"' not in reader_page
