"""Server time of a dossier's purchase invoice list at 100,000 invoices.

Builds a throwaway database (SQLite under a temporary directory; PostgreSQL
when DATABASE_URL is given: a test database created and dropped), fills one
dossier with 100,000 purchase invoices (bulk_create: 500 suppliers, every
lifecycle status, a few open anomalies), then times the list through Django's
test client: median of N requests per scenario (first page, filtered, searched,
sorted, deep page), with the number of SQL queries. Goal: median ≤ 200 ms.

    python bench/invoice_list.py [--requests 15] [--invoices 100000]
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
import warnings
from decimal import Decimal
from pathlib import Path

import support

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("FACTURIER_DATA_DIR", tempfile.mkdtemp(prefix="facturier-bench-"))
os.environ["FACTURIER_TESTING"] = "1"
os.environ["FACTURIER_ALLOWED_HOSTS"] = "testserver"
os.environ["DJANGO_SETTINGS_MODULE"] = "facturier.settings"
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from facturier.accounts.models import User  # noqa: E402
from facturier.dossiers.models import Dossier, DossierMembership, DossierStatus  # noqa: E402
from facturier.firms.models import Firm  # noqa: E402
from facturier.invoices.models import (  # noqa: E402
    Anomaly,
    Direction,
    Invoice,
    InvoiceState,
    ThirdParty,
)

GOAL_MS = 200
SUPPLIERS = 500
STATUSES = [None, 202, 204, 205, 206, 207, 208, 210, 211]
WORDS = ["Papeterie", "Garage", "Transports", "Boulangerie", "Imprimerie", "Électricité", "Plomberie", "Conseil"]


def populate(count):
    user = User.objects.create_user("owner@bench.example", full_name="Dirigeant Bench")
    firm = Firm.objects.create(siren="732829320", name="Cabinet Bench", terms_accepted_at=timezone.now())
    dossier = Dossier.objects.create(
        firm=firm, name="Client Bench", siren="356000000", fiscal_year_end_month=12, address="1 rue",
        postal_code="75001", city="Paris", representative_name="Dirigeant", representative_email="d@bench.example",
        status=DossierStatus.ACTIVE, owner=user,
    )
    DossierMembership.objects.create(dossier=dossier, user=user, is_owner=True)
    ThirdParty.objects.bulk_create([
        ThirdParty(dossier=dossier, is_supplier=True, name=f"{WORDS[n % len(WORDS)]} {n:03d}",
                   siren=f"{100000000 + n * 7919:09d}")
        for n in range(SUPPLIERS)
    ])
    suppliers = list(ThirdParty.objects.filter(dossier=dossier).values_list("pk", "name", "siren"))
    rng = random.Random(4)
    start = datetime.date(2020, 1, 1)
    rows = []
    for n in range(count):
        pk, name, siren = suppliers[rng.randrange(SUPPLIERS)]
        day = start + datetime.timedelta(days=rng.randrange(6 * 365))
        amount = Decimal(rng.randrange(1_000, 5_000_000)) / 100
        rows.append(Invoice(
            dossier=dossier, direction=Direction.PURCHASE, state=InvoiceState.RECEIVED, third_party_id=pk,
            number=f"FA-{day.year}-{n:06d}", issue_date=day, issue_year=day.year,
            due_date=day + datetime.timedelta(days=30), seller_name=name, seller_siren=siren,
            buyer_name="Client Bench", buyer_siren="356000000", total_excl_vat=amount,
            total_vat=(amount * Decimal("0.2")).quantize(Decimal("0.01")),
            total_incl_vat=(amount * Decimal("1.2")).quantize(Decimal("0.01")),
            lifecycle_status=STATUSES[n % len(STATUSES)],
        ))
    Invoice.objects.bulk_create(rows, batch_size=5000)
    flagged = Invoice.objects.filter(dossier=dossier).values_list("pk", flat=True)[::200]
    Anomaly.objects.bulk_create([Anomaly(invoice_id=pk, kind=Anomaly.Kind.INSOLVENCY) for pk in flagged])
    return dossier, user, suppliers[0][0]




def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=support.size(15, 1))
    parser.add_argument("--invoices", type=int, default=support.size(100_000, 300))
    args = parser.parse_args()
    vendor = connection.vendor
    postgres = vendor == "postgresql"
    if postgres:
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    try:
        dossier, user, supplier = populate(args.invoices)
        with connection.cursor() as cursor:
            # Statistics and, on PostgreSQL, the visibility map autovacuum keeps in
            # steady state (index-only scans need it); a bulk insert leaves neither.
            cursor.execute("VACUUM ANALYZE" if postgres else "ANALYZE")
        base = reverse("invoices:purchases", args=[dossier.pk])
        last = (args.invoices + 49) // 50
        scenarios = [
            base,
            base + "?statut=207",
            base + "?anomalie=on",
            base + "?du=2023-01-01&au=2023-03-31",
            base + f"?tiers={supplier}",
            base + "?q=garage",
            base + "?q=FA-2024-0001",
            base + "?tri=-ttc",
            base + "?tri=tiers",  # French order (Électricité among the E), from the collated index
            base + f"?tri=-tiers&page={last // 2}",
            base + f"?page={last // 2}",
            base + f"?page={last}",
            base + f"?tri=-ttc&page={last - 1}",
        ]
        print(f"Purchase invoice list, {args.invoices} invoices in one dossier, {vendor}, "
              f"median of {args.requests} requests (goal ≤ {GOAL_MS} ms)")
        worst = 0
        for url in scenarios:
            median, slowest, queries = support.page_timings(user, url, args.requests, warm_up=support.size(2, 0))
            worst = max(worst, median)
            print(f"  {url.replace(base, '/…/achats/'):42}  median {median:6.1f} ms  max {slowest:6.1f} ms  "
                  f"{queries} queries")
        print(f"  worst median {worst:.1f} ms: {'OK' if worst <= GOAL_MS else 'ABOVE GOAL'}")
    finally:
        if postgres:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"].removeprefix("test_"), verbosity=0)


if __name__ == "__main__":
    main()
