"""Twenty "Émettre" on one draft within a second, on two real server processes: the invoice is issued once.

The requests go through ``facturier serve`` processes on a database of their own
(PostgreSQL when the suite runs on it, a SQLite file otherwise), the way two
clicks, two tabs or two servers behind a load balancer reach the platform.
"""

import re
import time
from types import SimpleNamespace

import httpx
from django.urls import reverse

from facturier.invoices.issuing.tests.test_issuing_views import form_data
from facturier.testing.concurrency import at_once
from facturier.testing.live import LiveSite
from facturier.testing.servers import SMTPServer

SETUP = """
from django.test import Client
from facturier.exchange.tests.support import customer, draft, ready_to_issue
from facturier.invoices.issuing.issue import save_draft
from facturier.testing.world import build_world

world = build_world()
ready_to_issue(world.active)
buyer = customer(world.active)
invoice = save_draft(world.active, draft(buyer), customer=buyer)
browser = Client()
browser.force_login(world.user("client"))
print_json({"dossier": world.active.pk, "invoice": invoice.pk, "buyer": buyer.pk,
            "session": browser.cookies["sessionid"].value})
"""

INSPECT = """
from facturier.archive.models import ArchiveRecord, Kind
from facturier.exchange.models import Delivery
from facturier.invoices.models import Invoice, LifecycleEvent, NumberSequence

invoice = Invoice.objects.get(pk=%(invoice)d)
print_json({
    "state": invoice.state, "number": invoice.number,
    "numbers_taken": sum(NumberSequence.objects.values_list("last_value", flat=True)),
    "issued": Invoice.objects.filter(state="issued").count(),
    "deliveries": Delivery.objects.filter(kind="invoice").count(),
    "archived_originals": ArchiveRecord.objects.filter(kind=Kind.ORIGINAL_ISSUED).count(),
    "deposited_events": LifecycleEvent.objects.filter(status=200).count(),
})
"""
REQUESTS = 20
CLICK_INTERVAL = 0.15  # seconds: the clicks span more than one issuing


def test_twenty_concurrent_issues_of_one_draft_issue_it_once(tmp_path, local_registry):
    with SMTPServer() as smtp, LiveSite(tmp_path, FACTURIER_SMTP_HOST="127.0.0.1",
                                        FACTURIER_SMTP_PORT=str(smtp.port),
                                        FACTURIER_REGISTRY_FILE=str(local_registry)) as site:
        servers = [site.serve()]  # the first one migrates the new database alone
        servers.append(site.serve())
        ids = site.django(SETUP)
        path = reverse("issuing:edit", args=[ids["dossier"], ids["invoice"]])
        cookies = {"sessionid": ids["session"]}
        page = httpx.get(servers[0] + path, cookies=cookies)
        assert page.status_code == 200
        cookies["csrftoken"] = page.cookies["csrftoken"]
        data = {**form_data(SimpleNamespace(pk=ids["buyer"])),
                "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]}

        def click(index):
            time.sleep(index * CLICK_INTERVAL)  # clicks spread over a few seconds, as a person clicking on
            return httpx.post(servers[index % 2] + path, data=data, cookies=cookies, timeout=120)

        responses, errors = at_once(click, REQUESTS)

        assert errors == []
        assert sorted({response.status_code for response in responses}) == [302]
        assert {response.headers["Location"] for response in responses} == {
            reverse("invoices:detail", args=[ids["dossier"], ids["invoice"]])}
        assert site.django(INSPECT % ids) == {
            "state": "issued", "number": "F2026-00001", "numbers_taken": 1, "issued": 1, "deliveries": 1,
            "archived_originals": 1, "deposited_events": 1,
        }
        assert [message["To"] for message in smtp.mailbox.messages] == ["compta@acheteur.example"]
