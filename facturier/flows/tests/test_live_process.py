"""The Flow Service of a real ``facturier serve`` process: racing identical requests, pages walked while
flows are written, and a server killed in the middle of requests."""

import threading
import time

import httpx
import pytest

from facturier.apiclients.testing import bearer_headers
from facturier.flows.tests.flow_client import FlowClient
from facturier.testing.live import LiveSite

SETUP = """
from facturier.apiclients.models import ApiClient
from facturier.exchange.tests.support import ready_to_issue
from facturier.testing.world import build_world
world = build_world()
ready_to_issue(world.active)
client, secret = ApiClient.issue(name="ERP", dossiers=[world.active], can_issue_sales=True,
                                 can_handle_purchases=True, can_set_statuses=True)
print_json({"client_id": client.client_id, "secret": secret, "seller": world.active.pk,
            "buyer_siren": world.foreign.siren})
"""
INVOICE = """
from facturier.dossiers.models import Dossier
from facturier.flows.tests.samples import sales_invoice
import base64
seller = Dossier.objects.get(pk={seller})
print_json([base64.b64encode(sales_invoice(seller, "{buyer}", number=f"{prefix}-{{n}}")).decode()
            for n in range({count})])
"""
STATE = """
from facturier.flows.models import Flow
from facturier.invoices.models import Invoice
flows = Flow.objects.filter(direction="Out")
print_json({"flows": sorted(flows.values_list("tracking_id", flat=True)),
            "complete": all(f.ack_status == "Ok" and f.invoice_id and f.original_id
                            for f in flows.select_related("invoice")),
            "invoices": Invoice.objects.filter(direction="sales").count(),
            "events": sorted(Invoice.objects.filter(direction="sales").values_list("events__status", flat=True))})
"""


@pytest.fixture
def site(tmp_path):
    with LiveSite(tmp_path, FACTURIER_API_RATE_LIMIT="1000000") as site:
        yield site


def connect(site, url, setup):
    headers = bearer_headers(url, setup["client_id"], setup["secret"])
    return FlowClient(f"{url}/flow-service", headers)


def invoices(site, setup, prefix, count):
    import base64

    encoded = site.django(INVOICE.format(seller=setup["seller"], buyer=setup["buyer_siren"], prefix=prefix,
                                         count=count))
    return [base64.b64decode(item) for item in encoded]


def at_once(function, count):
    start, results = threading.Barrier(count), [None] * count

    def run(index):
        start.wait()
        results[index] = function(index)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_identical_requests_racing_make_one_flow(site):
    url = site.serve()
    setup = site.django(SETUP)
    erp = connect(site, url, setup)
    [data] = invoices(site, setup, "RACE", 1)
    answers = at_once(lambda _: erp.create_flow(data, {"name": "r.xml", "flowSyntax": "CII",
                                                        "trackingId": "RACE-1"}), 6)
    assert {answer.status_code for answer in answers} == {202}
    assert len({answer.json()["flowId"] for answer in answers}) == 1
    state = site.django(STATE)
    assert state["flows"] == ["RACE-1"] and state["invoices"] == 1 and state["complete"]


def test_cursor_pages_never_skip_nor_repeat_while_flows_are_written(site):
    url = site.serve()
    setup = site.django(SETUP)
    erp = connect(site, url, setup)
    files = invoices(site, setup, "PAGE", 36)

    def send(n):
        return erp.create_flow(files[n], {"name": f"{n}.xml", "flowSyntax": "CII", "trackingId": f"P{n}"})

    for n in range(12):
        assert send(n).status_code == 202
    writers = [threading.Thread(target=lambda k=k: [send(n) for n in range(12 + k, 36, 3)]) for k in range(3)]
    for writer in writers:
        writer.start()
    seen, cursor = [], None
    while True:  # a page of 2 at a time while three writers add flows
        page = erp.search_flows({"flowDirection": ["Out"]}, limit=2, cursor=cursor).json()
        seen += [flow["trackingId"] for flow in page["results"]]
        cursor = page.get("nextCursor")
        if not cursor:
            break
    for writer in writers:
        writer.join()
    final = [flow["trackingId"] for flow in erp.all_flows({"flowDirection": ["Out"]})]
    assert len(final) == 36 and len(set(final)) == 36
    assert len(seen) >= 12 and seen == final[:len(seen)], "the pages walked start the list: no skip, no repeat"


def kill_after_first_answer(server, answered, delay):
    """SIGKILL the server ``delay`` seconds after its first 202 of the round: the others are cut short."""
    answered.wait(timeout=60)
    time.sleep(delay)
    server.kill()


def test_a_server_killed_mid_request_leaves_each_flow_whole_or_absent(site):
    url = site.serve()
    setup = site.django(SETUP)
    files = invoices(site, setup, "KILL", 24)
    accepted, attempts = set(), {}
    for round_ in range(4):
        erp = connect(site, url, setup)
        batch = list(enumerate(files))[round_ * 6:(round_ + 1) * 6]

        server, answered = site.processes[-1], threading.Event()

        def post(index, batch=batch, erp=erp, answered=answered):
            n, data = batch[index]
            attempts[f"K{n}"] = data
            try:
                answer = erp.create_flow(data, {"name": f"{n}.xml", "flowSyntax": "CII", "trackingId": f"K{n}"})
            except httpx.TransportError:
                return
            if answer.status_code == 202:
                accepted.add(f"K{n}")
                answered.set()

        killer = threading.Thread(target=kill_after_first_answer, args=(server, answered, 0.03 * round_))
        killer.start()
        at_once(post, len(batch))
        killer.join()
        server.wait()
        site.processes.remove(server)
        erp.close()
        state = site.django(STATE)
        assert state["complete"], "a flow is there with its invoice and archived original, or not at all"
        assert accepted <= set(state["flows"]), "every 202 was committed"
        assert state["invoices"] == len(state["flows"])
        url = site.serve()
    assert len(accepted) < len(attempts), "the kills cut requests short"
    erp = connect(site, url, setup)
    for tracking_id, data in attempts.items():  # the client retries whatever it has no answer for
        if tracking_id not in accepted:
            assert erp.create_flow(data, {"name": "retry.xml", "flowSyntax": "CII",
                                          "trackingId": tracking_id}).status_code == 202
    state = site.django(STATE)
    assert state["flows"] == sorted(attempts) and state["invoices"] == len(attempts) and state["complete"]
