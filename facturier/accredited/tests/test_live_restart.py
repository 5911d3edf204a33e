"""Two real installations: the firm's sends to the accredited platform's. Its sender killed with SIGKILL midway,
then the platform stopped while sending: afterwards every invoice is there exactly once."""

import pytest

from facturier.accredited.tests.counterpart import Counterpart
from facturier.accredited.tests.firm_side import FirmSide, finish, kill_after

COUNT = 12
CHANGE_URLS = """
from facturier.accredited.models import Connection
Connection.objects.update(flow_url="URL/flow-service", directory_url="URL/directory-service",
                          token_url="URL/auth-service/token")
print_json(True)
"""
DELIVERIES = """
from facturier.exchange.models import Delivery
print_json(sorted(Delivery.objects.filter(kind="invoice").values_list("invoice__number", "state", "channel")))
"""


@pytest.fixture
def sites(tmp_path):
    with Counterpart(tmp_path / "platform") as platform, FirmSide(tmp_path / "firm", platform) as firm:
        yield platform, firm


def test_a_sender_killed_midway_then_a_platform_down_send_nothing_twice(sites):
    platform, firm = sites
    firm.issue(COUNT)
    said = kill_after(firm.start_sender(threads=2), sent=COUNT // 3)
    assert said < COUNT, "killed before the end"

    platform.stop()  # the platform goes down: the next run fails to reach it and keeps everything to retry
    down = finish(firm.start_sender(threads=2))
    assert down["states"].get("sent", 0) < COUNT and down["states"].get("failed", 0) >= 1

    url = platform.restart_stopped()
    firm.django(CHANGE_URLS.replace("URL", url))
    finish(firm.start_sender(threads=2))
    deliveries = firm.django(DELIVERIES)
    numbers = [number for number, _state, _channel in deliveries]
    assert len(numbers) == COUNT and len(set(numbers)) == COUNT, "one delivery per invoice"
    assert {(state, channel) for _number, state, channel in deliveries} == {("sent", "accredited")}

    platform.catch_up()  # the platform's own deliveries to the buyer that its stop cut short
    state = platform.state()
    tracked = [flow["tracking_id"] for flow in state["flows"]]
    assert len(tracked) == COUNT and len(set(tracked)) == COUNT, "one flow per invoice"
    assert state["sales"] == sorted(numbers) and state["purchases"] == sorted(numbers), "each arrived once"
