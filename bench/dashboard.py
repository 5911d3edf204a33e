"""Server time of the dossier home (seed page 17) for a dossier with 100,000 invoices.

Builds a throwaway database (SQLite under a temporary directory; PostgreSQL
when DATABASE_URL is given: a test database created and dropped), fills one
dossier with 100,000 purchase and sales invoices over two years (bulk_create),
300 third parties and 500 tasks, then times the dossier home through Django's
test client: median of N requests, for the owner and an assigned staff
member, with the number of SQL queries, and the time of each dashboard query
alone. The two covering indexes of facturier/invoices/models.py
(invoice_activity_idx, invoice_open_due_idx) serve the dashboard's queries.
Goal: median ≤ 150 ms.

    python bench/dashboard.py [--invoices 100000] [--requests 25]
"""

import argparse
import datetime
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from decimal import Decimal
from pathlib import Path

import support

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
SCRATCH = tempfile.mkdtemp(prefix="facturier-bench-dashboard-")
os.environ.setdefault("FACTURIER_DATA_DIR", SCRATCH)
os.environ["FACTURIER_TESTING"] = "1"  # plain static storage, immediate tasks, no mail sent
os.environ["FACTURIER_ALLOWED_HOSTS"] = "testserver"
os.environ["DJANGO_SETTINGS_MODULE"] = "facturier.settings"
warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collected static files here

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from facturier.accounts.models import User  # noqa: E402
from facturier.dashboard import activity, aging  # noqa: E402
from facturier.dossiers.models import (  # noqa: E402
    Assignment,
    Dossier,
    DossierMembership,
    DossierStatus,
)
from facturier.firms.models import Firm, FirmMembership, Role  # noqa: E402
from facturier.invoices.models import Direction, Invoice, InvoiceState, Task, ThirdParty  # noqa: E402
from facturier.invoices.todo import dossier_tasks  # noqa: E402

GOAL_MS = 150
PARTIES = 300
TASKS = 500


def populate(count):
    rng = random.Random(17)
    accountant = User.objects.create_user("ec@bench.example", full_name="Expert Bench", sso_subject="bench-ec")
    staff = User.objects.create_user("staff@bench.example", full_name="Collaborateur", sso_subject="bench-staff")
    owner = User.objects.create_user("owner@bench.example", full_name="Dirigeant Bench")
    firm = Firm.objects.create(siren="732829320", name="Cabinet Bench", terms_accepted_at=timezone.now(),
                               terms_accepted_by=accountant)
    FirmMembership.objects.create(firm=firm, user=accountant, role=Role.CHARTERED_ACCOUNTANT, has_delegation=True)
    FirmMembership.objects.create(firm=firm, user=staff, has_delegation=True)
    dossier = Dossier.objects.create(
        firm=firm, name="BIOBURO", siren="503776874", fiscal_year_end_month=12, address="1 rue du Bench",
        postal_code="75011", city="Paris", representative_name="Dirigeant", representative_email="d@bench.example",
        status=DossierStatus.ACTIVE, owner=owner, activated_at=timezone.now(),
    )
    DossierMembership.objects.create(dossier=dossier, user=owner, is_owner=True, can_manage_users=True,
                                     can_issue_sales=True, can_handle_purchases=True)
    Assignment.objects.create(dossier=dossier, user=staff)
    # A second dossier of the same size shares the table, as in a real firm.
    other = Dossier.objects.create(
        firm=firm, name="AUTRE", siren="356000000", fiscal_year_end_month=12, address="2 rue du Bench",
        postal_code="75011", city="Paris", representative_name="Autre", representative_email="a@bench.example",
        status=DossierStatus.ACTIVE,
    )
    parties = ThirdParty.objects.bulk_create([
        ThirdParty(dossier=dossier, name=f"Tiers {n:03d}", is_customer=n % 2 == 0, is_supplier=n % 2 == 1)
        for n in range(PARTIES)
    ])
    today = timezone.localdate()
    for target in (dossier, other):
        Invoice.objects.bulk_create((invoice(target, n, rng, parties, today) for n in range(count)), batch_size=2000)
    Task.objects.bulk_create([
        Task(dossier=dossier, title=f"Tâche {n}", for_firm=n % 3 == 0, for_client=n % 3 == 1,
             assignee=staff if n % 3 == 2 else None, done_at=timezone.now() if n % 2 else None)
        for n in range(TASKS)
    ])
    return dossier, owner, staff


def invoice(dossier, n, rng, parties, today):
    direction = Direction.SALES if n % 2 else Direction.PURCHASE
    issued = today - datetime.timedelta(days=rng.randrange(730))
    excl = Decimal(rng.randrange(1_000, 500_000)) / 100
    incl = (excl * Decimal("1.2")).quantize(Decimal("0.01"))
    # Old invoices are nearly all paid; recent ones often still open, some in part.
    recent = (today - issued).days < 120
    paid = rng.choice([incl, Decimal(0), Decimal(0), (incl / 2).quantize(Decimal("0.01"))]) if recent else (
        incl if rng.random() < 0.97 else Decimal(0))
    party = parties[n % PARTIES] if n % 3 else None
    return Invoice(
        dossier=dossier, direction=direction,
        state=InvoiceState.ISSUED if direction == Direction.SALES else InvoiceState.RECEIVED,
        number=f"F{n:07d}", issue_date=issued, issue_year=issued.year,
        due_date=issued + datetime.timedelta(days=rng.choice([0, 30, 45, 60, 90, 120])),
        is_credit_note=n % 20 == 0, seller_name=f"Vendeur {n % 500}", buyer_name=f"Acheteur {n % 500}",
        total_excl_vat=excl, total_vat=incl - excl, total_incl_vat=incl, amount_due=incl, amount_paid=paid,
        lifecycle_status=rng.choice([None, None, None, 205, 212, 210]), third_party=party,
    )


def measure(user, url, requests):
    """Median and worst wall time, median CPU time of this process (the whole
    request on SQLite, which runs in-process: a figure the machine's load does
    not inflate), and the number of queries."""
    client = Client()
    client.force_login(user)
    for _ in range(support.size(3, 0)):  # warm caches and connections
        assert client.get(url).status_code == 200
    wall, cpu = [], []
    for _ in range(requests):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(wall), max(wall), statistics.median(cpu), len(queries.captured_queries)


def time_widgets(dossier, user, requests):
    today = timezone.localdate()
    window = activity.Window.ending(today)
    widgets = {
        "échéanciers": lambda: aging.schedules(dossier, today),
        "évolution mensuelle et top 5": lambda: activity.activity(dossier, window),
        "mes tâches": lambda: dossier_tasks(user, dossier),
    }
    for name, widget in widgets.items():
        timings = []
        for _ in range(requests):
            start = time.perf_counter()
            widget()
            timings.append((time.perf_counter() - start) * 1000)
        print(f"      {name:28} alone: median {statistics.median(timings):6.1f} ms")


def analyze(postgres):
    """Planner statistics (and, on PostgreSQL, the visibility map index-only scans need), as autovacuum keeps them."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if postgres else "ANALYZE")


def run(dossier, owner, staff, requests, label):
    print(f"  {label} (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):")
    url = reverse("dashboard:home", args=[dossier.pk])
    worst = 0
    for role, user in (("owner", owner), ("staff", staff)):
        median, slowest, cpu, queries = measure(user, url, requests)
        worst = max(worst, median)
        print(f"    {role:5} dossier home  median {median:6.1f} ms  max {slowest:6.1f} ms  "
              f"CPU median {cpu:6.1f} ms  {queries} queries")
    time_widgets(dossier, owner, max(support.size(5, 1), requests // 3))
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=support.size(100_000, 300))
    parser.add_argument("--requests", type=int, default=support.size(25, 1))
    args = parser.parse_args()
    vendor = connection.vendor
    postgres = vendor == "postgresql"
    if postgres:
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    try:
        start = time.perf_counter()
        dossier, owner, staff = populate(args.invoices)
        analyze(postgres)
        print(f"Dossier home, {args.invoices:,} invoices in the dossier (and as many in another), {vendor}; "
              f"built in {time.perf_counter() - start:.0f} s; median of {args.requests} requests "
              f"(goal ≤ {GOAL_MS} ms)")
        worst = run(dossier, owner, staff, args.requests, "with the covering indexes of the invoices app")
        print(f"  worst median {worst:.1f} ms: {'OK' if worst <= GOAL_MS else 'ABOVE GOAL'}")
    finally:
        if postgres:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"].removeprefix("test_"), verbosity=0)
        connection.close()
        shutil.rmtree(SCRATCH, ignore_errors=True)


if __name__ == "__main__":
    main()
