"""Sending issued invoices through an accredited platform, between two real installations.

The accredited platform is a ``facturier serve`` on a database of its own; the firm's
installation, on another database, holds 1,000 issued invoices of a connected dossier
to a buyer known only to the platform. A sender process delivers them ``--threads`` at
a time (directory look-up, ``POST /v1/flows``, acknowledgement), as the worker's
delivery tasks would; it is killed with SIGKILL halfway, and a second one takes up what
the first left pending and sends the rest. Figures: invoices per second of each run and
overall (goal >= 20/s), and the check that the platform holds each invoice exactly once
(one flow per trackingId, one sales invoice per number).

The platform queues its own deliveries to the buyer for its worker, as in production
(none runs here: what is measured is the firm's sending). Databases are throwaway ones:
PostgreSQL on the server of DATABASE_URL when it points at PostgreSQL, SQLite files
otherwise. BENCH_QUICK=1 shrinks every size to seconds of work (the figures then mean
nothing).

    python bench/accredited_sending.py [--invoices 1000] [--threads 8]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import support

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from facturier.accredited.tests.counterpart import Counterpart
from facturier.accredited.tests.firm_side import FirmSide, finish, kill_after

GOAL = 20  # invoices per second
CHECK = """
from django.db.models import Count
from facturier.flows.models import Flow
from facturier.invoices.models import Invoice
flows = Flow.objects.filter(direction="Out")
print_json({"flows": flows.count(), "tracking_ids": flows.values("tracking_id").distinct().count(),
            "ok": flows.filter(ack_status="Ok").count(),
            "numbers": Invoice.objects.filter(direction="sales", dossier__siren="356000000").count(),
            "distinct_numbers": Invoice.objects.filter(direction="sales", dossier__siren="356000000")
                                       .values("number").distinct().count()})
"""


def cpu_seconds(pid):
    """User + system CPU time the process ``pid`` used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=support.size(1000, 12))
    parser.add_argument("--threads", type=int, default=support.size(8, 2))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        with Counterpart(folder / "platform", FACTURIER_TASKS="database") as platform, \
                FirmSide(folder / "firm", platform) as firm:
            began = time.perf_counter()
            firm.issue(args.invoices)
            print(f"{args.invoices} invoices issued on the firm's side in {time.perf_counter() - began:.1f} s "
                  f"(not timed below); sender: {args.threads} threads")
            began = time.perf_counter()
            sender = firm.start_sender(threads=args.threads)
            said = kill_after(sender, sent=args.invoices // 2)
            first = time.perf_counter() - began
            second = finish(firm.start_sender(threads=args.threads))
            total = time.perf_counter() - began
            platform_cpu = cpu_seconds(platform.site.processes[-1].pid)
            check = platform.site.django(CHECK)
    print(f"first run: {said} invoices in {first:.1f} s ({said / first:.1f}/s), killed with SIGKILL")
    print(f"second run: {second['taken_up']} taken up after the kill, {second['delivered']} more sent "
          f"in {second['seconds']:.1f} s ({(second['taken_up'] + second['delivered']) / second['seconds']:.1f}/s)")
    rate = args.invoices / total
    print(f"overall: {args.invoices} invoices in {total:.1f} s, process start-ups included: {rate:.1f}/s "
          f"(goal ≥ {GOAL}/s) {'OK' if rate >= GOAL else 'BELOW GOAL'}")
    print(f"firm side deliveries: {second['states']}")
    sent = max(1, second["taken_up"] + second["delivered"])
    print(f"CPU per invoice: sender {second['cpu_seconds'] * 1000 / sent:.0f} ms (second run), platform server "
          f"{platform_cpu * 1000 / args.invoices:.0f} ms; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores")
    duplicates = check["flows"] - check["tracking_ids"] + check["numbers"] - check["distinct_numbers"]
    print(f"platform: {check['flows']} flows ({check['ok']} Ok), {check['tracking_ids']} trackingIds, "
          f"{check['numbers']} sales invoices, duplicates: {duplicates}")
    complete = check["flows"] == check["tracking_ids"] == check["numbers"] == args.invoices and not duplicates
    if not complete:
        sys.exit("FAILED: the platform does not hold every invoice exactly once")


if __name__ == "__main__":
    main()
