"""The Flow Service under load, on real ``facturier serve`` processes.

1. ``POST /v1/flows``: 8 API clients, each sending one-page Factur-X sales
   invoices one after the other, all at once, in one dossier (``--dossiers 1``,
   the default: its archive chain serialises them) or spread over several
   companies' dossiers (``--dossiers 8``: one ERP each), spread over as many server
   processes as the machine has cores, as the README advises to scale out (a
   process serves its requests on threads, so on one core at a time).
   Validation with the French rules, archive, issuing, booking and audit
   included; the deliveries are queued for the worker, as in production. Goal:
   at least 25 flows/s, p95 at most 400 ms, no error (every answer 202 with an
   Ok acknowledgement).
2. ``POST /v1/flows/search`` in a dossier holding 100,000 flows: pages anywhere
   along the cursor (first, middle, last), with and without filters. Goal: p95
   at most 100 ms for any page.

The database is a throwaway one: PostgreSQL on the server of DATABASE_URL when
it points at PostgreSQL, a SQLite file otherwise. BENCH_QUICK=1 shrinks every
size to seconds of work (the figures then mean nothing).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/api_flows.py
    python bench/api_flows.py --flows 400 --clients 8 --servers 2 --stored 100000
"""

import argparse
import datetime
import json
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import support

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from facturier.flows.search import encode_cursor  # noqa: E402  (plain Python: no Django needed)
from facturier.testing.live import LiveSite  # noqa: E402

SELLER_SIREN = "356000000"
# The sellers of the other dossiers (--dossiers), real SIRENs.
OTHER_SIRENS = ["130005481", "180089013", "200053403", "210100012", "213100019", "330703844", "409408770"]
BUYER_SIREN = "552100554"  # a company outside the platform: its invoices wait for the e-mail delivery
GOAL_RATE, GOAL_POST_P95, GOAL_SEARCH_P95 = 25.0, 400.0, 100.0

SETUP = """
from django.utils import timezone
from facturier.apiclients.models import ApiClient
from facturier.dossiers.models import Dossier, DossierStatus
from facturier.firms.models import Firm
from facturier.identifiers import french_vat_number
firm = Firm.objects.create(siren="732829320", name="Cabinet Bench", terms_accepted_at=timezone.now())
dossiers = [Dossier.objects.create(
    firm=firm, siren=siren, name=f"VENDEUR {{siren}} SARL", fiscal_year_end_month=12, address="1 rue de la Paix",
    postal_code="75002", city="Paris", representative_name="Jeanne Dupont", vat_number=french_vat_number(siren),
    representative_email="contact@vendeur.example", status=DossierStatus.ACTIVE, activated_at=timezone.now(),
    iban="FR7630006000011234567890189", bic="AGRIFRPP") for siren in {sellers}]
clients = [ApiClient.issue(name=f"ERP {{n}}", dossiers=[dossiers[n % len(dossiers)]], can_issue_sales=True,
                           can_handle_purchases=True, can_set_statuses=True) for n in range({clients})]
print_json([[client.client_id, secret] for client, secret in clients])
"""

FILL = """
import datetime, random, uuid
from django.db import transaction
from django.utils import timezone
from facturier.dossiers.models import Dossier
from facturier.flows.models import Flow, FlowSequence
dossier = Dossier.objects.get(siren="{seller}")
start = FlowSequence.objects.get(dossier=dossier).last_value
count = max(0, {stored} - start)
now, rng = timezone.now(), random.Random(7)
kinds = [("Out", "CustomerInvoice", "CII"), ("In", "SupplierInvoice", "Factur-X"), ("In", "CustomerInvoiceLC", "CDAR"),
         ("In", "SupplierInvoiceLC", "CDAR"), ("Out", "SupplierInvoiceLC", "CDAR")]
batch = []
for n in range(1, count + 1):
    direction, flow_type, syntax = rng.choice(kinds)
    at = now - datetime.timedelta(seconds=(count - n) * 30)
    batch.append(Flow(dossier=dossier, sequence=start + n, direction=direction, flow_type=flow_type, syntax=syntax,
                      processing_rule="B2B", name=f"F{{n}}.xml", sender="", tracking_id=f"T{{n}}",
                      sha256="0" * 64, ack_status="Error" if n % 97 == 0 else "Ok", submitted_at=at, updated_at=at))
    if len(batch) == 5000:
        Flow.objects.bulk_create(batch)
        batch = []
Flow.objects.bulk_create(batch)
FlowSequence.objects.filter(dossier=dossier).update(last_value=start + count)
from django.db import connection
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE flows_flow")
print_json(start + count)
"""


def sales_invoices(count, seller_siren=SELLER_SIREN, first=0):
    """``count`` one-page Factur-X invoices of ``seller_siren``'s dossier, each its own number from ``first``
    (built, not timed)."""
    from facturx import generate_from_binary

    from einvoice.facturx import to_facturx
    from einvoice.model import Identifier
    from einvoice.tests.invoice_samples import one_page_invoice
    from einvoice.write import to_cii
    from facturier.identifiers import french_vat_number

    document = one_page_invoice()
    seller, buyer = document.seller, document.buyer
    seller.identifiers = [Identifier(seller_siren + "00017", "0009")]
    seller.legal_registration = Identifier(seller_siren, "0002")
    seller.vat_id, seller.electronic_address = french_vat_number(seller_siren), Identifier(seller_siren, "0225")
    buyer.legal_registration = Identifier(BUYER_SIREN, "0002")
    buyer.vat_id, buyer.electronic_address = french_vat_number(BUYER_SIREN), Identifier(BUYER_SIREN, "0225")
    base = to_facturx(document, "fr")
    files = []
    for n in range(first, first + count):
        document.number = f"API-BENCH-{n:06d}"
        files.append(generate_from_binary(base, to_cii(document), flavor="factur-x", level="en16931",
                                          check_xsd=False))
    return files


def token(url, client_id, secret):
    answer = httpx.post(f"{url}/auth-service/token", data={"grant_type": "client_credentials", "client_id": client_id,
                                                           "client_secret": secret}, timeout=60)
    answer.raise_for_status()
    return answer.json()["access_token"]


def client_shares(clients, sellers, flows, first=0):
    """The invoices each client sends: client ``n`` those of ``sellers[n % len(sellers)]``, flows / clients each."""
    return [sales_invoices(flows // clients, sellers[index % len(sellers)], first + index * (flows // clients))
            for index in range(clients)]


def post_flows(urls, tokens, shares, label):
    """Each client sends its share in turn, all clients at once: (elapsed s, latencies ms, errors).

    Client ``n`` talks to server ``n`` modulo their number, as a load balancer spreading connections would.
    """
    latencies, errors, start = [], [], threading.Barrier(len(tokens) + 1)

    def run(index):
        with httpx.Client(base_url=f"{urls[index % len(urls)]}/flow-service", timeout=120,
                          headers={"Authorization": f"Bearer {tokens[index]}"}) as client:
            start.wait()
            for number, data in enumerate(shares[index]):
                began = time.perf_counter()
                answer = client.post("/v1/flows", files={
                    "file": ("facture.pdf", data, "application/pdf"),
                    "flowInfo": (None, json.dumps({"name": "facture.pdf", "flowSyntax": "Factur-X",
                                                   "trackingId": f"{label}{index}-{number}"}), "application/json")})
                latencies.append((time.perf_counter() - began) * 1000)
                if answer.status_code != 202 or answer.json()["acknowledgement"]["status"] != "Ok":
                    errors.append(f"{answer.status_code} {answer.text[:300]}")

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(tokens))]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, latencies, errors


def search_timings(url, bearer, last, requests):
    """Latencies (ms) of search pages per scenario, cursors spread along the whole sequence."""
    scenarios = {
        "all flows, limit 100": {"flowDirection": ["In", "Out"]},
        "In purchase invoices": {"flowDirection": ["In"], "flowType": ["SupplierInvoice"]},
        "Error acknowledgements (1 %)": {"ackStatus": "Error"},
        "updated in the last day": {"updatedAfter": (datetime.datetime.now(datetime.UTC)
                                                      - datetime.timedelta(days=1)).isoformat()},
        "one trackingId": {"trackingId": f"T{last // 2}"},
    }
    cursors = [None, *(encode_cursor(position) for position in range(0, last, max(1, last // (requests - 1))))]
    figures = {}
    with httpx.Client(base_url=f"{url}/flow-service", timeout=60,
                      headers={"Authorization": f"Bearer {bearer}"}) as client:
        for label, where in scenarios.items():
            timings = []
            for cursor in cursors[:requests]:
                body = {"where": where, "limit": 100, **({"cursor": cursor} if cursor else {})}
                began = time.perf_counter()
                answer = client.post("/v1/flows/search", json=body)
                timings.append((time.perf_counter() - began) * 1000)
                assert answer.status_code == 200, answer.text
            figures[label] = timings
    return figures


def cpu_seconds(pid):
    """User + system CPU time the process ``pid`` used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_cpu_seconds(database):
    """CPU time of the PostgreSQL backends serving ``database`` on this machine (their title names it; 0 when
    the server is elsewhere)."""
    total = 0.0
    for process in Path("/proc").glob("[0-9]*"):
        try:
            title = (process / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if title.startswith("postgres:") and f" {database} " in title:
                total += cpu_seconds(process.name)
        except (FileNotFoundError, ProcessLookupError):
            pass  # a backend that ended meanwhile
    return total


def own_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def p95(values):
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, default=support.size(400, 16))
    parser.add_argument("--clients", type=int, default=support.size(8, 2))
    parser.add_argument("--servers", type=int, default=os.cpu_count(), help="server processes (default: one a core)")
    parser.add_argument("--dossiers", type=int, default=1, choices=range(1, len(OTHER_SIRENS) + 2),
                        help="the clients' dossiers (default: all in one)")
    parser.add_argument("--stored", type=int, default=support.size(100_000, 2_000))
    parser.add_argument("--requests", type=int, default=support.size(40, 5))
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="facturier-bench-api-"))
    print(f"Building {options.flows} one-page Factur-X invoices...", flush=True)
    sellers = [SELLER_SIREN, *OTHER_SIRENS][:options.dossiers]
    shares = client_shares(options.clients, sellers, options.flows)
    warm_up = client_shares(options.clients, sellers, options.clients, first=options.flows)
    environment = {"FACTURIER_TASKS": "database", "FACTURIER_API_RATE_LIMIT": "100000000",
                   "FACTURIER_LOG_LEVEL": "WARNING"}
    with LiveSite(workdir, **environment) as site:
        urls = [site.serve() for _ in range(options.servers)]  # one after the other: the first one migrates
        url = urls[0]
        engine = "PostgreSQL" if site.database_url.startswith("postgres") else "SQLite"
        credentials = site.django(SETUP.format(sellers=sellers, clients=options.clients))
        tokens = [token(url, client_id, secret) for client_id, secret in credentials]
        post_flows(urls, tokens, warm_up, "warm")  # one each first: stylesheets, connections

        servers = [process.pid for process in site.processes]
        database = site.database_url.rsplit("/", 1)[1]
        cpu_before = sum(cpu_seconds(server) for server in servers)
        database_before, client_before = database_cpu_seconds(database), own_cpu_seconds()
        elapsed, latencies, errors = post_flows(urls, tokens, shares, "bench")
        cpu_per_flow = (sum(cpu_seconds(server) for server in servers) - cpu_before) / len(latencies) * 1000
        database_per_flow = (database_cpu_seconds(database) - database_before) / len(latencies) * 1000
        client_per_flow = (own_cpu_seconds() - client_before) / len(latencies) * 1000
        rate = len(latencies) / elapsed
        print(f"\nPOST /v1/flows on {engine}: {len(latencies)} one-page Factur-X by {options.clients} clients "
              f"of {len(sellers)} dossier(s) on {len(urls)} server processes in {elapsed:.1f} s")
        print(f"  {rate:.1f} flows/s (goal >= {GOAL_RATE:.0f}), median {statistics.median(latencies):.0f} ms, "
              f"p95 {p95(latencies):.0f} ms (goal <= {GOAL_POST_P95:.0f}), errors {len(errors)}")
        print(f"  CPU per flow: server processes {cpu_per_flow:.0f} ms, "
              + (f"PostgreSQL backends {database_per_flow:.0f} ms, " if database_per_flow else "")
              + f"these clients {client_per_flow:.0f} ms; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        for error in errors[:5]:
            print("  error:", error)

        print(f"\nFilling the dossier up to {options.stored:,} flows...", flush=True)
        last = site.django(FILL.format(seller=SELLER_SIREN, stored=options.stored))
        server = servers[0]  # the search pages all go to the first server
        cpu_before = cpu_seconds(server)
        figures = search_timings(url, tokens[0], last, options.requests)
        searches = sum(len(timings) for timings in figures.values())
        search_cpu = (cpu_seconds(server) - cpu_before) / searches * 1000
        print(f"POST /v1/flows/search at {last:,} flows ({options.requests} pages per filter, cursors from the first "
              f"to the last page, limit 100):")
        every = []
        for label, timings in figures.items():
            every += timings
            print(f"  {label:32} median {statistics.median(timings):6.1f} ms   p95 {p95(timings):6.1f} ms")
        print(f"  all pages: p95 {p95(every):.1f} ms (goal <= {GOAL_SEARCH_P95:.0f}); server process CPU "
              f"{search_cpu:.1f} ms per page; load average {os.getloadavg()[0]:.1f}")
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
