"""Two real installations for the receiving tests: an accredited platform (a ``facturier serve`` with its own
database, the counterpart) and the firm's installation connected to it.

    with Pair(tmp_path) as pair:
        pair.start_platform()                    # the counterpart, its world and an API client for the dossier
        pair.start_firm()                        # the firm's database, its connection to the platform
        pair.platform_receives(5, "SUP")         # 5 purchase invoices reach the dossier on the platform
        pair.firm_command("accredited", "pull")  # the firm takes them in
        pair.firm_state()                        # what the firm's dossier holds

Both sides build the same test world: the dossier "Société Active" (SIREN
356000000) exists on each, and is the company the firm connects. The buyer of
its sales invoices, ``BUYER_SIREN``, is a dossier on the platform only.
"""

import json
import sqlite3
import subprocess
import sys
import time

import httpx

from facturier.testing.live import ROOT, LiveSite, free_port

DOSSIER_SIREN = "356000000"
BUYER_SIREN = "552100554"
SUPPLIER_SIREN = "100000009"
REGISTRY = {siren: {"name": name, "status": "active", "created_on": "2001-01-01"} for siren, name in (
    (DOSSIER_SIREN, "Société Active"), (BUYER_SIREN, "Acheteur SA"), (SUPPLIER_SIREN, "VENDEUR SARL"),
    ("775672272", "Secret Voisin"), ("732829320", "Cabinet Alpha"))}

PLATFORM_SETUP = """
from facturier.apiclients.models import ApiClient
from facturier.exchange.tests.support import ready_to_issue
from facturier.testing.world import build_world, make_dossier, make_owner
from facturier.accounts.models import User
BUYER_SIREN = "552100554"
world = build_world()
ready_to_issue(world.active)
buyer = make_dossier(world.foreign_firm, "Acheteur SA", BUYER_SIREN)
make_owner(buyer, User.objects.create_user("owner@acheteur.example"))
ready_to_issue(buyer)
client, secret = ApiClient.issue(name="Cabinet Alpha", dossiers=[world.active], can_issue_sales=True,
                                 can_handle_purchases=True, can_set_statuses=True)
print_json({"client_id": client.client_id, "secret": secret, "dossier": world.active.pk, "buyer": buyer.pk})
"""
FIRM_SETUP = """
from facturier.accredited.models import Connection, DossierConnection
from facturier.exchange.tests.support import ready_to_issue
from facturier.testing.world import build_world
world = build_world()
ready_to_issue(world.active)
connection = Connection(firm=world.firm, name="PA de test", flow_url="%(url)s/flow-service",
                        directory_url="%(url)s/directory-service", token_url="%(url)s/auth-service/token",
                        client_id="%(client_id)s")
connection.secret = "%(secret)s"
connection.save()
DossierConnection.objects.create(dossier=world.active, connection=connection)
print_json({"dossier": world.active.pk, "connection": connection.pk})
"""
MOVE_CONNECTION = """
from facturier.accredited.models import Connection
Connection.objects.update(flow_url="%(url)s/flow-service", directory_url="%(url)s/directory-service",
                          token_url="%(url)s/auth-service/token")
print_json(True)
"""
PLATFORM_RECEIVES = """
from facturier.dossiers.models import Dossier
from facturier.invoices.receiving.intake import receive_file
from facturier.invoices.receiving.tests.receiving_samples import purchase_cii
dossier = Dossier.objects.get(siren="%(siren)s", status="active")
outcomes = [receive_file(dossier, f"%(prefix)s-{n}.xml", purchase_cii(dossier.siren, number=f"%(prefix)s-{n}"),
                         source="platform").outcome for n in range(%(count)d)]
print_json(outcomes)
"""
FIRM_STATE = """
from facturier.accredited.receiving.models import ReceivedFlow
from facturier.invoices.models import IncomingFile, Invoice
dossier_invoices = Invoice.objects.filter(dossier__siren="%(siren)s")
print_json({
    "purchases": sorted(dossier_invoices.filter(direction="purchase").values_list("number", flat=True)),
    "files": sorted(IncomingFile.objects.filter(source="accredited").values_list("outcome", flat=True)),
    "flows": sorted(ReceivedFlow.objects.values_list("state", "outcome")),
    "errors": sorted(set(ReceivedFlow.objects.exclude(last_error="").values_list("last_error", flat=True))),
    "flow_originals": ReceivedFlow.objects.filter(outcome="invoice").exclude(original=None).count(),
    "statuses": {number: sorted(Invoice.objects.get(dossier__siren="%(siren)s", direction="sales",
                                                    number=number).events.values_list("status", flat=True))
                 for number in dossier_invoices.filter(direction="sales").values_list("number", flat=True)},
})
"""


class Pair:
    def __init__(self, tmp_path, *, platform_environment=None, firm_environment=None):
        registry = tmp_path / "registry.json"
        registry.write_text(json.dumps(REGISTRY))
        common = {"FACTURIER_REGISTRY_FILE": str(registry), "FACTURIER_API_RATE_LIMIT": "1000000",
                  "FACTURIER_WEBHOOKS_ALLOW_PRIVATE": "1"}
        (tmp_path / "platform").mkdir()
        (tmp_path / "firm").mkdir()
        self.platform = LiveSite(tmp_path / "platform", **{**common, **(platform_environment or {})})
        self.firm = LiveSite(tmp_path / "firm", **{"FACTURIER_ACCREDITED_PULL_INTERVAL": "0", **common,
                                                   **(firm_environment or {})})
        self.platform_port = free_port()
        self.platform_url = f"http://127.0.0.1:{self.platform_port}"
        self.setup = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.firm.__exit__(*exc)
        self.platform.__exit__(*exc)

    def start_platform(self):
        """The counterpart on its fixed port (the firm's connection names it), its world made the first time."""
        serve_on(self.platform, self.platform_port)
        if not self.setup:
            self.setup["platform"] = self.platform.django(PLATFORM_SETUP)
        return self.platform_url

    def stop_platform(self):
        server = self.platform.processes.pop()
        server.kill()
        server.wait(10)

    def start_firm(self, platform_url=None):
        values = {"url": platform_url or self.platform_url, **self.setup["platform"]}
        command(self.firm, "migrate", "--verbosity", "0")
        self.setup["firm"] = self.firm.django(FIRM_SETUP % values)
        return self.setup["firm"]

    def point_firm_at(self, url):
        self.firm.django(MOVE_CONNECTION % {"url": url})

    def platform_receives(self, count, prefix):
        return self.platform.django(PLATFORM_RECEIVES % {"siren": DOSSIER_SIREN, "prefix": prefix, "count": count})

    def firm_command(self, *arguments, timeout=600):
        return command(self.firm, *arguments, timeout=timeout)

    def firm_state(self):
        return self.firm.django(FIRM_STATE % {"siren": DOSSIER_SIREN})


def command(site, *arguments, timeout=600):
    """``python -m facturier ARGUMENTS`` on the site's database; its output."""
    result = subprocess.run([sys.executable, "-m", "facturier", *arguments], env=site.environment, cwd=ROOT,
                            capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def serve_on(site, port, threads=8):
    """``facturier serve`` on a given port (a restarted counterpart keeps its address), once it answers."""
    site._start("serve", "--port", str(port), "--threads", str(threads))
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return url
        except httpx.TransportError:
            pass
        site._check_alive()
        time.sleep(0.2)
    raise RuntimeError("the live server did not answer")


def count_rows(site, sql):
    """One number from the site's database, read directly: fast enough to watch a worker at work."""
    url = site.database_url
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30) as connection:
            return connection.execute(sql).fetchone()[0]
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute(sql).fetchone()[0]


def wait_until(predicate, timeout=180, every=0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, "timed out"
        time.sleep(every)
