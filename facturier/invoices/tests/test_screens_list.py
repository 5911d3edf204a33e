"""The sales and purchase lists: filters, search, sort, paging, labels, and a fixed query count."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from facturier.invoices.models import Anomaly, DeliveryState, Direction, Invoice, InvoiceState, ThirdParty
from facturier.invoices.queries import PAGE_SIZE
from facturier.invoices.tests.screens_data import make_invoice

pytestmark = pytest.mark.django_db


def listed(response):
    """The invoice numbers of the page, in order."""
    html = response.content.decode()
    rows = re.findall(r'<tr data-invoice="\d+">\s*(?:<td data-col="select">.*?</td>\s*)?'
                      r'<td data-col="number"><a href="[^"]+">([^<]*)</a>', html)
    return rows


@pytest.fixture
def owner(client, world):
    client.force_login(world.user("client"))
    return world.active


def purchases_url(dossier):
    return reverse("invoices:purchases", args=[dossier.pk])


def sales_url(dossier):
    return reverse("invoices:sales", args=[dossier.pk])


def test_lists_show_only_their_direction_and_dossier(client, world, owner):
    make_invoice(owner, Direction.PURCHASE, "ACHAT-1")
    make_invoice(owner, Direction.SALES, "VENTE-1", delivery_state=DeliveryState.PENDING)
    make_invoice(world.foreign, Direction.PURCHASE, "VOISIN-1")
    assert listed(client.get(purchases_url(owner))) == ["ACHAT-1"]
    response = client.get(sales_url(owner))
    assert listed(response) == ["VENTE-1"]
    assert "À envoyer" in response.content.decode()  # delivery state column on sales


def test_columns_show_counterparty_amounts_and_french_status(client, owner):
    make_invoice(owner, Direction.PURCHASE, "A-7", seller_name="Papeterie Martin", total_excl_vat=Decimal("250.00"),
                 total_incl_vat=Decimal("300.00"), due_date=datetime.date(2026, 4, 30), lifecycle_status=205)
    html = client.get(purchases_url(owner)).content.decode()
    for text in ("Papeterie Martin", "250,00", "300,00", "30/04/2026", "Approuvée", "01/03/2026"):
        assert text in html


def test_status_filter(client, owner):
    make_invoice(owner, number="A-1", lifecycle_status=205)
    make_invoice(owner, number="A-2", lifecycle_status=210)
    make_invoice(owner, number="A-3")
    assert listed(client.get(purchases_url(owner), {"statut": "210"})) == ["A-2"]


def test_draft_filter_on_sales(client, owner):
    make_invoice(owner, Direction.SALES, number="", state=InvoiceState.DRAFT, issue_date=None)
    make_invoice(owner, Direction.SALES, number="V-1")
    response = client.get(sales_url(owner), {"statut": "brouillon"})
    assert listed(response) == ["Brouillon"]


def test_anomaly_filter_keeps_invoices_with_an_open_anomaly(client, owner):
    open_one = make_invoice(owner, number="A-1")
    resolved = make_invoice(owner, number="A-2")
    make_invoice(owner, number="A-3")
    Anomaly.objects.create(invoice=open_one, kind=Anomaly.Kind.CLOSED)
    Anomaly.objects.create(invoice=open_one, kind=Anomaly.Kind.NOT_IN_SIRENE)
    Anomaly.objects.create(invoice=resolved, kind=Anomaly.Kind.CLOSED, resolved_at=open_one.created_at)
    response = client.get(purchases_url(owner), {"anomalie": "on"})
    assert listed(response) == ["A-1"]
    assert re.search(r'class="badge anomaly"[^>]*>2<', response.content.decode())


def test_period_filter(client, owner):
    for number, day in (("A-1", 1), ("A-2", 15), ("A-3", 28)):
        make_invoice(owner, number=number, issue_date=datetime.date(2026, 2, day))
    response = client.get(purchases_url(owner), {"du": "2026-02-10", "au": "2026-02-20"})
    assert listed(response) == ["A-2"]


def test_inverted_period_is_explained_not_a_500(client, owner):
    make_invoice(owner, number="A-1")
    response = client.get(purchases_url(owner), {"du": "2026-03-10", "au": "2026-03-01"})
    assert response.status_code == 200
    assert "La date de début doit précéder la date de fin." in response.content.decode()
    bad = client.get(purchases_url(owner), {"du": "pas une date", "statut": "999999", "page": "x"})
    assert bad.status_code == 200
    assert listed(bad) == ["A-1"]


def test_counterparty_filter_offers_only_the_dossiers_own_suppliers(client, world, owner):
    martin = ThirdParty.objects.create(dossier=owner, name="Martin", is_supplier=True)
    other = ThirdParty.objects.create(dossier=owner, name="Durand", is_supplier=True)
    foreign = ThirdParty.objects.create(dossier=world.foreign, name="Voisin", is_supplier=True)
    make_invoice(owner, number="A-1", third_party=martin)
    make_invoice(owner, number="A-2", third_party=other)
    assert listed(client.get(purchases_url(owner), {"tiers": martin.pk})) == ["A-1"]
    refused = client.get(purchases_url(owner), {"tiers": foreign.pk})
    assert "Voisin" not in refused.content.decode()
    assert "Sélectionnez un choix valide" in refused.content.decode()


@pytest.mark.parametrize("text, expected", [
    ("2026-0042", ["FA-2026-0042"]),
    ("papeterie", ["FA-2026-0043"]),
    ("552 100", ["FA-2026-0044"]),
])
def test_search_on_number_name_and_siren(client, owner, text, expected):
    make_invoice(owner, number="FA-2026-0042", seller_name="Garage Dupont", seller_siren="356000000")
    make_invoice(owner, number="FA-2026-0043", seller_name="Papeterie Martin", seller_siren="443061841")
    make_invoice(owner, number="FA-2026-0044", seller_name="Transports Léon", seller_siren="552100554")
    assert listed(client.get(purchases_url(owner), {"q": text})) == expected


def test_sales_search_looks_at_the_buyer(client, owner):
    make_invoice(owner, Direction.SALES, number="V-1", buyer_name="Boulangerie Soleil", seller_name="Moi")
    make_invoice(owner, Direction.SALES, number="V-2", buyer_name="Garage", seller_name="Boulangerie Soleil")
    assert listed(client.get(sales_url(owner), {"q": "soleil"})) == ["V-1"]


def test_sort_on_columns_both_ways(client, owner):
    make_invoice(owner, number="B", seller_name="Zèbre", total_incl_vat=Decimal("50"),
                 issue_date=datetime.date(2026, 1, 3))
    make_invoice(owner, number="C", seller_name="Alpha", total_incl_vat=Decimal("900"),
                 issue_date=datetime.date(2026, 1, 1))
    make_invoice(owner, number="A", seller_name="Milieu", total_incl_vat=Decimal("300"),
                 issue_date=datetime.date(2026, 1, 2))
    url = purchases_url(owner)
    assert listed(client.get(url)) == ["B", "A", "C"]  # newest first by default
    assert listed(client.get(url, {"tri": "numero"})) == ["A", "B", "C"]
    assert listed(client.get(url, {"tri": "-numero"})) == ["C", "B", "A"]
    assert listed(client.get(url, {"tri": "tiers"})) == ["C", "A", "B"]
    assert listed(client.get(url, {"tri": "-ttc"})) == ["C", "A", "B"]
    assert listed(client.get(url, {"tri": "date"})) == ["C", "A", "B"]
    assert listed(client.get(url, {"tri": "nimportequoi"})) == ["B", "A", "C"]
    html = client.get(url, {"tri": "numero"}).content.decode()
    assert "?tri=-numero" in html  # the sorted column's link reverses the order


def test_paging_walks_every_invoice_once_and_keeps_filters(client, owner):
    total = PAGE_SIZE * 2 + 7
    Invoice.objects.bulk_create([
        Invoice(dossier=owner, direction=Direction.PURCHASE, state=InvoiceState.RECEIVED, number=f"A-{n:04d}",
                issue_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n % 5), seller_name="X")
        for n in range(total)
    ])
    seen = []
    for page in (1, 2, 3):
        response = client.get(purchases_url(owner), {"tri": "date", "page": page})
        seen += listed(response)
    assert len(seen) == total and len(set(seen)) == total
    last = client.get(purchases_url(owner), {"tri": "date", "page": 99})  # beyond the end: the last page
    assert len(listed(last)) == 7
    second = client.get(purchases_url(owner), {"q": "A-", "page": 2}).content.decode()
    assert "q=A-" in second and "page=3" in second and "page=1" in second


def test_query_count_does_not_grow_with_the_page(client, owner, django_assert_max_num_queries):
    def fill(count, start):
        rows = []
        for n in range(start, start + count):
            invoice = make_invoice(owner, number=f"A-{n:04d}")
            rows.append(invoice)
            Anomaly.objects.create(invoice=invoice, kind=Anomaly.Kind.CLOSED)
        return rows

    fill(2, 0)
    client.get(purchases_url(owner))  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(purchases_url(owner), {"tri": "ttc", "anomalie": "on"})
    fill(PAGE_SIZE, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(purchases_url(owner), {"tri": "ttc", "anomalie": "on"})
    assert len(listed(response)) == PAGE_SIZE


def test_search_pages_count_in_one_pass_and_past_the_end_falls_back(client, owner):
    Invoice.objects.bulk_create([
        Invoice(dossier=owner, direction=Direction.PURCHASE, state=InvoiceState.RECEIVED, number=f"A-{n:04d}",
                issue_date=datetime.date(2026, 1, 1), seller_name="Garage" if n % 2 else "Papeterie")
        for n in range(PAGE_SIZE * 2 + 10)
    ])
    url = purchases_url(owner)
    first = client.get(url, {"q": "garage"})
    assert first.context["page"].count == PAGE_SIZE + 5 and len(listed(first)) == PAGE_SIZE
    beyond = client.get(url, {"q": "garage", "page": 7})
    assert beyond.context["page"].number == 2 and len(listed(beyond)) == 5
    nothing = client.get(url, {"q": "introuvable"})
    assert nothing.context["page"].count == 0 and "Aucune facture ne correspond" in nothing.content.decode()


def test_aging_links_filter_the_list_like_the_dashboard_buckets(client, world):
    """The dossier home's schedule cells link here: the list shows exactly the bucket's invoices."""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from facturier.dashboard.aging import schedules
    from facturier.invoices.models import Direction, Invoice, InvoiceState

    today = timezone.localdate()
    dossier = world.active

    def purchase(number, due_in, *, paid=False, status=None):
        return Invoice.objects.create(
            dossier=dossier, direction=Direction.PURCHASE, state=InvoiceState.RECEIVED, number=number,
            issue_date=today - timedelta(days=40), due_date=today + timedelta(days=due_in), seller_name="Fournisseur",
            amount_due=100, amount_paid=100 if paid else 0, lifecycle_status=status,
        )

    purchase("LATE", -1)
    purchase("SOON", 10)
    purchase("PAID-LATE", -5, paid=True)
    purchase("REFUSED-LATE", -3, status=210)
    purchase("LATER", 45)
    client.force_login(world.people["client"])
    schedule = schedules(dossier, today)[Direction.PURCHASE]

    def numbers(url):
        page = client.get(url).content.decode()
        return {n for n in ("LATE", "SOON", "PAID-LATE", "REFUSED-LATE", "LATER") if f">{n}<" in page}

    assert schedule.buckets[0].url.startswith(reverse("invoices:purchases", args=[dossier.pk]))
    assert numbers(schedule.buckets[0].url) == {"LATE"}
    assert numbers(schedule.buckets[1].url) == {"SOON"}
    assert numbers(schedule.buckets[2].url) == {"LATER"}
    assert numbers(schedule.total.url) == {"LATE", "SOON", "LATER"}
