"""The accredited platform of the tests: a real ``facturier serve`` on a database of its own.

It holds the world's active dossier again (the seller, whose API client the firm
side's connection uses) and a buyer, "Acheteur SA" (SIREN 552100554), that is a
dossier there only: on the firm side the same SIREN is no dossier, so an invoice to
it leaves through the accredited platform. Importable without Django set up (the
benchmark starts it from outside).

    with Counterpart(tmp_path) as platform:
        connection = platform.connect(world.firm)          # the firm's default connection
        platform.state()                                    # what the platform holds now
"""

import json

from facturier.testing.live import LiveSite

BUYER_SIREN = "552100554"  # the exchange tests' e-mail buyer: on the firm's side no dossier has it
SETUP = """
from facturier.apiclients.models import ApiClient
from facturier.exchange.tests.support import ready_to_issue
from facturier.testing.world import build_world, make_dossier, make_owner
from facturier.accounts.models import User
world = build_world()
ready_to_issue(world.active)
buyer = make_dossier(world.foreign_firm, "Acheteur SA", "BUYER_SIREN")
make_owner(buyer, User.objects.create_user("owner@acheteur.example"))
ready_to_issue(buyer)
client, secret = ApiClient.issue(name="Cabinet Alpha (connexion)", dossiers=[world.active], can_issue_sales=True,
                                 can_handle_purchases=True, can_set_statuses=True)
print_json({"client_id": client.client_id, "secret": secret})
"""
STATE = """
from facturier.flows.models import Flow
from facturier.invoices.models import Invoice
flows = Flow.objects.filter(direction="Out").order_by("pk")
print_json({
    "flows": [{"tracking_id": f.tracking_id, "ack": f.ack_status, "syntax": f.syntax, "type": f.flow_type,
               "rule": f.processing_rule} for f in flows],
    "sales": sorted(Invoice.objects.filter(direction="sales", dossier__siren="356000000")
                    .values_list("number", flat=True)),
    "purchases": sorted(Invoice.objects.filter(direction="purchase", dossier__siren="BUYER_SIREN")
                        .values_list("number", flat=True)),
    "sales_events": sorted(Invoice.objects.filter(direction="sales", dossier__siren="356000000")
                           .values_list("number", "events__status").distinct()),
    "purchase_events": sorted(Invoice.objects.filter(direction="purchase", dossier__siren="BUYER_SIREN")
                              .values_list("number", "events__status").distinct()),
})
"""

# The platform killed between a flow's commit and the start of its delivery to the buyer (run in process here)
# leaves an issued invoice without any delivery: the exchange's sweep delivers it once the grace period is
# over (``now`` moved past it here), beside the pending deliveries the retry takes up again.
CATCH_UP = """
import datetime
from django.utils import timezone
from facturier.exchange.delivery import retry_due, sweep_undelivered
later = timezone.now() + datetime.timedelta(days=1)
retried = retry_due(now=later)
swept = sweep_undelivered(now=later)
print_json([len(retried), len(swept)])
"""


class Counterpart:
    def __init__(self, tmp_path, **environment):
        tmp_path.mkdir(parents=True, exist_ok=True)
        registry = tmp_path / "registry.json"
        registry.write_text(json.dumps({siren: {"name": name, "status": "active", "created_on": "2001-01-01"}
                                        for siren, name in (("356000000", "Société Active"),
                                                            (BUYER_SIREN, "Acheteur SA"))}))
        self.site = LiveSite(tmp_path, FACTURIER_API_RATE_LIMIT="1000000", FACTURIER_REGISTRY_FILE=str(registry),
                             **environment)

    def __enter__(self):
        self.site.__enter__()
        self.url = self.site.serve()
        self.credentials = self.site.django(SETUP.replace("BUYER_SIREN", BUYER_SIREN))
        return self

    def __exit__(self, *exc):
        self.site.__exit__(*exc)

    def restart(self):
        """Stop the server (SIGKILL) and start another on the same database; the new base URL."""
        server = self.site.processes.pop()
        server.kill()
        server.wait()
        self.url = self.site.serve()
        return self.url

    def stop(self):
        """Kill the server: the platform is down until ``restart_stopped``."""
        server = self.site.processes.pop()
        server.kill()
        server.wait()

    def restart_stopped(self):
        self.url = self.site.serve()
        return self.url

    def connect(self, firm, *, name="PA de test", is_default=True, url=None):
        from facturier.accredited.models import Connection
        from facturier.apiclients.testing import token_url

        url = url or self.url
        connection = Connection(firm=firm, name=name, flow_url=f"{url}/flow-service",
                                directory_url=f"{url}/directory-service", token_url=token_url(url),
                                client_id=self.credentials["client_id"], is_default=is_default)
        connection.secret = self.credentials["secret"]
        connection.save()
        return connection

    def catch_up(self):
        """What the platform's own worker does after it was stopped: its deliveries left pending run again."""
        return self.site.django(CATCH_UP)

    def state(self):
        return self.site.django(STATE.replace("BUYER_SIREN", BUYER_SIREN))
