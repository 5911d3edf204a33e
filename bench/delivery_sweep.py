"""Time of the delivery sweep's queries at 100,000 issued invoices, and their plan.

The worker looks, twice per grace period, for the issued invoices and the
recorded statuses whose delivery task was lost. Builds a throwaway database
(SQLite under a temporary directory; PostgreSQL when DATABASE_URL is given: a
test database created and dropped), fills one dossier with 100,000 delivered
sales invoices (each with its "Déposée" status, its delivery and a status the
seller recorded and that travelled), then a few invoices and statuses left
without a delivery, and times the two candidate queries: median of N runs, with
the plan. Goal: median ≤ 20 ms, whatever the number of invoices delivered.

    python bench/delivery_sweep.py [--runs 20] [--invoices 100000]
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import support

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("FACTURIER_DATA_DIR", tempfile.mkdtemp(prefix="facturier-bench-"))
os.environ["FACTURIER_TESTING"] = "1"
os.environ["DJANGO_SETTINGS_MODULE"] = "facturier.settings"
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from einvoice.lifecycle import LifecycleStatus  # noqa: E402
from facturier.accounts.models import User  # noqa: E402
from facturier.dossiers.models import Dossier, DossierStatus  # noqa: E402
from facturier.exchange.delivery import uncarried_events, undelivered_invoices  # noqa: E402
from facturier.exchange.models import Delivery  # noqa: E402
from facturier.firms.models import Firm  # noqa: E402
from facturier.invoices.models import DeliveryState, Direction, Invoice, InvoiceState, LifecycleEvent  # noqa: E402

GOAL_MS = 20
LOST = 20  # invoices, and statuses, whose task was lost
Party = LifecycleEvent.Party


def populate(count):
    user = User.objects.create_user("owner@bench.example", full_name="Dirigeant Bench")
    firm = Firm.objects.create(siren="732829320", name="Cabinet Bench", terms_accepted_at=timezone.now())
    dossier = Dossier.objects.create(
        firm=firm, name="Client Bench", siren="356000000", fiscal_year_end_month=12, address="1 rue",
        postal_code="75001", city="Paris", representative_name="Dirigeant", representative_email="d@bench.example",
        status=DossierStatus.ACTIVE, owner=user,
    )
    now = timezone.now()
    start = now - datetime.timedelta(days=365)
    step = datetime.timedelta(days=365) / max(count, 1)
    day = datetime.date.today()
    delivered = Invoice.objects.bulk_create([
        Invoice(dossier=dossier, direction=Direction.SALES, state=InvoiceState.ISSUED, number=f"F-{n:06d}",
                issue_date=day, issue_year=day.year, delivery_state=DeliveryState.DELIVERED,
                created_at=start + step * n)
        for n in range(count)
    ], batch_size=5000)
    lost = Invoice.objects.bulk_create([
        Invoice(dossier=dossier, direction=Direction.SALES, state=InvoiceState.ISSUED, number=f"P-{n:06d}",
                issue_date=day, issue_year=day.year, delivery_state=DeliveryState.PENDING, created_at=now)
        for n in range(LOST)
    ])
    an_hour_ago = now - datetime.timedelta(hours=1)
    events = [LifecycleEvent(invoice=invoice, status=LifecycleStatus.DEPOSEE, party=Party.PLATFORM,
                             at=invoice.created_at) for invoice in delivered]
    events += [LifecycleEvent(invoice=invoice, status=LifecycleStatus.DEPOSEE, party=Party.PLATFORM, at=an_hour_ago)
               for invoice in lost]
    paid = [LifecycleEvent(invoice=invoice, status=LifecycleStatus.ENCAISSEE, party=Party.SELLER,
                           at=invoice.created_at + datetime.timedelta(hours=1)) for invoice in delivered]
    LifecycleEvent.objects.bulk_create(events, batch_size=5000)
    paid = LifecycleEvent.objects.bulk_create(paid, batch_size=5000)
    Delivery.objects.bulk_create([
        Delivery(invoice=invoice, kind=Delivery.Kind.INVOICE, initial=True, channel="email",
                 state=Delivery.State.SENT) for invoice in delivered], batch_size=5000)
    Delivery.objects.bulk_create([
        Delivery(invoice_id=event.invoice_id, event=event, kind=Delivery.Kind.EVENT, channel="email",
                 state=Delivery.State.SENT) for event in paid], batch_size=5000)
    LifecycleEvent.objects.bulk_create([
        LifecycleEvent(invoice=invoice, status=LifecycleStatus.ENCAISSEE, party=Party.SELLER, at=an_hour_ago)
        for invoice in delivered[-LOST:]])


def timed(query, runs):
    timings = []
    for _ in range(runs):
        begin = time.perf_counter()
        found = len(list(query()))
        timings.append((time.perf_counter() - begin) * 1000)
    return statistics.median(timings), found


def plan(queryset):
    return queryset.select_related(None).only("pk").explain()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=support.size(20, 2))
    parser.add_argument("--invoices", type=int, default=support.size(100_000, 300))
    args = parser.parse_args()
    postgres = connection.vendor == "postgresql"
    if postgres:
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    try:
        populate(args.invoices)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if postgres else "ANALYZE")
        cutoff = timezone.now() - datetime.timedelta(seconds=settings.DELIVERY_GRACE_SECONDS)
        print(f"Delivery sweep, {args.invoices} delivered invoices and {2 * args.invoices} statuses, "
              f"{LOST} lost invoices and {LOST} lost statuses, {connection.vendor}, median of {args.runs} runs "
              f"(goal ≤ {GOAL_MS} ms)")
        worst = 0
        for label, query in [("invoices", lambda: undelivered_invoices(cutoff)),
                             ("statuses", lambda: uncarried_events(cutoff))]:
            median, found = timed(query, args.runs)
            worst = max(worst, median)
            assert found == LOST, (label, found)
            print(f"  {label:9} {found} found  median {median:6.2f} ms")
            print("    " + plan(query()).replace("\n", "\n    "))
        print(f"  worst median {worst:.2f} ms: {'OK' if worst <= GOAL_MS else 'ABOVE GOAL'}")
    finally:
        if postgres:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"].removeprefix("test_"), verbosity=0)


if __name__ == "__main__":
    main()
