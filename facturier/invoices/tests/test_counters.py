"""The client list counters: each moves exactly when its condition changes, without a query per row."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from facturier.dashboard.counters import with_counters
from facturier.dossiers.models import Dossier
from facturier.invoices.models import Anomaly, DeliveryState, Direction, InvoiceState
from facturier.invoices.tests.screens_data import make_invoice
from facturier.testing.world import make_dossier

pytestmark = pytest.mark.django_db


def counters(dossier):
    row = with_counters(Dossier.objects.filter(pk=dossier.pk)).get()
    return row.to_send, row.awaiting_integration, row.action_required


def test_no_invoice_counts_zero(world):
    assert counters(world.active) == (0, 0, 0)


def test_to_send_counts_issued_sales_pending_or_failed(world):
    dossier = world.active
    pending = make_invoice(dossier, Direction.SALES, "V-1", delivery_state=DeliveryState.PENDING)
    assert counters(dossier)[0] == 1
    make_invoice(dossier, Direction.SALES, "V-2", delivery_state=DeliveryState.FAILED)
    assert counters(dossier)[0] == 2
    pending.delivery_state = DeliveryState.DELIVERED
    pending.save()
    assert counters(dossier)[0] == 1
    make_invoice(dossier, Direction.SALES, "", state=InvoiceState.DRAFT, delivery_state=DeliveryState.PENDING)
    make_invoice(dossier, Direction.PURCHASE, "A-1", delivery_state=DeliveryState.PENDING)
    assert counters(dossier)[0] == 1


def test_awaiting_integration_counts_approved_purchases_and_issued_sales_not_exported(world):
    dossier = world.active
    purchase = make_invoice(dossier, Direction.PURCHASE, "A-1")
    assert counters(dossier)[1] == 0  # received, not approved
    purchase.approved_at = timezone.now()
    purchase.save()
    assert counters(dossier)[1] == 1
    sale = make_invoice(dossier, Direction.SALES, "V-1", delivery_state=DeliveryState.DELIVERED)
    assert counters(dossier)[1] == 2
    make_invoice(dossier, Direction.SALES, "", state=InvoiceState.DRAFT)
    assert counters(dossier)[1] == 2
    purchase.integrated_at = timezone.now()
    purchase.save()
    sale.integrated_at = timezone.now()
    sale.save()
    assert counters(dossier)[1] == 0


def test_action_required_counts_decisions_and_open_blocking_anomalies_once(world):
    dossier = world.active
    waiting = make_invoice(dossier, number="A-1", needs_decision=True)
    assert counters(dossier)[2] == 1
    flagged = make_invoice(dossier, number="A-2")
    Anomaly.objects.create(invoice=flagged, kind=Anomaly.Kind.INSOLVENCY)
    Anomaly.objects.create(invoice=flagged, kind=Anomaly.Kind.CLOSED)  # two anomalies, one invoice
    Anomaly.objects.create(invoice=waiting, kind=Anomaly.Kind.CLOSED)  # already counted
    assert counters(dossier)[2] == 2
    informative = make_invoice(dossier, number="A-3")
    Anomaly.objects.create(invoice=informative, kind=Anomaly.Kind.REGISTRY_PENDING, blocking=False)
    assert counters(dossier)[2] == 2
    Anomaly.objects.filter(invoice=flagged).update(resolved_at=timezone.now())
    assert counters(dossier)[2] == 1
    waiting.needs_decision = False
    waiting.save()
    assert counters(dossier)[2] == 1  # its anomaly is still open
    Anomaly.objects.filter(invoice=waiting).update(resolved_at=timezone.now())
    assert counters(dossier)[2] == 0


def test_counters_belong_to_their_own_dossier(world):
    make_invoice(world.foreign, Direction.SALES, "V-1", delivery_state=DeliveryState.PENDING, needs_decision=True)
    assert counters(world.active) == (0, 0, 0)
    assert counters(world.foreign) == (1, 1, 1)


def client_list_cells(response):
    """(name, to_send, awaiting, action) for each row of the client list."""
    html = response.content.decode()
    counter = r'(?:<a [^>]*>)?(\d+)(?:</a>)?\s*</td>'  # a link to its list when the dossier is open
    return re.findall(
        r'<td data-col="name"><a [^>]*>([^<]+)</a></td>\s*<td data-col="month">[^<]*</td>\s*'
        rf'<td data-col="to_send">{counter}\s*<td data-col="awaiting">{counter}\s*<td data-col="action">{counter}',
        html,
    )


def test_client_list_shows_and_sorts_on_the_counters(client, world):
    client.force_login(world.user("admin"))
    make_invoice(world.active, Direction.SALES, "V-1", delivery_state=DeliveryState.PENDING)
    make_invoice(world.active, Direction.SALES, "V-2", delivery_state=DeliveryState.FAILED)
    make_invoice(world.invited, number="A-1", needs_decision=True)
    url = reverse("dashboard:clients", args=[world.firm.pk])
    rows = {name: counts for name, *counts in client_list_cells(client.get(url))}
    assert rows["Société Active"] == ["2", "2", "0"]
    assert rows["Société Invitée"] == ["0", "0", "1"]
    by_action = client_list_cells(client.get(url, {"tri": "-action"}))
    assert by_action[0][0] == "Société Invitée"
    by_to_send = client_list_cells(client.get(url, {"tri": "-to_send"}))
    assert by_to_send[0][0] == "Société Active"


def test_client_list_makes_no_query_per_row(client, world, django_assert_max_num_queries):
    client.force_login(world.user("admin"))
    url = reverse("dashboard:clients", args=[world.firm.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url, {"tri": "-action"})
    for n in range(30):
        dossier = make_dossier(world.firm, f"Client {n:02d}", "")
        make_invoice(dossier, Direction.SALES, "V-1", delivery_state=DeliveryState.PENDING, needs_decision=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"tri": "-action"})
    assert len(client_list_cells(response)) == 33


def test_staff_dashboard_counters(client, world):
    client.force_login(world.user("staff_assigned"))
    make_invoice(world.active, number="A-1", needs_decision=True)
    response = client.get(reverse("dashboard:staff", args=[world.firm.pk]))
    assert response.status_code == 200
    dossier = next(d for d in response.context["dossiers"] if d.pk == world.active.pk)
    assert (dossier.to_send, dossier.awaiting_integration, dossier.action_required) == (0, 0, 1)


def test_counters_of_an_open_dossier_link_to_the_lists_they_count(client, world):
    make_invoice(world.active, Direction.SALES, "V-1", delivery_state=DeliveryState.PENDING)
    make_invoice(world.active, number="A-1", needs_decision=True)
    make_invoice(world.active, number="A-2", approved_at=timezone.now())
    make_invoice(world.invited, number="A-1", needs_decision=True)
    to_send = reverse("invoices:sales", args=[world.active.pk]) + "?a_envoyer=on"
    action = reverse("invoices:purchases", args=[world.active.pk]) + "?action=on"
    awaiting = reverse("ledger:pending", args=[world.active.pk])
    for role, page in (("admin", reverse("dashboard:clients", args=[world.firm.pk])),
                       ("staff_assigned", reverse("dashboard:staff", args=[world.firm.pk]))):
        client.force_login(world.user(role))
        html = client.get(page).content.decode()
        for url in (to_send, action, awaiting):
            assert f'href="{url}"' in html, (role, url)
        invited = html[html.index(f'data-dossier="{world.invited.pk}"'):]
        assert reverse("invoices:purchases", args=[world.invited.pk]) not in invited[:invited.index("</tr>")], \
            "nobody enters a dossier before it opens: its counters are figures only"
        assert client.get(to_send).status_code == 200 and client.get(action).status_code == 200
