"""Receiving incoming invoices from an accredited platform, between two real installations.

The accredited platform is a ``facturier serve`` on a database of its own, offering
10,000 incoming flows (one-page CII invoices, ``In``) to a dossier; the firm's
installation, on another database, pulls them as the sweeps of ``--pullers`` workers
do, one process each, all at once (``pull_all``: ``POST /v1/flows/search`` page by
page, ``GET /v1/flows/{id}`` for each original, then the intake of uploads:
validation, annex-2 controls, DOUBLON, archive, with the tasks that follow run in
the process). Figures: invoices per second end to end (goal >= 20/s), each pulling
process's share and resident memory early in the run and at its end with its peak
(flat memory: the end close to the early figure), and the check that each invoice
is there exactly once.

The platform's flows are written straight into its database (archived original and
flow row), not by its own intake: what is measured is the firm's receiving.
Databases are throwaway ones: PostgreSQL on the server of DATABASE_URL when it
points at PostgreSQL, SQLite files otherwise. BENCH_QUICK=1 shrinks every size to
seconds of work (the figures then mean nothing).

    python bench/accredited_receiving.py [--invoices 10000] [--pullers 2]
"""

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import support

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from facturier.accredited.receiving.tests.pair import DOSSIER_SIREN, Pair

GOAL = 20  # invoices per second
OFFER = """
import hashlib
from facturier.archive.models import Kind
from facturier.archive.store import archive
from facturier.dossiers.models import Dossier
from facturier.flows.recording import create_flow
from facturier.invoices.receiving.tests.receiving_samples import purchase_cii
dossier = Dossier.objects.get(siren="SIREN", status="active")
template = purchase_cii(dossier.siren, number="BENCH-NUMBER")
for n in range(COUNT):
    data = template.replace(b"BENCH-NUMBER", f"BENCH-{n:06d}".encode())
    original = archive(dossier, data, kind=Kind.ORIGINAL_RECEIVED, filename=f"BENCH-{n:06d}.xml")
    create_flow(dossier, direction="In", syntax="CII", profile="CIUS", flow_type="SupplierInvoice",
                processing_rule="B2B", name=original.filename, sha256=hashlib.sha256(data).hexdigest(),
                ack_status="Ok", original=original)
print_json(COUNT)
"""
PULL = """
import threading, time
from pathlib import Path
from facturier.accredited.receiving.pull import pull_all

def memory(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])

samples = []
def watch():
    while True:
        samples.append(memory("VmRSS"))
        time.sleep(0.5)

threading.Thread(target=watch, daemon=True).start()
start_rss, start_peak = memory("VmRSS"), memory("VmHWM")
began = time.perf_counter()
taken = pull_all()
seconds = time.perf_counter() - began
early = samples[len(samples) // 10] if samples else start_rss
print_json({"taken": taken, "seconds": seconds, "start_rss": start_rss, "start_peak": start_peak,
            "early_rss": early, "end_rss": memory("VmRSS"), "end_peak": memory("VmHWM")})
"""
CHECK = """
from facturier.accredited.receiving.models import ReceivedFlow
from facturier.invoices.models import IncomingFile, Invoice
purchases = Invoice.objects.filter(direction="purchase", dossier__siren="SIREN")
print_json({"invoices": purchases.count(), "numbers": purchases.values("number").distinct().count(),
            "accepted": IncomingFile.objects.filter(source="accredited", outcome="accepted").count(),
            "files": IncomingFile.objects.filter(source="accredited").count(),
            "flows_done": ReceivedFlow.objects.filter(state="done").count()})
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=support.size(10_000, 24))
    parser.add_argument("--pullers", type=int, default=os.cpu_count(),
                        help="pulling processes, as many workers (default: one a core)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, Pair(Path(folder)) as pair:
        pair.start_platform()
        pair.start_firm()
        began = time.perf_counter()
        pair.platform.django(OFFER.replace("SIREN", DOSSIER_SIREN).replace("COUNT", str(args.invoices)))
        print(f"{args.invoices} incoming flows offered by the platform in {time.perf_counter() - began:.1f} s "
              "(not timed below)")
        began = time.perf_counter()
        with ThreadPoolExecutor(args.pullers) as pullers:
            figures = list(pullers.map(lambda _: pair.firm.django(PULL), range(args.pullers)))
        seconds = time.perf_counter() - began  # the processes' start-ups included
        check = pair.firm.django(CHECK.replace("SIREN", DOSSIER_SIREN))

    taken = sum(each["taken"] for each in figures)
    rate = taken / seconds
    print(f"pulled and taken in by {args.pullers} process(es): {taken} invoices in {seconds:.1f} s = "
          f"{rate:.1f} invoices/s (goal >= {GOAL}/s)")
    for number, each in enumerate(figures, 1):
        print(f"  process {number}: {each['taken']} invoices in {each['seconds']:.1f} s; RSS "
              f"{each['start_rss'] / 1024:.0f} MiB at start, {each['early_rss'] / 1024:.0f} MiB a tenth in, "
              f"{each['end_rss'] / 1024:.0f} MiB at the end (peak {each['end_peak'] / 1024:.0f} MiB)")
    print(f"check: {check['invoices']} purchase invoices, {check['numbers']} distinct numbers, "
          f"{check['accepted']}/{check['files']} files accepted, {check['flows_done']} flows done")
    assert check["invoices"] == check["numbers"] == check["accepted"] == check["files"] == args.invoices
    if not support.QUICK and rate < GOAL:
        print(f"BELOW GOAL: {rate:.1f} < {GOAL} invoices/s")


if __name__ == "__main__":
    main()
