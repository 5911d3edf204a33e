"""Directory Service look-ups over HTTP on a real ``facturier serve``: p95 per operation.

Starts a server on a throwaway database (PostgreSQL when DATABASE_URL points at it, a SQLite
file otherwise; see facturier/testing/live.py), lists 10,000 active dossiers with a facility
each and a routing code on every tenth, then times each look-up and search of the Directory
Service with a bearer token, sequentially then from 4 concurrent clients. Goal: p95 ≤ 50 ms.

    python bench/api_directory.py [--requests 200]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import support

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from facturier.testing.live import LiveSite

DOSSIERS = support.size(10_000, 50)
GOAL_MS = 50
CLIENTS = 4
POPULATE = """
from django.utils import timezone
from stdnum import luhn
from facturier.apiclients.models import ApiClient
from facturier.directory.models import Facility, RoutingCode
from facturier.dossiers.models import Dossier, DossierStatus
from facturier.firms.models import Firm

def siren(number):
    base = f"{number:08d}"
    return base + luhn.calc_check_digit(base)

def siret(siren_number, index):
    base = f"{siren_number}{index:04d}"
    return base + luhn.calc_check_digit(base)

firm = Firm.objects.create(siren="732829320", name="Cabinet Bench", terms_accepted_at=timezone.now())
now = timezone.now()
Dossier.objects.bulk_create([
    Dossier(firm=firm, name=f"Société {i:05d}", siren=siren(10_000_000 + i * 37), fiscal_year_end_month=12,
            address=f"{i} rue de la République", postal_code="69001", city="Lyon", representative_name="D",
            representative_email="d@example.com", status=DossierStatus.ACTIVE, activated_at=now)
    for i in range(%(dossiers)d)
], batch_size=1000)
dossiers = list(Dossier.objects.order_by("pk"))
Facility.objects.bulk_create([Facility(dossier=d, siret=siret(d.siren, 1), is_main=True) for d in dossiers],
                             batch_size=1000)
RoutingCode.objects.bulk_create([
    RoutingCode(facility=f, identifier=f"SERVICE-{n}", name=f"Service {n}")
    for n, f in enumerate(Facility.objects.order_by("pk")) if n %% 10 == 0
], batch_size=1000)
client, secret = ApiClient.issue(name="Bench", dossiers=[dossiers[0]])
sample = dossiers[len(dossiers) // 2]
facility = sample.facilities.get()
code = RoutingCode.objects.select_related("facility__dossier").order_by("pk")[len(dossiers) // 20]
print_json({"client_id": client.client_id, "secret": secret, "siren": sample.siren, "siret": facility.siret,
            "code_siren": code.facility.dossier.siren, "code_siret": code.facility.siret, "code": code.identifier})
"""


def operations(ids):
    root = "/directory-service/v1"
    line = f"{ids['code_siren']}_{ids['code_siret']}_{ids['code']}"
    return [
        ("GET siren", "GET", f"{root}/siren/code-insee:{ids['siren']}", None),
        ("GET siret", "GET", f"{root}/siret/code-insee:{ids['siret']}?include=siren", None),
        ("GET routing code", "GET", f"{root}/routing-code/siret:{ids['code_siret']}/code:{ids['code']}", None),
        ("GET line SIREN", "GET", f"{root}/directory-line/code:{ids['siren']}", None),
        ("GET line SIREN_SIRET_code", "GET", f"{root}/directory-line/code:{line}?include=routingCode", None),
        ("POST siren/search name", "POST", f"{root}/siren/search",
         {"filters": {"businessName": {"op": "startWith", "value": f"Société {DOSSIERS // 20:04d}"}},  # 10 companies
          "limit": 20}),
        ("POST siret/search siren", "POST", f"{root}/siret/search",
         {"filters": {"siren": {"op": "strict", "value": ids["siren"]}}}),
        ("POST directory-line/search siren", "POST", f"{root}/directory-line/search",
         {"filters": {"siren": {"op": "strict", "value": ids["code_siren"]}}}),
    ]


def cpu_seconds(pid):
    """User and system CPU time the process has used (Linux /proc): what a request costs the server, whatever
    else the machine runs at the same time."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def p95(timings):
    return statistics.quantiles(timings, n=20)[18] if len(timings) >= 2 else timings[0]


def timed(http, method, path, body):
    start = time.perf_counter()
    response = http.request(method, path, json=body)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (path, response.status_code, response.text)
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=support.size(200, 5))
    args = parser.parse_args()
    with LiveSite(Path(tempfile.mkdtemp(prefix="facturier-bench-")), FACTURIER_API_RATE_LIMIT="100000000",
                  FACTURIER_LOG_LEVEL="WARNING") as site:
        server = site.serve()
        server_pid = site.processes[-1].pid
        ids = site.django(POPULATE % {"dossiers": DOSSIERS})
        token = httpx.post(f"{server}/auth-service/token", data={
            "grant_type": "client_credentials", "client_id": ids["client_id"], "client_secret": ids["secret"]},
        ).json()["access_token"]
        vendor = "PostgreSQL" if site.database_url.startswith("postgres") else "SQLite"
        print(f"Directory Service over HTTP, {DOSSIERS} active dossiers, {vendor}, {args.requests} requests "
              f"per operation (goal p95 ≤ {GOAL_MS} ms)")
        worst = 0.0
        with httpx.Client(base_url=server, headers={"Authorization": f"Bearer {token}"}, timeout=30) as http:
            for label, method, path, body in operations(ids):
                for _ in range(support.WARM_UP):
                    timed(http, method, path, body)
                cpu_before = cpu_seconds(server_pid)
                sequential = [timed(http, method, path, body) for _ in range(args.requests)]
                cpu_ms = (cpu_seconds(server_pid) - cpu_before) * 1000 / args.requests
                with ThreadPoolExecutor(CLIENTS) as pool:
                    concurrent = list(pool.map(timed, [http] * args.requests, [method] * args.requests,
                                               [path] * args.requests, [body] * args.requests))
                worst = max(worst, p95(sequential))
                print(f"  {label:34} p50 {statistics.median(sequential):6.1f} ms  p95 {p95(sequential):6.1f} ms"
                      f"  server CPU {cpu_ms:5.1f} ms/request   {CLIENTS} clients: p95 {p95(concurrent):6.1f} ms")
        print(f"  worst sequential p95 {worst:.1f} ms: {'OK' if worst <= GOAL_MS else 'ABOVE GOAL'}"
              f" (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
