"""The dashboard as the dossier home renders it."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from facturier.accounts.models import User
from facturier.dashboard.tests.factories import make_invoice
from facturier.dossiers.models import DossierMembership
from facturier.invoices.models import Direction, Task, ThirdParty


def home(client, dossier):
    return client.get(reverse("dashboard:home", args=[dossier.pk])).content.decode()


def schedule_cells(page, direction):
    block = re.search(rf'data-direction="{direction}".*?</section>', page, re.S).group(0)
    return re.findall(r'<td class="bucket" data-(amount|count)="([^"]*)">(.*?)</td>', block, re.S)


def test_home_shows_schedules_chart_tasks_and_top_fives(client, world, settings):
    dossier = world.active
    today = timezone.localdate()
    supplier = ThirdParty.objects.create(dossier=dossier, name="Fournisseur Un", is_supplier=True)
    customer = ThirdParty.objects.create(dossier=dossier, name="Client Un", is_customer=True)
    make_invoice(dossier, Direction.PURCHASE, amount="100.00", due=today - datetime.timedelta(days=1),
                 third_party=supplier, issued=today)
    make_invoice(dossier, Direction.SALES, amount="250.00", due=today + datetime.timedelta(days=45),
                 third_party=customer, issued=today)
    bought = make_invoice(dossier, Direction.PURCHASE, amount="1.00", paid="1.20", third_party=supplier)
    Task.objects.create(dossier=dossier, title="Vérifier le fournisseur", for_client=True, invoice=bought)
    client.force_login(world.people["client"])

    page = home(client, dossier)

    purchases = schedule_cells(page, "purchase")
    assert [value for kind, value, _html in purchases] == ["120.00", "120.00", "0.00", "0.00", "0.00", "0.00",
                                                          "1", "1", "0", "0", "0", "0"]
    overdue_link = reverse("invoices:purchases", args=[dossier.pk]) + "?open=1&amp;overdue=1"
    assert f'<a href="{overdue_link}">120,00\u00a0€</a>' in purchases[1][2]
    sales = schedule_cells(page, "sales")
    assert [value for kind, value, _html in sales][:6] == ["300.00", "0.00", "0.00", "300.00", "0.00", "0.00"]
    assert "due_from=" in sales[3][2] and "due_to=" in sales[3][2]
    assert page.count('<rect class="bar ') == 24 + 2  # twelve months × two series, plus the legend
    assert "Mes tâches (1)" in page and "Vérifier le fournisseur" in page
    detail = reverse("invoices:detail", args=[dossier.pk, bought.pk])
    assert f'<a href="{detail}">Facture {bought.number}</a>' in page
    assert "Client Un" in page and "Fournisseur Un" in page
    assert f'href="{reverse("issuing:new", args=[dossier.pk])}"' in page  # + Ajouter un client
    assert f'href="{reverse("receiving:upload", args=[dossier.pk])}"' in page  # + Ajouter un fournisseur
    assert reverse("dashboard:settings", args=[dossier.pk]) in page


def test_read_only_user_gets_figures_but_no_add_or_settings_links(client, world, settings):
    reader = User.objects.create_user("lecture@client.example")
    DossierMembership.objects.create(dossier=world.active, user=reader)
    client.force_login(reader)
    page = home(client, world.active)
    assert "Échéancier clients" in page
    assert "+ Ajouter un client" not in page and "+ Ajouter un fournisseur" not in page
    assert reverse("dashboard:settings", args=[world.active.pk]) not in page


def add_activity(dossier, count):
    for n in range(count):
        make_invoice(dossier, Direction.SALES if n % 2 else Direction.PURCHASE, due=timezone.localdate(),
                     third_party=ThirdParty.objects.create(dossier=dossier, name=f"Tiers {n:02d}"))
        Task.objects.create(dossier=dossier, title=f"Tâche {n}", for_client=True)


def test_dashboard_costs_four_queries_whatever_the_data(client, world):
    client.force_login(world.people["client"])
    add_activity(world.active, 2)
    home(client, world.active)  # session and user caches warm
    with CaptureQueriesContext(connection) as small:
        home(client, world.active)
    add_activity(world.active, 30)
    with CaptureQueriesContext(connection) as large:
        home(client, world.active)
    # The header's notification list (which joins the invoices too) is not the dashboard's.
    dashboard_queries = [q["sql"] for q in large.captured_queries
                         if "invoices_" in q["sql"] and "notifications_" not in q["sql"]]
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(dashboard_queries) == 4  # schedules, activity, top party names, tasks
