"""Approving or refusing the invoices ticked in the purchase list: each once, never past a blocking
anomaly, and only for people who handle purchases."""

import pytest
from django.urls import reverse

from facturier.accounts.models import User
from facturier.dossiers.models import DossierMembership
from facturier.invoices.decisions import DecisionError, decide_many
from facturier.invoices.models import Anomaly, LifecycleEvent
from facturier.invoices.receiving import controls
from facturier.invoices.tests.screens_data import make_invoice


@pytest.fixture
def invoices(world):
    clean = [make_invoice(world.active, number=f"A-{n}", lifecycle_status=203) for n in (1, 2)]
    blocked = make_invoice(world.active, number="A-3", lifecycle_status=203)
    controls.raise_anomaly(blocked, Anomaly.Kind.INSOLVENCY, "liquidation judiciaire", {})
    controls.refresh_needs_decision(blocked)
    return [*clean, blocked]


def bulk(client, world, invoices, status, **extra):
    url = reverse("invoices:bulk_decide", args=[world.active.pk])
    return client.post(url, {"invoice": [str(i.pk) for i in invoices], "status": str(status), **extra})


def statuses(invoices):
    return [type(i).objects.get(pk=i.pk).lifecycle_status for i in invoices]


def test_bulk_approval_skips_the_invoice_with_a_blocking_anomaly(client, world, invoices):
    client.force_login(world.user("client"))
    back = reverse("invoices:purchases", args=[world.active.pk]) + "?page=1"
    response = bulk(client, world, invoices, 205, next=back)
    assert response.status_code == 302 and response["Location"] == back
    assert bulk(client, world, invoices, 205, next="https://ailleurs.example/")["Location"] != "https://ailleurs.example/"
    assert statuses(invoices) == [205, 205, 203]
    page = client.get(response["Location"]).content.decode()
    assert "2 factures traitées" in page and "A-3" in page


def test_a_double_submission_decides_each_invoice_once(client, world, invoices):
    client.force_login(world.user("client"))
    bulk(client, world, invoices[:2], 205)
    second = bulk(client, world, invoices[:2], 205)
    assert statuses(invoices[:2]) == [205, 205]
    assert LifecycleEvent.objects.filter(invoice__in=invoices[:2], status=205).count() == 2
    assert "déjà décidées" in client.get(second["Location"]).content.decode()


def test_bulk_refusal_needs_a_reason_from_the_list(client, world, invoices):
    client.force_login(world.user("client"))
    bulk(client, world, invoices, 210)
    assert statuses(invoices) == [203, 203, 203]
    bulk(client, world, invoices, 210, reason_code="DOUBLE_FACT")
    assert statuses(invoices) == [210, 210, 210], "refusing needs no confirmation, even with an anomaly"
    assert set(LifecycleEvent.objects.filter(status=210).values_list("reason_code", flat=True)) == {"DOUBLE_FACT"}


def test_only_approval_and_refusal_are_taken_in_bulk(world, invoices):
    with pytest.raises(DecisionError):
        decide_many(invoices, world.user("client"), 207)
    with pytest.raises(DecisionError):
        decide_many(invoices, world.user("client"), "nope")


def test_who_may_decide_in_bulk(client, world, invoices):
    reader = User.objects.create_user("lecteur@client.example")
    DossierMembership.objects.create(dossier=world.active, user=reader, can_issue_sales=True)
    client.force_login(reader)
    assert bulk(client, world, invoices, 205).status_code == 403
    client.force_login(world.user("staff_unassigned"))
    assert bulk(client, world, invoices, 205).status_code == 404
    foreign = make_invoice(world.foreign, number="V-1", lifecycle_status=203)
    client.force_login(world.user("client"))
    bulk(client, world, [foreign], 205)
    assert statuses([foreign]) == [203], "another dossier's invoice is ignored"
    assert statuses(invoices) == [203, 203, 203]


def test_the_purchase_list_offers_the_bulk_form_to_people_who_handle_purchases(client, world, invoices):
    client.force_login(world.user("client"))
    html = client.get(reverse("invoices:purchases", args=[world.active.pk])).content.decode()
    assert f'action="{reverse("invoices:bulk_decide", args=[world.active.pk])}"' in html
    assert f'name="invoice" value="{invoices[0].pk}"' in html and 'value="DOUBLE_FACT"' in html
    sales = client.get(reverse("invoices:sales", args=[world.active.pk])).content.decode()
    assert "bulk-decisions" not in sales
    reader = User.objects.create_user("lecteur@client.example")
    DossierMembership.objects.create(dossier=world.active, user=reader)
    client.force_login(reader)
    html = client.get(reverse("invoices:purchases", args=[world.active.pk])).content.decode()
    assert "bulk-decisions" not in html  # read-only: the list only
