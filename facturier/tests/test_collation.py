"""Names sorted in French order by the database itself, on SQLite and PostgreSQL alike."""

import re

import pytest
from django.urls import reverse

from facturier.collation import collated, french
from facturier.dossiers.models import Dossier
from facturier.invoices.models import ThirdParty
from facturier.testing.world import sign_in

NAMES = ["Zambie SARL", "élodie Martin", "Espagne SA", "Elodie Bernard", "Égypte SAS", "œuvres sociales", "Oman"]
FRENCH_ORDER = ["Égypte SAS", "Elodie Bernard", "élodie Martin", "Espagne SA", "œuvres sociales", "Oman",
                "Zambie SARL"]


@pytest.fixture
def parties(world):
    return [ThirdParty.objects.create(dossier=world.active, name=name, is_customer=True) for name in NAMES]


def test_the_database_sorts_names_in_french_order(parties):
    rows = ThirdParty.objects.filter(pk__in=[p.pk for p in parties])
    assert list(rows.order_by(french("name"), "pk").values_list("name", flat=True)) == FRENCH_ORDER
    assert list(rows.order_by(french("name").desc(), "pk").values_list("name", flat=True)) == FRENCH_ORDER[::-1]
    assert collated(NAMES) == FRENCH_ORDER, "Python and the database agree"


def test_the_customer_list_and_the_invoice_filter_list_third_parties_in_french_order(client, world, parties):
    sign_in(client, world, "client")
    page = client.get(reverse("thirdparties:customers", args=[world.active.pk])).content.decode()
    shown = [name for name in re.findall(r">([^<>]+)</a>", page) if name in NAMES]
    assert shown == FRENCH_ORDER
    listing = client.get(reverse("invoices:sales", args=[world.active.pk])).content.decode()
    select = listing.split('name="tiers"')[1].split("</select>")[0]
    options = re.findall(r'<option value="\d+">([^<]+)</option>', select)
    assert options == FRENCH_ORDER


def test_the_firm_client_list_sorts_dossiers_in_french_order(client, world):
    for dossier, name in ((world.new, "Zoé Conseil"), (world.invited, "Égypte Import"),
                          (world.active, "Espagne Export")):
        Dossier.objects.filter(pk=dossier.pk).update(name=name)
    sign_in(client, world, "accountant")
    page = client.get(reverse("dashboard:clients", args=[world.firm.pk])).content.decode()
    names = [name for name in re.findall(r">([^<>]+)<", page) if name in ("Zoé Conseil", "Égypte Import",
                                                                          "Espagne Export")]
    assert names[:3] == ["Égypte Import", "Espagne Export", "Zoé Conseil"]
    descending = client.get(reverse("dashboard:clients", args=[world.firm.pk]), {"tri": "-name"}).content.decode()
    names = [name for name in re.findall(r">([^<>]+)<", descending) if name in ("Zoé Conseil", "Égypte Import",
                                                                                "Espagne Export")]
    assert names[:3] == ["Zoé Conseil", "Espagne Export", "Égypte Import"]
