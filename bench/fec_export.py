"""FEC export of 1,000,000 entry lines, and its memory as the file grows.

    python bench/fec_export.py [lines]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/fec_export.py

Builds one dossier's fiscal year on a throwaway SQLite database in a temp dir
(or, when DATABASE_URL names a PostgreSQL server, a throwaway database created
on it and dropped afterwards): invoices, entries and their lines (3 per entry:
third party, expense or revenue, VAT; purchases and sales alternating, dates
spread over the year) bulk-created directly. Then exports the FEC with the
platform's own streaming writer (``fec.fec_chunks(fec.export_lines(...))``) to a
file, for the first tenth, the first half and the whole year, each in a fresh
process, printing time and peak memory: the peak stays flat while the file
grows tenfold. Goal: 1,000,000 lines in 60 s or less.

The export page and command also archive the finished file; the archive takes
the file as bytes, so that step (not timed here) holds the file in memory once.
"""

import datetime
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BATCH = 5000
YEAR_START = datetime.date(2026, 1, 1)
DAYS = 365


def setup_django(workdir, database_url):
    os.environ.update(DJANGO_SETTINGS_MODULE="facturier.settings", FACTURIER_DATA_DIR=workdir,
                      FACTURIER_TASKS="immediate", DATABASE_URL=database_url, FACTURIER_LOG_LEVEL="WARNING")
    import django

    django.setup()


def build(line_count):
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from facturier.dossiers.models import Dossier, DossierStatus
    from facturier.firms.models import Firm
    from facturier.invoices.models import Direction, Invoice, InvoiceState
    from facturier.ledger.models import Entry, EntryLine

    call_command("migrate", verbosity=0)
    firm = Firm.objects.create(siren="732829320", name="Cabinet Bench", terms_accepted_at=timezone.now())
    dossier = Dossier.objects.create(
        firm=firm, siren="443061841", name="BIOBURO", fiscal_year_end_month=12, address="1 rue de la Paix",
        postal_code="75002", city="Paris", representative_name="Jeanne Dupont",
        representative_email="contact@bioburo.example", status=DossierStatus.ACTIVE,
    )
    entries = -(-line_count // 3)
    now = timezone.now()
    ht, vat = Decimal("1000.00"), Decimal("200.00")
    started = time.perf_counter()
    for first in range(0, entries, BATCH):
        numbers = range(first, min(first + BATCH, entries))
        with transaction.atomic():
            invoices = Invoice.objects.bulk_create([_invoice(dossier, n, entries, ht, vat, now) for n in numbers])
            rows = Entry.objects.bulk_create([
                Entry(dossier=dossier, invoice=invoice, journal="AC" if purchase else "VT",
                      journal_label="Achats" if purchase else "Ventes", date=invoice.issue_date,
                      piece_ref=invoice.number, piece_date=invoice.issue_date,
                      label=f"Fournisseur {invoice.number}", booked_at=now)
                for invoice in invoices for purchase in [invoice.direction == Direction.PURCHASE]
            ])
            EntryLine.objects.bulk_create([line for entry in rows for line in _lines(entry, ht, vat)])
    return time.perf_counter() - started, dossier.pk


def _invoice(dossier, n, entries, ht, vat, now):
    from facturier.invoices.models import Direction, Invoice, InvoiceState

    purchase = n % 2 == 0
    day = YEAR_START + datetime.timedelta(days=n * DAYS // entries)
    return Invoice(
        dossier=dossier, direction=Direction.PURCHASE if purchase else Direction.SALES,
        state=InvoiceState.RECEIVED if purchase else InvoiceState.ISSUED, number=f"FA-{n:07d}",
        issue_date=day, issue_year=day.year, approved_at=now if purchase else None, integrated_at=now,
        seller_siren="552100554", total_excl_vat=ht, total_vat=vat, total_incl_vat=ht + vat, amount_due=ht + vat,
    )


def _lines(entry, ht, vat):
    from facturier.ledger.models import EntryLine

    zero = Decimal("0")
    purchase = entry.journal == "AC"
    third = ("401000", "Fournisseurs", "401BIOBURO") if purchase else ("411000", "Clients", "411DURAND")
    return [
        EntryLine(entry=entry, position=1, account=third[0], account_label=third[1], auxiliary=third[2],
                  auxiliary_label="Bio Buro SAS", label=entry.label,
                  debit=zero if purchase else ht + vat, credit=ht + vat if purchase else zero),
        EntryLine(entry=entry, position=2, account="607000" if purchase else "706000",
                  account_label="Achats de marchandises" if purchase else "Prestations de services",
                  label=entry.label, debit=ht if purchase else zero, credit=zero if purchase else ht),
        EntryLine(entry=entry, position=3, account="445662" if purchase else "445712",
                  account_label="TVA déductible 20 %" if purchase else "TVA collectée 20 %",
                  label=entry.label, debit=vat if purchase else zero, credit=zero if purchase else vat),
    ]


def export(dossier_id, end, path):
    """Runs in its own process: time and peak memory of one streamed FEC export."""
    from facturier.dossiers.models import Dossier
    from facturier.ledger import fec

    dossier = Dossier.objects.get(pk=dossier_id)
    baseline = memory_kib("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # restart the peak (VmHWM) from here
    started = time.perf_counter()
    digest, lines = hashlib.sha256(), -1
    with open(path, "wb") as out:
        for chunk in fec.fec_chunks(fec.export_lines(dossier, start=YEAR_START, end=end)):
            out.write(chunk)
            digest.update(chunk)
            lines += chunk.count(b"\r\n")
    elapsed = time.perf_counter() - started
    peak = memory_kib("VmHWM")
    size = os.path.getsize(path) / 2**20
    print(f"  {lines:>9,} lines  {size:7.1f} MiB  {elapsed:6.1f} s  ({lines / elapsed:,.0f} lines/s)  "
          f"peak RSS {peak / 1024:.0f} MiB (+{(peak - baseline) / 1024:.0f} MiB over {baseline / 1024:.0f} MiB)",
          flush=True)


def memory_kib(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


def throwaway_postgres(server_url):
    import psycopg

    name = f"facturier_bench_fec_{os.getpid()}"
    admin = server_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return admin, name


def drop_postgres(admin, name):
    import psycopg

    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main():
    if sys.argv[1:2] == ["--export-only"]:
        setup_django(os.environ["FACTURIER_DATA_DIR"], os.environ["DATABASE_URL"])
        export(int(sys.argv[2]), datetime.date.fromisoformat(sys.argv[3]), sys.argv[4])
        return
    line_count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    workdir = tempfile.mkdtemp(prefix="facturier-bench-fec-")
    server_url = os.environ.get("DATABASE_URL", "")
    postgres = None
    if server_url.startswith("postgres"):
        postgres = throwaway_postgres(server_url)
        database_url = f"{postgres[0].rsplit('/', 1)[0]}/{postgres[1]}"
    else:
        database_url = f"sqlite:///{workdir}/bench.sqlite3"
    try:
        setup_django(workdir, database_url)
        from django.db import connection, connections

        seconds, dossier_id = build(line_count)
        print(f"{connection.vendor}: built {line_count:,} entry lines in {seconds:.1f} s")
        connections.close_all()
        env = dict(os.environ, FACTURIER_DATA_DIR=workdir, DATABASE_URL=database_url)
        print("FEC export (goal: 1,000,000 lines in 60 s, memory flat):")
        for fraction in (0.1, 0.5, 1.0):
            end = YEAR_START + datetime.timedelta(days=round(DAYS * fraction) - 1)
            path = os.path.join(workdir, f"fec-{fraction}.txt")
            subprocess.run([sys.executable, __file__, "--export-only", str(dossier_id), end.isoformat(), path],
                           env=env, check=True)
            os.unlink(path)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if postgres:
            drop_postgres(*postgres)


if __name__ == "__main__":
    main()
