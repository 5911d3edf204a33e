"""The sales and purchase lists sort the customer or supplier in French order, through an index.

"Égypte" sorts next to "Espagne" and "élodie" with "Elodie" on SQLite and PostgreSQL alike, a
walk through the pages shows every invoice once, and the database reads the page from the
counterparty's collated index instead of sorting a dossier's invoices at each request.
"""

import pytest
from django.db import connection
from django.urls import reverse

from facturier.collation import collation_key
from facturier.invoices import queries
from facturier.invoices.models import Direction, Invoice, InvoiceState
from facturier.invoices.queries import PAGE_SIZE
from facturier.invoices.tests.screens_data import make_invoice
from facturier.invoices.tests.test_screens_list import listed

pytestmark = pytest.mark.django_db

NAMES = ["Zambie SARL", "élodie Martin", "Espagne SA", "Elodie Bernard", "Égypte SAS", "œuvres sociales", "Oman"]
FRENCH_ORDER = ["Égypte SAS", "Elodie Bernard", "élodie Martin", "Espagne SA", "œuvres sociales", "Oman",
                "Zambie SARL"]
LIST = {Direction.SALES: "invoices:sales", Direction.PURCHASE: "invoices:purchases"}
COUNTERPARTY = {Direction.SALES: "buyer_name", Direction.PURCHASE: "seller_name"}


@pytest.fixture
def owner(client, world):
    client.force_login(world.user("client"))
    return world.active


@pytest.mark.parametrize("direction", [Direction.SALES, Direction.PURCHASE])
def test_the_counterparty_column_sorts_in_french_order_both_ways(client, owner, direction):
    for name in NAMES:
        make_invoice(owner, direction, number=name, **{COUNTERPARTY[direction]: name})
    url = reverse(LIST[direction], args=[owner.pk])
    assert listed(client.get(url, {"tri": "tiers"})) == FRENCH_ORDER
    assert listed(client.get(url, {"tri": "-tiers"})) == FRENCH_ORDER[::-1]


@pytest.mark.parametrize("sort", ["tiers", "-tiers"])
def test_paging_by_counterparty_shows_every_invoice_once_in_french_order(client, owner, sort):
    # Names equal but for accents and case, many invoices each: the page boundaries fall inside ties.
    names = ["Égypte Import", "egypte import", "Espagne Export", "Élodie Martin", "elodie bernard", "Eole",
             "Zèbre", "Œuvres", "Oman", "Abricot", "abricot"]
    total = PAGE_SIZE * 2 + 13
    Invoice.objects.bulk_create([
        Invoice(dossier=owner, direction=Direction.PURCHASE, state=InvoiceState.RECEIVED, number=f"A-{n:04d}",
                seller_name=names[n * 7 % len(names)])
        for n in range(total)
    ])
    url = reverse(LIST[Direction.PURCHASE], args=[owner.pk])
    seen = []
    for page in (1, 2, 3):
        seen += listed(client.get(url, {"tri": sort, "page": page}))
    assert len(seen) == total and len(set(seen)) == total, "no invoice skipped or shown twice"
    name_of = dict(Invoice.objects.values_list("number", "seller_name"))
    letters = [collation_key(name_of[number])[0] for number in seen]  # accents and case set aside
    assert letters == sorted(letters, reverse=sort.startswith("-"))
    assert letters[0] == "abricot" if sort == "tiers" else "zebre"


@pytest.mark.parametrize("direction", [Direction.SALES, Direction.PURCHASE])
@pytest.mark.parametrize("descending", [False, True])
def test_a_page_sorted_by_counterparty_is_read_from_its_collated_index(owner, direction, descending):
    for name in NAMES:
        make_invoice(owner, direction, number=name, **{COUNTERPARTY[direction]: name})
    ordered = queries.dossier_invoices(owner, direction).order_by(*queries.ordering("tiers", descending, direction))
    if connection.vendor == "postgresql":
        # A handful of rows: tell the planner what 100,000 would, that scanning and sorting cost more.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
    plan = ordered.values_list("pk", flat=True)[PAGE_SIZE:PAGE_SIZE * 2].explain()
    index = "inv_list_buyer_fr" if direction == Direction.SALES else "inv_list_seller_fr"
    assert index in plan
    assert "TEMP B-TREE" not in plan.upper() and "Sort" not in plan, plan
