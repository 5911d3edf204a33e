"""A callback cut short by a worker's death is sent again: real ``serve`` and ``worker`` processes.

The platform runs as in production (database task queue, one worker); the ERP's
receiver holds the first callback open while the test kills the worker with
SIGKILL, then a new worker is started. The callback arrives again, signed, under
the same delivery id, and the outbox row ends sent after two attempts.
"""

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from facturier.apiclients.testing import bearer_headers
from facturier.testing.live import LiveSite
from facturier.webhooks.signing import verify

SETUP = """
from facturier.apiclients.models import ApiClient
from facturier.exchange.tests.support import ready_to_issue
from facturier.flows.tests.samples import sales_invoice
from facturier.testing.world import build_world
import base64
world = build_world()
ready_to_issue(world.active)
client, secret = ApiClient.issue(name="ERP", dossiers=[world.active], can_issue_sales=True)
invoice = sales_invoice(world.active, world.foreign.siren, number="LIVE-1")
print_json({"client_id": client.client_id, "secret": secret, "invoice": base64.b64encode(invoice).decode()})
"""
DELIVERIES = """
from facturier.webhooks.models import Delivery
print_json(list(Delivery.objects.values("pk", "state", "attempts")))
"""


class HoldingReceiver:
    """Answers 200, except the first callback, held open until ``release`` is set."""

    def __init__(self):
        self.requests, self.first_arrived, self.release = [], threading.Event(), threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                if len(receiver.requests) == 1:
                    receiver.first_arrived.set()
                    receiver.release.wait(30)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def delivery_ids(self):
        return [headers["Facturier-Delivery-Id"] for headers, _body in self.requests]

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def wait_until(predicate, timeout=90):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_a_callback_cut_short_by_a_dead_worker_is_sent_again(tmp_path):
    receiver = HoldingReceiver()
    environment = {"FACTURIER_TASKS": "database", "FACTURIER_TASKS_ABANDONED_AFTER": "3",
                   "FACTURIER_WEBHOOKS_TIMEOUT": "2", "FACTURIER_WEBHOOKS_ALLOW_PRIVATE": "1"}
    try:
        with LiveSite(tmp_path, **environment) as site:
            url = site.serve()
            setup = site.django(SETUP)
            headers = bearer_headers(url, setup["client_id"], setup["secret"])
            with httpx.Client(base_url=f"{url}/flow-service/v1", headers=headers, timeout=60) as erp:
                webhook = erp.post("/webhooks", json={"callbackUrl": receiver.url, "flowDirection": "Out"}).json()
                info = {"name": "LIVE-1.xml", "flowSyntax": "CII", "trackingId": "LIVE-1"}
                sent = erp.post("/flows", files={"file": ("LIVE-1.xml", base64.b64decode(setup["invoice"])),
                                                 "flowInfo": (None, json.dumps(info), "application/json")})
                assert sent.status_code == 202, sent.text

            site.work()
            assert receiver.first_arrived.wait(60), "the worker never called back"
            site.processes[-1].kill()  # SIGKILL in the middle of the send
            site.processes[-1].wait(10)
            receiver.release.set()
            [cut_short] = receiver.delivery_ids()

            site.work()
            wait_until(lambda: receiver.delivery_ids().count(cut_short) == 2)
            wait_until(lambda: all(row["state"] == "sent" for row in site.django(DELIVERIES)))
            deliveries = {str(row["pk"]): row for row in site.django(DELIVERIES)}
    finally:
        receiver.close()

    assert deliveries[cut_short]["attempts"] == 2
    assert set(receiver.delivery_ids()) == set(deliveries)  # every event arrived
    first, again = [body for headers, body in receiver.requests if headers["Facturier-Delivery-Id"] == cut_short]
    assert first == again and json.loads(again)["trackingId"] == "LIVE-1"
    assert all(verify(webhook["signingKey"], body, headers) for headers, body in receiver.requests)
