"""End to end through the API, as two companies' own software would use it.

Dossier A's ERP pushes a Factur-X sales invoice; dossier B (a company of another
firm on the platform) finds it among its ``In`` flows and in its pages, and its
software approves it with a CDAR; A's ERP hears of the status through a webhook
its receiver authenticates, reads 205 from the status flow, and A's pages show it.
Nothing here calls the platform's code: HTTP to a live server, and the pages.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from django.urls import reverse

from einvoice.lifecycle import parse_cdar
from facturier.apiclients.testing import make_api_client
from facturier.flows.models import Flow, FlowSequence
from facturier.flows.tests.samples import sales_invoice, status_message
from facturier.invoices.models import Direction, Invoice
from facturier.webhooks.signing import verify

pytestmark = pytest.mark.django_db(transaction=True)


class Erp:
    """A company's software speaking the Flow Service, written from its OpenAPI document."""

    def __init__(self, base_url, client_id, secret):
        self.base_url = base_url
        token = httpx.post(f"{base_url}/auth-service/token", auth=(client_id, secret),
                           data={"grant_type": "client_credentials"}, timeout=20).raise_for_status().json()
        self.http = httpx.Client(base_url=f"{base_url}/flow-service/v1", timeout=60,
                                 headers={"Authorization": f"Bearer {token['access_token']}"})

    def send(self, data, *, name, syntax, tracking_id):
        info = {"name": name, "flowSyntax": syntax, "trackingId": tracking_id}
        answer = self.http.post("/flows", files={"file": (name, data, "application/octet-stream"),
                                                 "flowInfo": (None, json.dumps(info), "application/json")})
        assert answer.status_code == 202, answer.text
        return answer.json()

    def flow(self, flow_id, doc_type="Metadata"):
        answer = self.http.get(f"/flows/{flow_id}", params={"docType": doc_type}).raise_for_status()
        return answer.json() if doc_type == "Metadata" else answer.content

    def search(self, **where):
        return self.http.post("/flows/search", json={"where": where}).raise_for_status().json()["results"]

    def subscribe(self, callback_url, **filters):
        answer = self.http.post("/webhooks", json={"callbackUrl": callback_url, **filters})
        assert answer.status_code == 201, answer.text
        return answer.json()


class Receiver:
    """The ERP's webhook endpoint: keeps the callbacks whose signature holds, refuses the others (401)."""

    def __init__(self):
        self.signing_key, self.flows, self.refused = None, [], 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if verify(receiver.signing_key, body, self.headers):
                    receiver.flows.append(json.loads(body))
                    self.send_response(200)
                else:
                    receiver.refused += 1
                    self.send_response(401)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/facturier-hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, predicate, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [flow for flow in self.flows if predicate(flow)]
            if found:
                return found
            time.sleep(0.1)
        raise AssertionError(f"no such callback; received {self.flows}")

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def platform(seller_world, live_server, settings):
    """The shared world on a live server; its flows go before the shared teardown empties the invoices."""
    settings.BASE_URL = live_server.url
    yield seller_world
    Flow.objects.all().delete()
    FlowSequence.objects.all().delete()


def test_an_invoice_goes_from_a_to_b_and_b_approval_comes_back_to_a(live_server, platform, receiver, client):
    seller, buyer = platform.active, platform.foreign
    seller_client, seller_secret = make_api_client(seller, name="ERP de A", can_issue_sales=True)
    buyer_client, buyer_secret = make_api_client(buyer, name="Logiciel de B", can_handle_purchases=True,
                                                 can_set_statuses=True)
    erp_a = Erp(live_server.url, seller_client.client_id, seller_secret)
    erp_b = Erp(live_server.url, buyer_client.client_id, buyer_secret)
    webhook = erp_a.subscribe(receiver.url, flowDirection="In", flowTypes=["CustomerInvoiceLC"])
    receiver.signing_key = webhook["signingKey"]

    # A's ERP pushes its Factur-X; the platform takes it in, issues it and delivers it to B.
    facturx = sales_invoice(seller, buyer.siren, number="FA-2026-0042", syntax="Factur-X")
    sent = erp_a.send(facturx, name="FA-2026-0042.pdf", syntax="Factur-X", tracking_id="ERP-A-42")
    assert erp_a.flow(sent["flowId"])["acknowledgement"]["status"] == "Ok"

    # B finds it among its In flows, and its original is A's file.
    [received] = erp_b.search(flowDirection=["In"], flowType=["SupplierInvoice"])
    assert received["acknowledgement"]["status"] == "Ok"
    assert erp_b.flow(received["flowId"], "Original") == facturx
    # ... and in its pages.
    client.force_login(buyer.owner)
    purchases = client.get(reverse("invoices:purchases", args=[buyer.pk]))
    assert purchases.status_code == 200 and "FA-2026-0042" in purchases.content.decode()

    # B's software approves it with a CDAR.
    approval = erp_b.send(status_message(facturx, 205, set_by="buyer"), name="approbation.xml", syntax="CDAR",
                          tracking_id="B-205-42")
    assert erp_b.flow(approval["flowId"])["acknowledgement"]["status"] == "Ok"

    # A hears of it through its webhook, authenticated by the receiver, and reads 205 from the status flow.
    def is_approval(flow):
        return parse_cdar(erp_a.flow(flow["flowId"], "Original")).status == 205

    [heard] = receiver.wait_for(is_approval)
    assert heard["flowSyntax"] == "CDAR" and heard["acknowledgement"]["status"] == "Ok"
    assert receiver.refused == 0
    assert all(flow["flowDirection"] == "In" and flow["flowType"] == "CustomerInvoiceLC" for flow in receiver.flows)

    # ... and A's pages show the invoice approved.
    invoice = Invoice.objects.get(dossier=seller, direction=Direction.SALES, number="FA-2026-0042")
    client.force_login(seller.owner)
    detail = client.get(reverse("invoices:detail", args=[seller.pk, invoice.pk])).content.decode()
    assert "Approuvée" in detail
