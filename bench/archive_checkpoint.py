"""Sign a checkpoint of 10,000 dossiers' chain heads, and append audit events to the chained trail.

    python bench/archive_checkpoint.py [dossiers]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/archive_checkpoint.py

On a throwaway SQLite database in a temp dir (or a throwaway PostgreSQL
database), with the archive storage on disk. Prints the time of a first
checkpoint (every dossier's statement written), of a second one after 1% of the
dossiers changed (only theirs rewritten), and the rate of ``audit.record``, now
that each event locks the trail's head and is hashed into its chain.
"""

import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

import support

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
AUDIT_EVENTS = 2000


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    workdir = tempfile.mkdtemp(prefix="facturier-checkpoint-bench-")
    server_url = os.environ.get("DATABASE_URL", "")
    postgres = None
    if server_url.startswith("postgres"):
        postgres = support.throwaway_postgres(server_url, "checkpoint")
        database_url = f"{postgres[0].rsplit('/', 1)[0]}/{postgres[1]}"
    else:
        database_url = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.update(DJANGO_SETTINGS_MODULE="facturier.settings", FACTURIER_DATA_DIR=workdir,
                      FACTURIER_TASKS="immediate", DATABASE_URL=database_url, FACTURIER_LOG_LEVEL="WARNING",
                      FACTURIER_ARCHIVE_SIGNING_KEY_FILE=f"{workdir}/key.pem")
    import django

    django.setup()
    try:
        run(count)
    finally:
        from django.db import connections

        connections.close_all()
        if postgres:
            support.drop_postgres(*postgres)


def run(count):
    from django.core.management import call_command
    from django.utils import timezone

    from facturier.archive import checkpoint
    from facturier.archive.models import Kind
    from facturier.archive.store import archive
    from facturier.audit.models import AuditAction, AuditEvent, record
    from facturier.dossiers.models import Dossier, DossierStatus
    from facturier.firms.models import Firm

    call_command("migrate", verbosity=0)
    checkpoint.generate_key_file(os.environ["FACTURIER_ARCHIVE_SIGNING_KEY_FILE"])
    firm = Firm.objects.create(siren="732829320", name="Cabinet Bench", terms_accepted_at=timezone.now())
    dossiers = Dossier.objects.bulk_create([
        Dossier(firm=firm, siren=f"{n:09d}", name=f"Dossier {n}", fiscal_year_end_month=12,
                status=DossierStatus.ACTIVE) for n in range(count)
    ], batch_size=2000)
    for dossier in dossiers:  # real chains: a checkpoint refuses heads its records do not bear out
        archive(dossier, f"bench {dossier.pk}".encode(), kind=Kind.OTHER, filename="bench.txt")

    started = time.perf_counter()
    checkpoint.make()
    print(f"first checkpoint: {count:,} dossiers signed and stored in {time.perf_counter() - started:.1f} s")
    changed = dossiers[: max(1, count // 100)]
    for dossier in changed:
        archive(dossier, f"bench {dossier.pk} again".encode(), kind=Kind.OTHER, filename="bench-2.txt")
    started = time.perf_counter()
    checkpoint.make(now=timezone.now() + datetime.timedelta(seconds=1))
    print(f"next checkpoint, {len(changed):,} dossiers changed: {time.perf_counter() - started:.2f} s")

    started = time.perf_counter()
    for n in range(AUDIT_EVENTS):
        AuditEvent.objects.create(action=AuditAction.DOSSIERS_IMPORTED, firm=firm, target=str(n), detail={"n": n})
    plain = time.perf_counter() - started
    started = time.perf_counter()
    for n in range(AUDIT_EVENTS):
        record(None, AuditAction.DOSSIERS_IMPORTED, firm=firm, target=str(n), n=n)
    chained = time.perf_counter() - started
    print(f"audit.record: {AUDIT_EVENTS:,} chained events in {chained:.1f} s ({AUDIT_EVENTS / chained:,.0f}/s); "
          f"plain inserts as before the chain: {plain:.1f} s ({AUDIT_EVENTS / plain:,.0f}/s)")


if __name__ == "__main__":
    main()
