"""Receive 1,000 purchase invoices through ``receive_file``: validation, archive, rows, lifecycle, controls.

    python bench/ingestion.py [count]
    python bench/ingestion.py 1000 --no-controls

Runs on a throwaway SQLite database and archive in a temp dir, the tasks
backend "immediate" so each invoice's controls run inline against the
local-file registry (``--no-controls`` leaves them out). The invoices are
written by the engine (CII and UBL, one in four UBL), each with its own
number, three to twelve lines and one of a few suppliers; building them is not
timed. Prints invoices per second and where the time goes (wall and CPU time: on a
shared machine the CPU time says what the code costs).
Goal: at least 15 invoices/s on the 2-core reference machine.
"""

import json
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import support

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GOAL = 15.0
SUPPLIERS = ("100000009", "552100554", "900000019", "900000027")


def setup_django(workdir):
    registry = Path(workdir) / "registry.json"
    registry.write_text(json.dumps({siren: {"name": f"FOURNISSEUR {siren}", "status": "active",
                                            "created_on": "2001-01-01"} for siren in SUPPLIERS}))
    os.environ.update(DJANGO_SETTINGS_MODULE="facturier.settings", FACTURIER_DATA_DIR=workdir,
                      FACTURIER_TASKS="immediate", DATABASE_URL=f"sqlite:///{workdir}/bench.sqlite3",
                      FACTURIER_REGISTRY_FILE=str(registry), FACTURIER_LOG_LEVEL="WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def dossier():
    from django.utils import timezone

    from facturier.dossiers.models import Dossier, DossierStatus
    from facturier.firms.models import Firm

    firm = Firm.objects.create(siren="732829320", name="Cabinet Bench", terms_accepted_at=timezone.now())
    return Dossier.objects.create(
        firm=firm, siren="443061841", name="BIOBURO", fiscal_year_end_month=12, address="1 rue de la Paix",
        postal_code="75002", city="Paris", representative_name="Jeanne Dupont",
        representative_email="contact@bioburo.example", status=DossierStatus.ACTIVE, activated_at=timezone.now(),
    )


def payloads(count, buyer_siren):
    from decimal import Decimal

    from einvoice.model import Item, Line, Price
    from einvoice.write import to_cii, to_ubl
    from facturier.invoices.receiving.tests.receiving_samples import purchase_document

    for number in range(count):
        document = purchase_document(buyer_siren, number=f"FA-{number:06d}",
                                     seller_siren=SUPPLIERS[number % len(SUPPLIERS)])
        document.lines = [Line(str(i), Decimal(i % 4 + 1), "C62", Decimal(0), Price(Decimal("19.90") + i),
                               Item(f"Article {i}"), "S", Decimal(20)) for i in range(1, 3 + number % 10)]
        document.compute_totals()
        writer, name = (to_ubl, "ubl.xml") if number % 4 == 3 else (to_cii, "cii.xml")
        yield f"FA-{number:06d}-{name}", writer(document)


def instrument(timings):
    """Time the stages of ``receive_file`` by wrapping what it calls."""
    from facturier.invoices.receiving import intake as ingestion
    from facturier.invoices.receiving import tasks

    def timed(module, name, label):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            started, cpu = time.perf_counter(), time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                wall, used = timings[label]
                timings[label] = (wall + time.perf_counter() - started, used + time.process_time() - cpu)

        setattr(module, name, wrapper)

    timed(ingestion, "detect", "parse (detect)")
    timed(ingestion, "validate", "validate (XSD + Schematron + BR-FR)")
    timed(ingestion, "read_detected", "read into the model")
    timed(ingestion, "archive", "archive the original")
    timed(ingestion, "record_event", "lifecycle 202/203 (CDAR + archive)")
    timed(tasks.controls, "run_controls", "controls (local-file registry)")


def main():
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    count = int(args[0]) if args else support.size(1000, 8)
    workdir = tempfile.mkdtemp(prefix="facturier-bench-ingestion-")
    try:
        setup_django(workdir)
        from facturier.invoices.models import IncomingFile
        from facturier.invoices.receiving import intake as ingestion

        if "--no-controls" in sys.argv:
            ingestion.queue_controls = lambda invoice_id: None
        target = dossier()
        prepared = list(payloads(count, target.siren))
        timings = defaultdict(lambda: (0.0, 0.0))
        instrument(timings)
        started, cpu = time.perf_counter(), time.process_time()
        for filename, data in prepared:
            ingestion.receive_file(target, filename, data, source="upload")
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        accepted = IncomingFile.objects.filter(outcome="accepted").count()
        print(f"{count} purchase invoices received in {elapsed:.1f} s (CPU {cpu:.1f} s): "
              f"{count / elapsed:.1f} invoices/s, {count / cpu:.1f} per CPU-second (goal >= {GOAL:.0f}); "
              f"{accepted} accepted")
        print(f"  {'stage':40s} {'wall':>8s} {'CPU':>8s}   (ms per invoice)")
        for label, (wall, used) in sorted(timings.items(), key=lambda item: -item[1][1]):
            print(f"  {label:40s} {1000 * wall / count:8.1f} {1000 * used / count:8.1f}")
        wall_rest = elapsed - sum(wall for wall, _ in timings.values())
        cpu_rest = cpu - sum(used for _, used in timings.values())
        print(f"  {'rows, duplicates, suppliers, usage (DB)':40s}"
              f" {1000 * wall_rest / count:8.1f} {1000 * cpu_rest / count:8.1f}")
        print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores:"
              " wall time includes waiting for a CPU)")
        return 0 if (support.QUICK or count / elapsed >= GOAL) and accepted == count else 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
