"""The firm's workers receiving from a real counterpart while its webhooks race their pulls: two workers at
once, one killed with SIGKILL mid-batch, the counterpart stopped for a while; every flow taken in once."""

import threading
import time

from facturier.accredited.receiving.tests.pair import Pair, count_rows, serve_on, wait_until
from facturier.testing.live import free_port

COUNT = 30
DONE = "SELECT count(*) FROM accredited_receiving_receivedflow WHERE state = 'done'"
SUBSCRIBED = "SELECT count(*) FROM accredited_receiving_inbox WHERE webhook_id <> ''"
CALLBACKS = """
from facturier.webhooks.models import Delivery
print_json(Delivery.objects.filter(state="sent").count())
"""


def test_two_workers_a_kill_and_webhooks_take_each_flow_once(tmp_path):
    firm_port = free_port()
    firm_environment = {"FACTURIER_TASKS": "database", "FACTURIER_ACCREDITED_PULL_INTERVAL": "1",
                        "FACTURIER_ACCREDITED_WEBHOOKS": "1", "FACTURIER_BASE_URL": f"http://127.0.0.1:{firm_port}",
                        "FACTURIER_TASKS_ABANDONED_AFTER": "5"}
    with Pair(tmp_path, firm_environment=firm_environment) as pair:
        pair.start_platform()
        pair.start_firm()
        serve_on(pair.firm, firm_port)  # where the counterpart calls back
        pair.firm.work()
        wait_until(lambda: count_rows(pair.firm, SUBSCRIBED))  # the first sweep subscribed the dossier
        pair.firm.work()
        killed = pair.firm.processes[-2]

        # The counterpart receives the invoices one by one (each arrival called back to the firm) meanwhile.
        arrivals = threading.Thread(target=pair.platform_receives, args=(COUNT, "SUP"))
        arrivals.start()
        wait_until(lambda: count_rows(pair.firm, DONE) >= 3, every=0.05)
        killed.kill()  # SIGKILL, in the middle of the batch
        killed.wait(10)
        taken_when_killed = count_rows(pair.firm, DONE)
        pair.stop_platform()
        arrivals.join()
        time.sleep(3)  # the other worker's pulls fail meanwhile
        pair.start_platform()
        pair.firm.work()
        wait_until(lambda: count_rows(pair.firm, DONE) == COUNT, timeout=300)
        time.sleep(3)  # time for anything taken twice to show
        state = pair.firm_state()
        callbacks = pair.platform.django(CALLBACKS)

    assert taken_when_killed < COUNT, "the worker was killed before the batch was over"
    assert callbacks >= COUNT, "the counterpart called the firm back for each flow"
    assert state["purchases"] == sorted(f"SUP-{n}" for n in range(COUNT))
    assert state["files"] == ["accepted"] * COUNT, "no file taken in twice (a DOUBLON would show it)"
    assert state["flows"] == [["done", "invoice"]] * COUNT
