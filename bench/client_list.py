"""Server time of the client list for a firm with 2,000 dossiers.

Builds a throwaway database (SQLite under a temporary directory; PostgreSQL
when DATABASE_URL is given: a test database created and dropped), fills a
firm with 2,000 dossiers and their assignments, then times the client list
view through Django's test client: median of N requests per scenario, for an
admin and a staff member, first page and sorted/searched pages, with the number
of SQL queries. Goal: median ≤ 150 ms.

    python bench/client_list.py [--requests 25]
"""

import argparse
import os
import sys
import tempfile
import warnings
from pathlib import Path

import support

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("FACTURIER_DATA_DIR", tempfile.mkdtemp(prefix="facturier-bench-"))
os.environ["FACTURIER_TESTING"] = "1"  # plain static storage, immediate tasks, no mail sent
os.environ["FACTURIER_ALLOWED_HOSTS"] = "testserver"
os.environ["DJANGO_SETTINGS_MODULE"] = "facturier.settings"
warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collected static files here

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from stdnum import luhn  # noqa: E402

from facturier.accounts.models import User  # noqa: E402
from facturier.dossiers.models import Assignment, Dossier, DossierStatus  # noqa: E402
from facturier.firms.models import Firm, FirmMembership, Role  # noqa: E402

DOSSIERS = support.size(2000, 60)
STAFF = 10
GOAL_MS = 150
WORDS = ["Boulangerie", "Garage", "Menuiserie", "Pharmacie", "Transports", "Atelier", "SARL", "SCI", "Cabinet",
         "Fromagerie"]
STATUSES = [DossierStatus.NOT_ACTIVATED, DossierStatus.INVITED, DossierStatus.ACTIVE]


def siren(number):
    base = f"{number:08d}"
    return base + luhn.calc_check_digit(base)


def populate():
    accountant = User.objects.create_user("ec@bench.example", full_name="Expert Bench", sso_subject="bench-ec")
    firm = Firm.objects.create(siren="732829320", name="Cabinet Bench", terms_accepted_at=timezone.now(),
                               terms_accepted_by=accountant)
    FirmMembership.objects.create(firm=firm, user=accountant, role=Role.CHARTERED_ACCOUNTANT, has_delegation=True)
    staff = [User.objects.create_user(f"staff{i}@bench.example", full_name=f"Collaborateur {i}",
                                      sso_subject=f"bench-staff-{i}") for i in range(STAFF)]
    FirmMembership.objects.bulk_create([FirmMembership(firm=firm, user=u, has_delegation=True) for u in staff])
    Dossier.objects.bulk_create([
        Dossier(firm=firm, name=f"{WORDS[i % len(WORDS)]} {WORDS[(i // 10) % len(WORDS)]} {i:04d}",
                siren=siren(10_000_000 + i * 37), vat_number="", fiscal_year_end_month=1 + i % 12,
                address=f"{i} rue de la République", postal_code="75011", city="Paris",
                representative_name=f"Dirigeant {i}", representative_email=f"dirigeant{i}@client.example",
                status=STATUSES[i % 3])
        for i in range(DOSSIERS)
    ], batch_size=500)
    ids = list(Dossier.objects.filter(firm=firm).values_list("pk", flat=True))
    # Each dossier has one or two staff members; staff 0 gets about a fifth of them.
    Assignment.objects.bulk_create(
        [Assignment(dossier_id=pk, user=staff[n % STAFF]) for n, pk in enumerate(ids)]
        + [Assignment(dossier_id=pk, user=staff[(n + 3) % STAFF]) for n, pk in enumerate(ids) if n % 2], batch_size=1000
    )
    return firm, accountant, staff[0]




def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=support.size(25, 1))
    args = parser.parse_args()
    vendor = connection.vendor
    postgres = vendor == "postgresql"
    if postgres:
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    try:
        firm, admin, staff = populate()
        base = reverse("dashboard:clients", args=[firm.pk])
        scenarios = [
            ("admin", admin, base),
            ("admin", admin, base + "?tri=-name&page=20"),
            ("admin", admin, base + "?q=garage&tri=status"),
            ("admin", admin, base + "?q=garage&tri=-month&taille=100"),
            ("staff", staff, base),
            ("staff", staff, base + "?q=sarl&tri=-number"),
        ]
        print(f"Client list, {DOSSIERS} dossiers, {vendor}, median of {args.requests} requests (goal ≤ {GOAL_MS} ms)")
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
