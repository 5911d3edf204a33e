"""Verify a legal archive of 100,000 records: every file re-hashed, every link recomputed.

    python bench/archive_verify.py [records]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/archive_verify.py

Builds the archive on a throwaway SQLite database in a temp dir (or, when
DATABASE_URL names a PostgreSQL server, in a throwaway database created on it
and dropped afterwards), with files on disk, sealed by the same hashing code as
the store but inserted in batches. Then times ``verify_chain`` over all of it in
a fresh process, so the peak memory printed is the verification's own.
Goal: 100,000 records in 60 s or less, memory flat.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import support

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BATCH = 5000


def setup_django(workdir, database_url):
    os.environ.update(DJANGO_SETTINGS_MODULE="facturier.settings", FACTURIER_DATA_DIR=workdir,
                      FACTURIER_TASKS="immediate", DATABASE_URL=database_url, FACTURIER_LOG_LEVEL="WARNING")
    import django

    django.setup()


def build(count):
    from django.core.management import call_command
    from django.utils import timezone

    from facturier.archive import chain, storage
    from facturier.archive.models import ArchiveChainHead, ArchiveRecord, Kind
    from facturier.dossiers.models import Dossier, DossierStatus
    from facturier.firms.models import Firm

    call_command("migrate", verbosity=0)
    firm = Firm.objects.create(siren="732829320", name="Cabinet Bench", terms_accepted_at=timezone.now())
    dossier = Dossier.objects.create(
        firm=firm, siren="443061841", name="BIOBURO", fiscal_year_end_month=12, address="1 rue de la Paix",
        postal_code="75002", city="Paris", representative_name="Jeanne Dupont",
        representative_email="contact@bioburo.example", status=DossierStatus.ACTIVE,
    )
    kinds = list(Kind)
    filler = "<Line>Prestation de conseil, 1 heure, 120,00 EUR HT</Line>" * 25
    previous = chain.genesis_hash(dossier.pk)
    started = time.perf_counter()
    for first in range(1, count + 1, BATCH):
        batch = []
        for sequence in range(first, min(first + BATCH, count + 1)):
            content = f'<Invoice id="FA-{sequence:06d}">{filler}</Invoice>'.encode()
            sha256 = chain.content_digest(content)
            storage.put(sha256, content)
            created_at = timezone.now()
            record = ArchiveRecord(
                dossier=dossier, sequence=sequence, kind=kinds[sequence % len(kinds)],
                filename=f"FA-{sequence:06d}.xml", media_type="application/xml", size=len(content),
                sha256=sha256, previous_hash=previous, created_at=created_at,
                retain_until=chain.retention_end(created_at), period=timezone.localdate(created_at),
                reference_app="invoices", reference_model="invoice", reference_pk=str(sequence),
            )
            record.seal()
            previous = record.chain_hash
            batch.append(record)
        ArchiveRecord.objects.bulk_create(batch)
    ArchiveChainHead.objects.create(dossier=dossier, last_sequence=count, last_hash=previous)
    return time.perf_counter() - started


def verify():
    """Runs in its own process: time and peak memory of verify_chain alone."""
    from facturier.archive.verify import verify_chain

    baseline = support.memory_kib("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # restart the peak (VmHWM) from here
    started = time.perf_counter()
    result = verify_chain()
    elapsed = time.perf_counter() - started
    peak = support.memory_kib("VmHWM")
    assert result.ok, result.first_break
    print(f"verify_chain: {result.records_checked:,} records in {elapsed:.1f} s "
          f"({result.records_checked / elapsed:,.0f} records/s, goal 60 s)")
    print(f"peak RSS {peak / 1024:.0f} MiB during verification "
          f"({baseline / 1024:.0f} MiB before it: +{(peak - baseline) / 1024:.0f} MiB)")








def main():
    if sys.argv[1:2] == ["--verify-only"]:
        setup_django(os.environ["FACTURIER_DATA_DIR"], os.environ["DATABASE_URL"])
        verify()
        return
    count = int(sys.argv[1]) if len(sys.argv) > 1 else support.size(100_000, 200)
    workdir = tempfile.mkdtemp(prefix="facturier-archive-bench-")
    server_url = os.environ.get("DATABASE_URL", "")
    postgres = None
    if server_url.startswith("postgres"):
        postgres = support.throwaway_postgres(server_url, "archive")
        database_url = f"{postgres[0].rsplit('/', 1)[0]}/{postgres[1]}"
    else:
        database_url = f"sqlite:///{workdir}/bench.sqlite3"
    try:
        setup_django(workdir, database_url)
        from django.db import connection, connections

        seconds = build(count)
        print(f"{connection.vendor}: built {count:,} archive records and files in {seconds:.1f} s")
        connections.close_all()
        env = dict(os.environ, FACTURIER_DATA_DIR=workdir, DATABASE_URL=database_url)
        subprocess.run([sys.executable, __file__, "--verify-only"], env=env, check=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if postgres:
            support.drop_postgres(*postgres)


if __name__ == "__main__":
    main()
