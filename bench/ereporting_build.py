"""Building e-reporting reports: the 10.3 of a shop for a month and the 10.1 of 5,000 foreign invoices.

    python bench/ereporting_build.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/ereporting_build.py

On a throwaway SQLite database in a temp dir (or a throwaway PostgreSQL
database when DATABASE_URL names a server), one dossier gets 31 days x 4 VAT
rates of B2C totals, and 1,000 then 5,000 invoices to EU companies with
their kept facts (``InvoiceFacts``: the VAT breakdown read once from each
archived original when the invoice is first reported; that first reading is
not part of this figure). Then ``building.build`` runs as the "Préparer"
button does: gather, write the flux 10 XML, check it against the official XSD
and business rules (500 items at a time), store the report (XML gzip-compressed).
Prints the time of each build, wall clock and CPU of the process (on a shared
machine the first is inflated by the load; the rules stylesheet is compiled
once per process, timed apart) and the Python heap peak of a second, traced
run (tracemalloc) for 1,000 and 5,000 invoices: it should barely grow.
Goal (issue 12): each build <= 2 s, memory flat.
"""

import datetime
import os
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

import support

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
INVOICES = support.size(5000, 50)
SMALLER = support.size(1000, 10)
RATES = (Decimal("20"), Decimal("10"), Decimal("5.5"), Decimal("2.1"))
MONTH = datetime.date(2026, 3, 1)


def setup_django(workdir, database_url):
    os.environ.update(DJANGO_SETTINGS_MODULE="facturier.settings", FACTURIER_DATA_DIR=workdir,
                      FACTURIER_TASKS="immediate", DATABASE_URL=database_url, FACTURIER_LOG_LEVEL="WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_dossier():
    from django.utils import timezone

    from facturier.dossiers.models import Dossier, DossierStatus, VatRegime
    from facturier.firms.models import Firm

    firm = Firm.objects.create(siren="732829320", name="Cabinet Bench", terms_accepted_at=timezone.now())
    return Dossier.objects.create(
        firm=firm, name="Boutique Bench", siren="356000000", vat_number="FR12356000000",
        status=DossierStatus.ACTIVE, fiscal_year_end_month=12, address="1 rue", postal_code="75001", city="Paris",
        representative_name="R", representative_email="r@bench.example", vat_regime=VatRegime.NORMAL_QUARTERLY,
        sells_to_individuals=True, trades_abroad=True)


def add_b2c_month(dossier):
    from facturier.ereporting.models import B2CDay

    days = [B2CDay(dossier=dossier, date=MONTH + datetime.timedelta(days=n), category="TLB1", rate=rate,
                   amount_excl_vat=Decimal("1000.00") + n, vat_amount=((Decimal("1000.00") + n) * rate / 100)
                   .quantize(Decimal("0.01")), count=40 + n)
            for n in range(31) for rate in RATES]
    B2CDay.objects.bulk_create(days)


def add_foreign_invoices(dossier, first, count):
    from facturier.ereporting.models import InvoiceFacts
    from facturier.invoices.models import Direction, Invoice, InvoiceState, ThirdParty

    customer = ThirdParty.objects.create(dossier=dossier, is_customer=True, name="Müller GmbH",
                                         vat_number="DE123456789", country="DE")
    invoices = [Invoice(dossier=dossier, direction=Direction.SALES, state=InvoiceState.ISSUED, third_party=customer,
                        number=f"EXP-{n:06d}", issue_date=MONTH + datetime.timedelta(days=n % 31), issue_year=2026,
                        billing_frame="B1", buyer_name="Müller GmbH", buyer_vat="DE123456789",
                        seller_siren="356000000", total_excl_vat=Decimal("100.00") + n % 97, total_vat=0,
                        total_incl_vat=Decimal("100.00") + n % 97)
                for n in range(first, first + count)]
    Invoice.objects.bulk_create(invoices, batch_size=2000)
    created = Invoice.objects.filter(dossier=dossier, number__gte=f"EXP-{first:06d}",
                                     number__lt=f"EXP-{first + count:06d}")
    InvoiceFacts.objects.bulk_create([
        InvoiceFacts(invoice_id=pk, seller_country="FR", buyer_country="DE", buyer_id="DE123456789",
                     vat=[{"category": "K", "rate": "0", "taxable": str(total), "tax": "0",
                           "reason": "Livraison intracommunautaire", "reason_code": "VATEX-EU-IC"}])
        for pk, total in created.values_list("pk", "total_excl_vat")], batch_size=2000)


def timed_build(dossier, kind):
    from facturier.ereporting.building import build
    from facturier.ereporting.calendar import period_of
    from facturier.ereporting.models import FAMILIES

    period = period_of(dossier.vat_regime, FAMILIES[kind], MONTH)
    started, cpu = time.perf_counter(), time.process_time()
    report = build(dossier, kind, period)
    elapsed = time.perf_counter() - started
    report.cpu = time.process_time() - cpu
    assert report.status == "ready", report.errors[:3]
    tracemalloc.start()  # the heap peak of the same build, measured apart: tracing slows Python down
    build(dossier, kind, period)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return elapsed, peak, report


def main():
    workdir = tempfile.mkdtemp(prefix="facturier-bench-ereporting-")
    server_url = os.environ.get("DATABASE_URL", "")
    postgres = None
    if server_url.startswith("postgres"):
        postgres = support.throwaway_postgres(server_url, "ereporting")
        database_url = postgres[0].rsplit("/", 1)[0] + "/" + postgres[1]
    else:
        database_url = f"sqlite:///{workdir}/bench.sqlite3"
    try:
        setup_django(workdir, database_url)
        from einvoice.ereporting import validate
        from facturier.ereporting.models import ReportKind

        started = time.perf_counter()
        validate(b"<Report/>")  # compiles the rules stylesheet once per process, as a server does
        print(f"rules stylesheet compiled once per process: {time.perf_counter() - started:.2f} s")
        dossier = make_dossier()
        add_b2c_month(dossier)
        elapsed, peak, report = timed_build(dossier, ReportKind.B2C)
        print(f"10.3, 31 days x 4 rates ({report.summary['count']} day totals): {elapsed:.2f} s "
              f"(CPU {report.cpu:.2f} s), "
              f"heap peak {peak / 2**20:.1f} MiB (goal <= 2 s)")
        add_foreign_invoices(dossier, 0, SMALLER)
        elapsed, peak_small, report = timed_build(dossier, ReportKind.SALES)
        print(f"10.1, {report.summary['count']} foreign invoices: {elapsed:.2f} s (CPU {report.cpu:.2f} s), "
              f"heap peak {peak_small / 2**20:.1f} MiB")
        add_foreign_invoices(dossier, SMALLER, INVOICES - SMALLER)
        elapsed, peak, report = timed_build(dossier, ReportKind.SALES)
        print(f"10.1, {report.summary['count']} foreign invoices: {elapsed:.2f} s (CPU {report.cpu:.2f} s), heap "
              f"peak {peak / 2**20:.1f} MiB, XML {len(report.xml) / 2**20:.1f} MiB, kept "
              f"{len(report.xml_gzip) / 2**10:.0f} KiB (goal <= 2 s)")
        print(f"peak RSS of the process: {support.memory_kib('VmHWM') / 1024:.0f} MiB; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (figures scale with it)")
    finally:
        if postgres is not None:
            from django.db import connections

            connections.close_all()
            support.drop_postgres(*postgres)


if __name__ == "__main__":
    main()
