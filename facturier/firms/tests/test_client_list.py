import html
import re

import pytest
from django.urls import reverse

from facturier.dossiers.models import Assignment, Dossier
from facturier.testing.world import make_dossier

VALID_SIRENS = ["130005481", "180089013", "200053403", "210100012", "213100019", "330703844", "409408770"]


def rows(response):
    return re.findall(r'<tr data-dossier="(\d+)">', response.content.decode())


def names(response):
    return [Dossier.objects.get(pk=pk).name for pk in rows(response)]


def clients_url(world, **params):
    from urllib.parse import urlencode

    return reverse("dashboard:clients", args=[world.firm.pk]) + ("?" + urlencode(params) if params else "")


def test_columns_labels_and_counters(client, world):
    client.force_login(world.people["accountant"])
    body = html.unescape(client.get(clients_url(world)).content.decode())
    for label in ("Nom", "Mois de clôture", "À envoyer", "Attente intégration", "Action attendue",
                  "Numéro d'identification", "Statut", "Actions"):
        assert label in body
    assert "intégrées en comptabilité" in body  # the tooltip
    assert "443061841 <span class=\"muted\">[N° SIREN]</span>" in body
    assert "Nouveau client" in body and "Importer clients" in body and "Tout activer" in body
    # The firm's own dossier is in the left menu, with its free invoices, not in the list.
    assert "500 factures offertes" in body
    assert "Cabinet Alpha" not in names(client.get(clients_url(world)))


def test_foreign_company_is_identified_by_vat(client, world):
    make_dossier(world.firm, "Brasserie Belge", "", country="BE", vat_number="BE0417497106")
    client.force_login(world.people["accountant"])
    body = client.get(clients_url(world, q="Belge")).content.decode()
    assert "BE0417497106 <span class=\"muted\">[N° TVA]</span>" in body


def test_statuses_and_actions(client, world):
    client.force_login(world.people["accountant"])
    body = html.unescape(client.get(clients_url(world)).content.decode())
    assert reverse("dossiers:activate", args=[world.firm.pk, world.new.pk]) in body
    assert "Renvoyer l'invitation" in body
    assert reverse("dashboard:home", args=[world.active.pk]) in body
    assert reverse("dashboard:home", args=[world.invited.pk]) not in body


def test_staff_see_only_their_dossiers_and_no_import(client, world):
    client.force_login(world.people["staff_assigned"])
    response = client.get(clients_url(world))
    assert sorted(names(response)) == ["Nouvelle Société", "Société Active", "Société Invitée"]
    assert "Importer clients" not in response.content.decode()
    client.force_login(world.people["staff_unassigned"])
    assert names(client.get(clients_url(world))) == []


@pytest.mark.parametrize("text", ["invitée", "542065", "542 065 479", "FR"])
def test_search_by_name_siren_or_vat(client, world, text):
    world.invited.vat_number = "FR82542065479"
    world.invited.save()
    client.force_login(world.people["accountant"])
    assert names(client.get(clients_url(world, q=text))) == ["Société Invitée"]


def test_sort_and_reverse_sort(client, world):
    client.force_login(world.people["accountant"])
    world.new.fiscal_year_end_month = 3
    world.new.save()
    by_name = ["Nouvelle Société", "Société Active", "Société Invitée"]
    assert names(client.get(clients_url(world, tri="name"))) == by_name
    assert names(client.get(clients_url(world, tri="-name"))) == by_name[::-1]
    assert names(client.get(clients_url(world, tri="month")))[0] == "Nouvelle Société"
    assert names(client.get(clients_url(world, tri="status")))[0] == "Société Active"
    assert names(client.get(clients_url(world, tri="nonsense")))[0] == "Nouvelle Société"
    for key in ("to_send", "awaiting", "action", "number"):
        assert len(names(client.get(clients_url(world, tri=key)))) == 3


def test_name_sort_ignores_case_on_every_database(client, world):
    make_dossier(world.firm, "atelier en minuscules", "130005481")
    client.force_login(world.people["accountant"])
    assert names(client.get(clients_url(world, tri="name"))) == [
        "atelier en minuscules", "Nouvelle Société", "Société Active", "Société Invitée"]
    assert names(client.get(clients_url(world, tri="-name")))[-1] == "atelier en minuscules"


def test_siren_prefix_search_can_use_an_index_on_postgresql(world):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the pattern index is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Dossier.objects.filter(siren__startswith="5420").explain()
    assert "dossier_siren_prefix" in plan, plan


def test_paging_keeps_search_and_sort(client, world):
    Dossier.objects.bulk_create([
        Dossier(firm=world.firm, name=f"Client {i:03}", siren="", vat_number=f"BE0{i:09}", country="BE",
                fiscal_year_end_month=12, address="a", postal_code="1", city="c", representative_name="r",
                representative_email="r@example.com")
        for i in range(60)
    ])
    client.force_login(world.people["accountant"])
    first = client.get(clients_url(world, q="Client", tri="-name", taille=25))
    assert names(first)[0] == "Client 059" and len(rows(first)) == 25
    assert "60 clients" in first.content.decode()  # the count is the search's, not the firm's
    assert "Page 1 sur 3" in first.content.decode()
    next_link = re.search(r'href="(\?[^"]*page=2[^"]*)"', first.content.decode()).group(1)
    second = client.get(reverse("dashboard:clients", args=[world.firm.pk]) + html.unescape(next_link))
    assert names(second)[0] == "Client 034"
    assert len(rows(client.get(clients_url(world, q="Client", page=99, taille=25)))) == 10  # last page


def test_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    client.force_login(world.people["staff_assigned"])
    client.get(clients_url(world))
    with django_assert_max_num_queries(10) as small:  # 10: the header's notification list, e-reporting due
        client.get(clients_url(world))
    for i, siren in enumerate(VALID_SIRENS):
        dossier = make_dossier(world.firm, f"Ajout {i}", siren)
        Assignment.objects.create(dossier=dossier, user=world.people["staff_assigned"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(clients_url(world))
    assert len(rows(response)) == 10


def test_column_chooser_is_offered(client, world):
    client.force_login(world.people["accountant"])
    body = client.get(clients_url(world)).content.decode()
    assert 'data-column-chooser="clients"' in body and "web/columns.js" in body
    assert '<td data-col="awaiting">0</td>' in body
