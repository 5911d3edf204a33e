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

import support

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
    ht, vat, zero = Decimal("1000.00"), Decimal("200.00"), Decimal("0.00")
    invoices = Inserter(Invoice(dossier=dossier, seller_siren="552100554", total_excl_vat=ht, total_vat=vat,
                                total_incl_vat=ht + vat, amount_due=ht + vat, integrated_at=now),
                        ["id", "direction", "state", "number", "issue_date", "issue_year", "approved_at"])
    approved = invoices.prepared("approved_at", now)
    heads = Inserter(Entry(dossier=dossier, booked_at=now),
                     ["id", "invoice_id", "journal", "journal_label", "date", "piece_ref", "piece_date", "label"])
    lines = Inserter(EntryLine(), ["entry_id", "position", "account", "account_label", "auxiliary",
                                   "auxiliary_label", "label", "debit", "credit"])
    started = time.perf_counter()
    for first in range(1, entries + 1, BATCH):
        invoice_rows, entry_rows, line_rows = [], [], []
        for n in range(first, min(first + BATCH, entries + 1)):
            purchase = n % 2 == 0
            day = YEAR_START + datetime.timedelta(days=(n - 1) * DAYS // entries)
            number, label = f"FA-{n:07d}", f"Bio Buro SAS Facture FA-{n:07d}"
            invoice_rows.append((n, Direction.PURCHASE if purchase else Direction.SALES,
                                 InvoiceState.RECEIVED if purchase else InvoiceState.ISSUED, number, day, day.year,
                                 approved if purchase else None))
            entry_rows.append((n, n, "AC" if purchase else "VT", "Achats" if purchase else "Ventes", day, number,
                               day, label))
            third = ("401000", "Fournisseurs", "401BIOBURO") if purchase else ("411000", "Clients", "411DURAND")
            line_rows += [
                (n, 1, *third, "Bio Buro SAS", label, zero if purchase else ht + vat, ht + vat if purchase else zero),
                (n, 2, "607000" if purchase else "706000",
                 "Achats de marchandises" if purchase else "Prestations de services", "", "", label,
                 ht if purchase else zero, zero if purchase else ht),
                (n, 3, "445662" if purchase else "445712", "TVA déductible 20 %" if purchase else "TVA collectée 20 %",
                 "", "", label, vat if purchase else zero, zero if purchase else vat),
            ]
        with transaction.atomic():
            invoices.insert(invoice_rows)
            heads.insert(entry_rows)
            lines.insert(line_rows)
    return time.perf_counter() - started, dossier.pk


class Inserter:
    """Rows of a model inserted with one ``executemany`` per batch.

    ``bulk_create`` spends a millisecond per object on this shared machine, so
    the bench prepares every column once from a template instance (its model
    defaults included, whatever fields the model grows) and only passes the
    values that change, as plain values both database drivers adapt.
    """

    def __init__(self, template, varying):
        from django.db import connection

        self.connection = connection
        self.fields = {f.attname: f for f in template._meta.concrete_fields
                       if f.attname in varying or not f.primary_key}
        self.constant = {name: self.prepared(name, getattr(template, name))
                         for name in self.fields if name not in varying}
        self.position = {name: index for index, name in enumerate(varying)}
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields.values())
        self.sql = (f"INSERT INTO {quote(template._meta.db_table)} ({columns}) "
                    f"VALUES ({', '.join(['%s'] * len(self.fields))})")

    def prepared(self, name, value):
        return self.fields[name].get_db_prep_save(value, self.connection)

    def insert(self, rows):
        order = [(self.position.get(name), self.constant.get(name)) for name in self.fields]
        data = [tuple(row[index] if index is not None else value for index, value in order) for row in rows]
        with self.connection.cursor() as cursor:
            cursor.executemany(self.sql, data)


def export(dossier_id, end, path):
    """Runs in its own process: time and peak memory of one streamed FEC export."""
    from facturier.dossiers.models import Dossier
    from facturier.ledger import fec

    dossier = Dossier.objects.get(pk=dossier_id)
    baseline = support.memory_kib("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # restart the peak (VmHWM) from here
    started = time.perf_counter()
    digest, lines = hashlib.sha256(), -1
    with open(path, "wb") as out:
        for chunk in fec.fec_chunks(fec.export_lines(dossier, start=YEAR_START, end=end)):
            out.write(chunk)
            digest.update(chunk)
            lines += chunk.count(b"\r\n")
    elapsed = time.perf_counter() - started
    peak = support.memory_kib("VmHWM")
    size = os.path.getsize(path) / 2**20
    print(f"  {lines:>9,} lines  {size:7.1f} MiB  {elapsed:6.1f} s  ({lines / elapsed:,.0f} lines/s)  "
          f"peak RSS {peak / 1024:.0f} MiB (+{(peak - baseline) / 1024:.0f} MiB over {baseline / 1024:.0f} MiB)",
          flush=True)








def main():
    if sys.argv[1:2] == ["--export-only"]:
        setup_django(os.environ["FACTURIER_DATA_DIR"], os.environ["DATABASE_URL"])
        export(int(sys.argv[2]), datetime.date.fromisoformat(sys.argv[3]), sys.argv[4])
        return
    line_count = int(sys.argv[1]) if len(sys.argv) > 1 else support.size(1_000_000, 300)
    workdir = tempfile.mkdtemp(prefix="facturier-bench-fec-")
    server_url = os.environ.get("DATABASE_URL", "")
    postgres = None
    if server_url.startswith("postgres"):
        postgres = support.throwaway_postgres(server_url, "fec")
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
            support.drop_postgres(*postgres)


if __name__ == "__main__":
    main()
