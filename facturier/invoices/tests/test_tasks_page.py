""""Mes tâches": exactly the person's open tasks, across their dossiers, with the count in the dossier menu."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from facturier.accounts.models import User
from facturier.dossiers.models import DossierMembership
from facturier.invoices.models import Direction, Task
from facturier.invoices.tests.screens_data import make_invoice
from facturier.invoices.todo import open_tasks
from facturier.testing.world import make_dossier, make_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(world):
    """One task of each kind on the active dossier, plus tasks that belong to nobody here."""
    sale = make_invoice(world.active, Direction.SALES, "V-1")
    purchase = make_invoice(world.active, Direction.PURCHASE, "A-1")
    made = {
        "firm": Task.objects.create(dossier=world.active, invoice=purchase, title="Contrôler le fournisseur",
                                    for_firm=True),
        "client_purchase": Task.objects.create(dossier=world.active, invoice=purchase, title="Décider (achat)",
                                               for_client=True),
        "client_sale": Task.objects.create(dossier=world.active, invoice=sale, title="Relancer (vente)",
                                           for_client=True),
        "client_general": Task.objects.create(dossier=world.active, title="Compléter le dossier", for_client=True),
        "assigned_unassigned": Task.objects.create(dossier=world.active, title="Pour Hugo",
                                                   assignee=world.user("staff_unassigned")),
        "done": Task.objects.create(dossier=world.active, title="Faite", for_firm=True, for_client=True,
                                    done_at=timezone.now()),
        "foreign": Task.objects.create(dossier=world.foreign, title="Chez le voisin", for_firm=True,
                                       for_client=True),
        "invited": Task.objects.create(dossier=world.invited, title="Pas encore ouvert", for_firm=True),
    }
    return made


def titles(user):
    return sorted(task.title for task in open_tasks(user))


def test_firm_side_sees_firm_tasks_of_the_dossiers_it_works(world, tasks):
    assert titles(world.user("staff_assigned")) == ["Contrôler le fournisseur"]
    assert titles(world.user("admin")) == ["Contrôler le fournisseur"]
    assert titles(world.user("accountant")) == ["Contrôler le fournisseur"]
    assert titles(world.user("staff_no_delegation")) == []


def test_a_task_naming_a_person_who_cannot_open_the_dossier_stays_hidden(world, tasks):
    assert titles(world.user("staff_unassigned")) == []
    own = Task.objects.create(dossier=world.own, title="Au cabinet", assignee=world.user("staff_unassigned"))
    assert titles(world.user("staff_unassigned")) == []  # the firm's own dossier is not theirs either
    own.assignee = world.user("accountant")
    own.save()
    assert "Au cabinet" in titles(world.user("accountant"))


def test_owner_sees_every_client_task(world, tasks):
    assert titles(world.user("client")) == ["Compléter le dossier", "Décider (achat)", "Relancer (vente)"]


def test_client_users_see_the_tasks_their_rights_cover(world, tasks):
    buyer = User.objects.create_user("achats@client-actif.example")
    DossierMembership.objects.create(dossier=world.active, user=buyer, can_handle_purchases=True)
    seller = User.objects.create_user("ventes@client-actif.example")
    DossierMembership.objects.create(dossier=world.active, user=seller, can_issue_sales=True)
    reader = User.objects.create_user("lecture@client-actif.example")
    DossierMembership.objects.create(dossier=world.active, user=reader)
    assert titles(buyer) == ["Compléter le dossier", "Décider (achat)"]
    assert titles(seller) == ["Compléter le dossier", "Relancer (vente)"]
    assert titles(reader) == []


def test_page_lists_tasks_by_dossier_with_links(client, world, tasks):
    second = make_dossier(world.firm, "Deuxième Client", "552081317")
    make_owner(second, world.user("client"))
    Task.objects.create(dossier=second, title="Tâche ailleurs", for_client=True)
    client.force_login(world.user("client"))
    html = client.get(reverse("invoices:my_tasks")).content.decode()
    assert "Mes tâches (4)" in html
    assert "Tâche ailleurs" in html and "Chez le voisin" not in html and "Faite" not in html
    invoice_link = reverse("invoices:detail", args=[world.active.pk, tasks["client_purchase"].invoice_id])
    assert f'<a href="{invoice_link}">Décider (achat)</a>' in html
    assert f'<a href="{reverse("dashboard:home", args=[world.active.pk])}">Compléter le dossier</a>' in html
    only_second = client.get(reverse("invoices:my_tasks"), {"dossier": second.pk}).content.decode()
    assert "Tâche ailleurs" in only_second and "Décider (achat)" not in only_second


def test_dossier_menu_shows_the_persons_task_count(client, world, tasks):
    client.force_login(world.user("client"))
    html = client.get(reverse("dashboard:home", args=[world.active.pk])).content.decode()
    assert re.search(r'data-tasks="3">Mes tâches \(3\)</a>', html)
    client.force_login(world.user("staff_assigned"))
    html = client.get(reverse("invoices:purchases", args=[world.active.pk])).content.decode()
    assert re.search(r'data-tasks="1">Mes tâches \(1\)</a>', html)
    tasks["firm"].done_at = timezone.now()
    tasks["firm"].save()
    html = client.get(reverse("dashboard:home", args=[world.active.pk])).content.decode()
    assert re.search(r'data-tasks="0">Mes tâches \(0\)</a>', html)


def test_filtering_on_a_dossier_one_cannot_open_is_404(client, world, tasks):
    client.force_login(world.user("client"))
    assert client.get(reverse("invoices:my_tasks"), {"dossier": world.foreign.pk}).status_code == 404
    assert client.get(reverse("invoices:my_tasks"), {"dossier": "abc"}).status_code == 404
