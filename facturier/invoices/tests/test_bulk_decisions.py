"""Deciding the invoices ticked in a list: purchases approved or refused, sales marked paid; each
once, never past a blocking anomaly, and only by people with the right for that side."""

from decimal import Decimal

import pytest
from django.urls import reverse

from facturier.accounts.models import User
from facturier.dossiers.models import DossierMembership
from facturier.invoices.decisions import DecisionError, decide_many
from facturier.invoices.models import Anomaly, Direction, LifecycleEvent
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


def test_only_approval_refusal_and_payment_are_taken_in_bulk(world, invoices):
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
    reader = User.objects.create_user("lecteur@client.example")
    DossierMembership.objects.create(dossier=world.active, user=reader)
    client.force_login(reader)
    html = client.get(reverse("invoices:purchases", args=[world.active.pk])).content.decode()
    assert "bulk-decisions" not in html  # read-only: the list only


@pytest.fixture
def sales(world):
    paid = make_invoice(world.active, Direction.SALES, number="V-3", lifecycle_status=212, amount_paid=Decimal("120"))
    return [make_invoice(world.active, Direction.SALES, number="V-1", lifecycle_status=205),
            make_invoice(world.active, Direction.SALES, number="V-2", lifecycle_status=None,
                         amount_due=Decimal("80.00")),
            paid]


def bulk_sales(client, world, invoices, status=212, **extra):
    url = reverse("invoices:bulk_decide_sales", args=[world.active.pk])
    return client.post(url, {"invoice": [str(i.pk) for i in invoices], "status": str(status), **extra})


def test_sales_invoices_ticked_are_marked_paid_once_for_their_amount_due(client, world, sales):
    client.force_login(world.user("client"))
    back = reverse("invoices:sales", args=[world.active.pk]) + "?statut=205"
    response = bulk_sales(client, world, sales, next=back)
    assert response.status_code == 302 and response["Location"] == back
    assert statuses(sales) == [212, 212, 212]
    events = LifecycleEvent.objects.filter(invoice__in=sales[:2], status=212).order_by("invoice__number")
    assert [(e.party, e.amount) for e in events] == [("seller", Decimal("120.00")), ("seller", Decimal("80.00"))]
    page = client.get(reverse("invoices:sales", args=[world.active.pk])).content.decode()
    assert "2 factures traitées" in page and "V-3" in page  # the one already paid is named, not paid twice

    bulk_sales(client, world, sales)  # a double click
    assert LifecycleEvent.objects.filter(invoice__in=sales, status=212).count() == 2


def test_the_sales_list_only_marks_paid_and_only_for_people_who_issue_sales(client, world, sales, invoices):
    client.force_login(world.user("client"))
    bulk_sales(client, world, sales[:1], status=205)
    bulk_sales(client, world, invoices[:1])  # a purchase invoice through the sales form: ignored
    assert statuses(sales[:1]) == [205] and statuses(invoices[:1]) == [203]
    html = client.get(reverse("invoices:sales", args=[world.active.pk])).content.decode()
    assert f'action="{reverse("invoices:bulk_decide_sales", args=[world.active.pk])}"' in html
    form = html.split('id="bulk-decisions"')[1].split("</fieldset>")[0]
    assert 'value="212"' in form and "Marquer encaissées" in form and 'value="205"' not in form

    buyer_only = User.objects.create_user("achats@client.example")
    DossierMembership.objects.create(dossier=world.active, user=buyer_only, can_handle_purchases=True)
    client.force_login(buyer_only)
    assert bulk_sales(client, world, sales[:1]).status_code == 403
    assert statuses(sales[:1]) == [205]
    assert "bulk-decisions" not in client.get(reverse("invoices:sales", args=[world.active.pk])).content.decode()
