"""The firm's installation as a process of its own, sending to the accredited platform of ``counterpart``.

    firm = FirmSide(tmp_path, platform)          # its own database; the world's active dossier connected
    ids = firm.issue(40)                          # issued invoices whose delivery is queued, not yet run
    sender = firm.start_sender(threads=4)         # `deliver` for each, from a process the test may kill -9
    firm.wait(sender) / sender.kill()

Used by the restart tests and by bench/accredited_sending.py.
"""

import json
import subprocess
import sys

from facturier.accredited.tests.counterpart import BUYER_SIREN
from facturier.testing.live import PRELUDE, ROOT, LiveSite

POPULATE = """
from facturier.accredited.models import Connection
from facturier.exchange.tests.support import customer, ready_to_issue
from facturier.testing.world import build_world
world = build_world()
ready_to_issue(world.active)
buyer = customer(world.active, siren="BUYER_SIREN", email="", output_format="cii")
connection = Connection(firm=world.firm, name="PA", flow_url="URL/flow-service", directory_url="URL/directory-service",
                        token_url="URL/auth-service/token", client_id="CLIENT_ID", is_default=True)
connection.secret = "SECRET"
connection.save()
print_json(world.active.pk)
"""
ISSUE = """
from facturier.dossiers.models import Dossier
from facturier.exchange.tests.support import draft
from facturier.invoices.issuing import issue as issuing
seller = Dossier.objects.get(pk=SELLER)
buyer = seller.third_parties.get(siren="BUYER_SIREN")
ids = []
for n in range(COUNT):
    invoice = issuing.save_draft(seller, draft(buyer), customer=buyer)
    issuing.issue(invoice)
    ids.append(invoice.pk)
print_json(ids)
"""
# Delivers every issued invoice not yet handed to the exchange, THREADS at a time, after taking up again
# what a killed run left pending (``retry_due`` at a time when they are all due). Prints "sent N" as it goes.
SEND = """
import datetime, sys, time
from concurrent.futures import ThreadPoolExecutor
from django.db import connection
from django.db.models import Count
from django.utils import timezone
from facturier.exchange import delivery as exchange
from facturier.exchange.models import Delivery
from facturier.exchange.tasks import deliver_invoice
from facturier.invoices.models import Invoice

began, cpu = time.perf_counter(), time.process_time()
taken_up = exchange.retry_due(now=timezone.now() + datetime.timedelta(days=1))
pending = list(Invoice.objects.filter(direction="sales", state="issued").exclude(deliveries__isnull=False)
               .order_by("pk").values_list("pk", flat=True))
done = 0

def deliver(pk):
    try:
        deliver_invoice.call(pk)
    finally:
        connection.close()
    return pk

with ThreadPoolExecutor(THREADS) as pool:
    for _ in pool.map(deliver, pending):
        done += 1
        print(f"sent {done}", flush=True)
elapsed = time.perf_counter() - began
states = dict(Delivery.objects.filter(kind="invoice").values_list("state").annotate(n=Count("pk")))
print_json({"taken_up": len(taken_up), "delivered": done, "seconds": elapsed, "states": states,
            "cpu_seconds": time.process_time() - cpu})
"""


class FirmSide:
    def __init__(self, tmp_path, platform, **environment):
        self.platform = platform
        tmp_path.mkdir(parents=True, exist_ok=True)
        # Deliveries are queued when invoices are issued, and run by the sender.
        self.site = LiveSite(tmp_path, FACTURIER_TASKS="database", **environment)
        self.senders = []
        subprocess.run([sys.executable, "-m", "facturier", "migrate", "--no-input", "-v", "0"], cwd=ROOT, check=True,
                       env=self.site.environment, timeout=600)
        credentials = platform.credentials
        self.seller = self.site.django(POPULATE.replace("BUYER_SIREN", BUYER_SIREN).replace("URL", platform.url)
                                       .replace("CLIENT_ID", credentials["client_id"])
                                       .replace("SECRET", credentials["secret"]))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for log in self.senders:
            log.close()
        self.site.__exit__(*exc)

    def issue(self, count):
        return self.site.django(ISSUE.replace("SELLER", str(self.seller)).replace("BUYER_SIREN", BUYER_SIREN)
                                .replace("COUNT", str(count)))

    def start_sender(self, threads=4):
        log = open(self.site.tmp_path / f"sender-{len(self.senders)}.log", "w")  # noqa: SIM115 - the process's
        self.senders.append(log)
        return subprocess.Popen([sys.executable, "-c", PRELUDE + SEND.replace("THREADS", str(threads))],
                                env=self.site.environment, cwd=ROOT, stdout=subprocess.PIPE, stderr=log, text=True)

    def django(self, code):
        return self.site.django(code)


def finish(sender, timeout=600):
    """The sender's closing figures once it has ended (RuntimeError if it failed: see its log)."""
    out, _ = sender.communicate(timeout=timeout)
    if sender.returncode:
        raise RuntimeError(f"the sender exited with {sender.returncode}: {out[-2000:]}")
    return json.loads(out.strip().splitlines()[-1])


def kill_after(sender, sent):
    """SIGKILL the sender once it has said it delivered ``sent`` invoices; how many it had said."""
    seen = 0
    for line in sender.stdout:
        if line.startswith("sent "):
            seen = int(line.split()[1])
            if seen >= sent:
                break
    sender.kill()
    sender.wait()
    return seen
