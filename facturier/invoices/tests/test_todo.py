import datetime

import pytest
from django.utils import timezone

from facturier.accounts.models import User
from facturier.dashboard.tests.factories import make_invoice
from facturier.dossiers.models import DossierMembership
from facturier.invoices.models import Direction, Task
from facturier.invoices.todo import dossier_tasks, open_tasks


def client_user(dossier, email, **rights):
    user = User.objects.create_user(email)
    DossierMembership.objects.create(dossier=dossier, user=user, **rights)
    return user


@pytest.fixture
def tasks(world):
    """One open task of each kind in the active dossier, plus noise that nobody should see."""
    dossier = world.active
    purchase = make_invoice(dossier, Direction.PURCHASE)
    sale = make_invoice(dossier, Direction.SALES)
    start = timezone.now() - datetime.timedelta(days=1)

    def task(title, minutes, **fields):
        return Task.objects.create(dossier=dossier, title=title, created_at=start + datetime.timedelta(minutes=minutes),
                                   **fields)

    made = {
        "firm": task("firm", 1, for_firm=True),
        "client_purchase": task("client_purchase", 2, for_client=True, invoice=purchase),
        "client_sale": task("client_sale", 3, for_client=True, invoice=sale),
        "client_general": task("client_general", 4, for_client=True),
        "assigned_staff": task("assigned_staff", 5, assignee=world.people["staff_assigned"]),
    }
    task("done", 0, for_firm=True, for_client=True, done_at=timezone.now())
    task("for another person", 0, assignee=world.people["admin"])
    Task.objects.create(dossier=world.foreign, title="foreign", for_firm=True, for_client=True)
    return made


def titles(user, dossier):
    found = dossier_tasks(user, dossier)
    assert found.count == len(found.shown)
    return [task.title for task in found.shown]


def test_firm_side_sees_firm_tasks_and_their_own(world, tasks):
    assert titles(world.people["staff_assigned"], world.active) == ["firm", "assigned_staff"]
    assert titles(world.people["accountant"], world.active) == ["firm"]


def test_owner_sees_every_client_task(world, tasks):
    assert titles(world.people["client"], world.active) == ["client_purchase", "client_sale", "client_general"]


def test_client_users_see_the_tasks_their_rights_cover(world, tasks):
    dossier = world.active
    buyer = client_user(dossier, "achats@client.example", can_handle_purchases=True)
    seller = client_user(dossier, "ventes@client.example", can_issue_sales=True)
    reader = client_user(dossier, "lecture@client.example")
    Task.objects.create(dossier=dossier, title="for the reader", assignee=reader)

    assert titles(buyer, dossier) == ["client_purchase", "client_general"]
    assert titles(seller, dossier) == ["client_sale", "client_general"]
    assert titles(reader, dossier) == ["for the reader"]


def test_count_covers_more_than_the_shown_tasks(world):
    for n in range(13):
        Task.objects.create(dossier=world.active, title=f"t{n:02d}", for_client=True)
    owner = world.people["client"]
    found = dossier_tasks(owner, world.active)
    assert found.count == 13
    assert [task.title for task in found.shown] == [f"t{n:02d}" for n in range(10)]


def test_the_dossier_home_and_mes_taches_give_the_same_answer(world, tasks):
    """One rule: a user who only manages users sees the general client task in both places."""
    dossier = world.active
    manager = client_user(dossier, "gestion@client.example", can_manage_users=True)
    assert titles(manager, dossier) == ["client_general"]
    assert [task.title for task in open_tasks(manager)] == ["client_general"]
    for person in world.people.values():
        if person is None or not person.is_authenticated:
            continue
        assert titles(person, dossier) == [task.title for task in open_tasks(person).filter(dossier=dossier)]
