"""Webhook outbox: what the callbacks cost a flow change, and how fast the outbox empties.

    python bench/webhooks.py [flows]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/webhooks.py

On a throwaway database (SQLite in a temp dir, or a database created on the
PostgreSQL server DATABASE_URL names, dropped afterwards): one active dossier, one
API client with 5 webhooks to a local receiver. Prints

- the time to write a flow (``flows.recording.create_flow``, one transaction each)
  without any webhook, then with the 5 (one outbox row each, written in the same
  transaction): the difference is what the outbox costs a flow change;
- the rate at which ``outbox.send_due`` signs and POSTs those rows to the receiver
  (one process, one callback at a time, as one worker does).

Goal: the outbox adds at most 5 ms to a flow change, and one worker sends ≥ 25 callbacks/s, so it
keeps up with the Flow Service's target (25 flows/s) for a webhook each.
"""

import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import support

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SUBSCRIPTIONS = 5


class Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def setup_django(workdir, database_url):
    os.environ.update(DJANGO_SETTINGS_MODULE="facturier.settings", FACTURIER_DATA_DIR=workdir,
                      FACTURIER_TASKS="database", DATABASE_URL=database_url, FACTURIER_LOG_LEVEL="WARNING",
                      FACTURIER_WEBHOOKS_ALLOW_PRIVATE="1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def world():
    from django.utils import timezone

    from facturier.apiclients.models import ApiClient
    from facturier.dossiers.models import Dossier, DossierStatus
    from facturier.firms.models import Firm

    firm = Firm.objects.create(siren="732829320", name="Cabinet Bench", terms_accepted_at=timezone.now())
    dossier = Dossier.objects.create(firm=firm, name="Société Bench", siren="356000000", status=DossierStatus.ACTIVE,
                                     fiscal_year_end_month=12)
    client, _secret = ApiClient.issue(name="ERP", dossiers=[dossier], can_issue_sales=True,
                                      can_handle_purchases=True)
    return dossier, client


def flow_write_ms(dossier, count):
    """Median and p95 time (ms) to write one flow, each in its own transaction."""
    from facturier.flows.recording import create_flow

    timings = []
    for n in range(count):
        start = time.perf_counter()
        create_flow(dossier, direction="In", syntax="CII", name=f"F-{n}.xml", flow_type="SupplierInvoice")
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def main():
    flows = int(sys.argv[1]) if len(sys.argv) > 1 else support.size(500, 20)
    database_url = os.environ.get("DATABASE_URL", "")
    postgres = database_url.startswith(("postgres://", "postgresql://"))
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as workdir:
        if postgres:
            admin, name = support.throwaway_postgres(database_url, "webhooks")
            url = f"{admin.rsplit('/', 1)[0]}/{name}"
        else:
            url = f"sqlite:///{workdir}/bench.sqlite3"
        try:
            setup_django(workdir, url)
            run(flows, f"http://127.0.0.1:{receiver.server_address[1]}/hook", "PostgreSQL" if postgres else "SQLite")
        finally:
            if postgres:
                from django.db import connections

                connections.close_all()
                support.drop_postgres(admin, name)
    receiver.shutdown()


def run(flows, callback_url, database):
    from facturier.webhooks import outbox
    from facturier.webhooks.models import Delivery, Subscription

    dossier, client = world()
    bare_median, bare_p95 = flow_write_ms(dossier, flows)
    for _ in range(SUBSCRIPTIONS):
        Subscription.objects.create(dossier=dossier, api_client=client, callback_url=callback_url)
    with_median, with_p95 = flow_write_ms(dossier, flows)
    owed = Delivery.objects.count()
    assert owed == flows * SUBSCRIPTIONS, owed
    start = time.perf_counter()
    sent = outbox.send_due()
    elapsed = time.perf_counter() - start
    assert len(sent) == owed and all(delivery.state == Delivery.State.SENT for delivery in sent)
    print(f"{database}, {flows} flows, {SUBSCRIPTIONS} webhooks")
    print(f"flow write without webhooks: median {bare_median:.2f} ms, p95 {bare_p95:.2f} ms")
    print(f"flow write with {SUBSCRIPTIONS} webhooks:   median {with_median:.2f} ms, p95 {with_p95:.2f} ms "
          f"(+{with_median - bare_median:.2f} ms)")
    print(f"callbacks sent by one process: {owed} in {elapsed:.2f} s, {owed / elapsed:.0f}/s")


if __name__ == "__main__":
    main()
