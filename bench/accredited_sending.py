"""Sending issued invoices through an accredited platform, the sender killed midway.

The firm's installation, on a database of its own, holds 1,000 issued invoices of a
connected dossier to a buyer known only to the platform. A sender process delivers them
``--threads`` at a time (directory look-up, ``POST /v1/flows``, acknowledgement), as the
worker's delivery tasks would; it is killed with SIGKILL halfway, and a second one takes
up what the first left pending and sends the rest. Figures: invoices per second of each
run and overall (goal >= 20/s), the sender's CPU per invoice, and the check that the
platform holds each invoice exactly once (one flow per trackingId).

Two platforms: first one answering at once (scripted, in this process, never
deduplicating by itself: what is measured is the sending), then Facturier's own API (a
``facturier serve`` on another database, which validates, archives and issues each
invoice it receives, and queues its delivery to the buyer for a worker that does not run
here: its intake bounds the rate). Databases are throwaway ones: PostgreSQL on the
server of DATABASE_URL when it points at PostgreSQL, SQLite files otherwise.
BENCH_QUICK=1 shrinks every size to seconds of work (the figures then mean nothing).

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
from facturier.accredited.tests.stub_platform import StubPlatform
from facturier.testing.servers import StubHTTPServer

GOAL = 20  # invoices per second
CHECK = """
from facturier.flows.models import Flow
from facturier.invoices.models import Invoice
flows = Flow.objects.filter(direction="Out")
print_json({"flows": flows.count(), "tracking_ids": flows.values("tracking_id").distinct().count(),
            "distinct_numbers": Invoice.objects.filter(direction="sales", dossier__siren="356000000")
                                       .values("number").distinct().count()})
"""


def cpu_seconds(pid):
    """User + system CPU time the process ``pid`` used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def send_with_a_kill(firm, invoices, threads):
    """Issue ``invoices``, send them, kill the sender halfway, send the rest: the figures of both runs."""
    began = time.perf_counter()
    firm.issue(invoices)
    print(f"  {invoices} invoices issued on the firm's side in {time.perf_counter() - began:.1f} s (not timed)")
    began = time.perf_counter()
    said = kill_after(firm.start_sender(threads=threads), sent=invoices // 2)
    first = time.perf_counter() - began
    second = finish(firm.start_sender(threads=threads))
    total = time.perf_counter() - began
    sent = max(1, second["taken_up"] + second["delivered"])
    print(f"  first run: {said} invoices in {first:.1f} s ({said / first:.1f}/s), then killed with SIGKILL")
    print(f"  second run: {second['taken_up']} taken up after the kill, {second['delivered']} more sent in "
          f"{second['seconds']:.1f} s ({sent / second['seconds']:.1f}/s); sender CPU "
          f"{second['cpu_seconds'] * 1000 / sent:.0f} ms per invoice")
    rate = invoices / total
    print(f"  overall: {invoices} invoices in {total:.1f} s, the sender's start-ups included: {rate:.1f}/s "
          f"(goal >= {GOAL}/s) {'OK' if rate >= GOAL else 'BELOW GOAL'}; firm side deliveries {second['states']}")


def exactly_once(label, flows, tracking_ids, numbers, invoices):
    print(f"  {label}: {flows} flows, {tracking_ids} trackingIds, {numbers} invoices; duplicates: "
          f"{flows - tracking_ids}")
    if not flows == tracking_ids == numbers == invoices:
        sys.exit("FAILED: the platform does not hold every invoice exactly once")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=support.size(1000, 12))
    parser.add_argument("--threads", type=int, default=support.size(8, 2))
    parser.add_argument("--platforms", choices=["scripted", "facturier", "both"],
                        default=support.size("both", "scripted"), help="where to send (quick mode: scripted only)")
    args = parser.parse_args()
    print(f"sender: {args.threads} threads; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        if args.platforms != "facturier":
            scripted_platform(folder, args)
        if args.platforms != "scripted":
            facturier_platform(folder, args)


def scripted_platform(folder, args):
    print("1. A platform answering at once (scripted, in this process, it never deduplicates by itself):")
    with StubHTTPServer() as stub:
        light = StubPlatform(stub)
        with FirmSide(folder / "firm-1", light) as firm:
            send_with_a_kill(firm, args.invoices, args.threads)
        tracking = {flow["trackingId"] for flow in light.flows.values()}
        files = {flow["name"] for flow in light.flows.values()}  # each invoice's file is named after its number
        exactly_once("platform", len(light.flows), len(tracking), len(files), args.invoices)


def facturier_platform(folder, args):
    print("2. Facturier's own API as the platform (a `facturier serve` process and its database; it "
          "validates, archives and issues each invoice):")
    with Counterpart(folder / "platform", FACTURIER_TASKS="database") as platform, \
            FirmSide(folder / "firm-2", platform) as firm:
        send_with_a_kill(firm, args.invoices, args.threads)
        platform_cpu = cpu_seconds(platform.site.processes[-1].pid)
        check = platform.site.django(CHECK)
    print(f"  platform server CPU: {platform_cpu * 1000 / args.invoices:.0f} ms per invoice")
    exactly_once("platform", check["flows"], check["tracking_ids"], check["distinct_numbers"], args.invoices)


if __name__ == "__main__":
    main()
