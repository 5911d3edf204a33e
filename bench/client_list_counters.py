"""Server time of the client list with its three invoice counters, 2,000 dossiers.

The firm and its 2,000 dossiers are those of ``bench/client_list.py``; each
dossier then gets invoices in every counted state (about 50,000 in all, a few
with open anomalies). Times the client list through Django's test client:
median of N requests per scenario, sorting on each counter included, with the
number of SQL queries (it must not grow with the rows). Goal: median ≤ 150 ms.
Throwaway SQLite database, or PostgreSQL when DATABASE_URL is given.

    python bench/client_list_counters.py [--requests 15] [--invoices 25]
"""

import argparse
import datetime
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import client_list
import support
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from facturier.dossiers.models import Dossier
from facturier.invoices.models import Anomaly, DeliveryState, Direction, Invoice, InvoiceState

GOAL_MS = 150


def invoice_states(n, now):
    """Cycle through the states the counters tell apart."""
    sales = {"direction": Direction.SALES, "state": InvoiceState.ISSUED}
    purchase = {"direction": Direction.PURCHASE, "state": InvoiceState.RECEIVED}
    cycle = [
        {**sales, "delivery_state": DeliveryState.PENDING},
        {**sales, "delivery_state": DeliveryState.DELIVERED},
        {**sales, "delivery_state": DeliveryState.FAILED},
        {**sales, "delivery_state": DeliveryState.DELIVERED, "integrated_at": now},
        {**purchase, "approved_at": now},
        {**purchase, "approved_at": now, "integrated_at": now},
        {**purchase, "needs_decision": True},
        {**purchase},
        {"direction": Direction.SALES, "state": InvoiceState.DRAFT},
    ]
    return cycle[n % len(cycle)]


def add_invoices(firm, per_dossier):
    now = timezone.now()
    day = datetime.date(2026, 1, 1)
    rows = []
    for dossier_id in Dossier.objects.filter(firm=firm).values_list("pk", flat=True):
        for n in range(per_dossier):
            fields = invoice_states(n + dossier_id, now)
            rows.append(Invoice(
                dossier_id=dossier_id, number=f"F{n:05d}" if fields["state"] != InvoiceState.DRAFT else "",
                issue_date=day + datetime.timedelta(days=n), issue_year=2026, seller_name="Vendeur",
                seller_siren="123456782", buyer_name="Acheteur", total_excl_vat=Decimal("100.00"),
                total_incl_vat=Decimal("120.00"), **fields,
            ))
    Invoice.objects.bulk_create(rows, batch_size=2000)
    # An open blocking anomaly on one purchase invoice in seven, on invoices not yet waiting for a decision.
    flagged = Invoice.objects.filter(dossier__firm=firm, direction=Direction.PURCHASE, needs_decision=False)
    Anomaly.objects.bulk_create(
        [Anomaly(invoice_id=pk, kind=Anomaly.Kind.INSOLVENCY) for pk in flagged.values_list("pk", flat=True)[::7]],
        batch_size=2000,
    )
    return len(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=support.size(15, 1))
    parser.add_argument("--invoices", type=int, default=support.size(25, 2), help="invoices per dossier")
    args = parser.parse_args()
    vendor = connection.vendor
    postgres = vendor == "postgresql"
    if postgres:
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    try:
        firm, admin, staff = client_list.populate()
        total = add_invoices(firm, args.invoices)
        with connection.cursor() as cursor:
            # Statistics and, on PostgreSQL, the visibility map autovacuum keeps in
            # steady state (index-only scans need it); a bulk insert leaves neither.
            cursor.execute("VACUUM ANALYZE" if postgres else "ANALYZE")
        base = reverse("dashboard:clients", args=[firm.pk])
        scenarios = [
            ("admin", admin, base),
            ("admin", admin, base + "?tri=-name&page=20"),
            ("admin", admin, base + "?tri=-to_send"),
            ("admin", admin, base + "?tri=-awaiting"),
            ("admin", admin, base + "?tri=-action&taille=100"),
            ("admin", admin, base + "?q=garage&tri=action"),
            ("staff", staff, base),
            ("staff", staff, base + "?tri=-action"),
        ]
        print(f"Client list with counters, {client_list.DOSSIERS} dossiers, {total} invoices, {vendor}, "
              f"median of {args.requests} requests (goal ≤ {GOAL_MS} ms)")
        worst = 0
        for role, user, url in scenarios:
            median, slowest, queries = support.page_timings(user, url, args.requests)
            worst = max(worst, median)
            print(f"  {role:5}  {url.replace(base, '/…/clients/'):40}  median {median:6.1f} ms  "
                  f"max {slowest:6.1f} ms  {queries} queries")
        print(f"  worst median {worst:.1f} ms: {'OK' if worst <= GOAL_MS else 'ABOVE GOAL'}")
    finally:
        if postgres:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"].removeprefix("test_"), verbosity=0)


if __name__ == "__main__":
    main()
