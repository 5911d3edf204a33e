"""Every role against every dossier of the world, for the dossier home and its settings."""

import pytest
from django.urls import reverse

from facturier.testing.world import ROLES, sign_in

HOME_OK = {"accountant", "admin", "staff_assigned", "client"}
SETTINGS_OK = HOME_OK


def expected(role, dossier_key, allowed):
    if role == "anonymous":
        return 302
    if dossier_key != "active":
        return 404  # foreign tenant, or not open yet: nobody enters
    return 200 if role in allowed else 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("dossier_key", ["active", "foreign", "new", "invited"])
@pytest.mark.parametrize(("view", "allowed"), [("dashboard:home", HOME_OK), ("dashboard:settings", SETTINGS_OK)])
def test_access_matrix(client, world, role, dossier_key, view, allowed):
    sign_in(client, world, role)
    dossier = getattr(world, dossier_key)
    response = client.get(reverse(view, args=[dossier.pk]))
    assert response.status_code == expected(role, dossier_key, allowed)
    if response.status_code == 302:
        assert "/comptes/" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_nobody_posts_settings_into_a_foreign_dossier(client, world, role):
    sign_in(client, world, role)
    response = client.post(reverse("dashboard:settings", args=[world.foreign.pk]),
                           {"auto_approve": "on", "default_output_format": "ubl"})
    assert response.status_code in (302, 404)
    world.foreign.refresh_from_db()
    assert world.foreign.auto_approve is False


def test_foreign_owner_sees_only_their_own_figures(client, world):
    from facturier.dashboard.tests.factories import make_invoice
    from facturier.invoices.models import ThirdParty

    secret = ThirdParty.objects.create(dossier=world.active, name="Secret du voisin")
    make_invoice(world.active, amount="123456.00", third_party=secret)
    client.force_login(world.foreign.owner)
    page = client.get(reverse("dashboard:home", args=[world.foreign.pk])).content.decode()
    assert "Secret du voisin" not in page and "456,00" not in page
