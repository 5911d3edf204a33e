"""Receiving from a real counterpart: purchase invoices and statuses pulled from another ``facturier serve``
(its own database), each present exactly once, whatever the counterpart does meanwhile."""

import pytest

from facturier.accredited.receiving.tests.faults import FaultyProxy
from facturier.accredited.receiving.tests.pair import Pair


@pytest.fixture
def pair(tmp_path):
    with Pair(tmp_path) as pair:
        pair.start_platform()
        pair.start_firm()
        yield pair


def test_incoming_invoices_are_taken_in_once_with_their_flow_and_original(pair):
    assert pair.platform_receives(4, "SUP") == ["accepted"] * 4
    output = pair.firm_command("accredited", "pull")
    assert "4 flow(s) taken in" in output
    state = pair.firm_state()
    assert state["purchases"] == ["SUP-0", "SUP-1", "SUP-2", "SUP-3"]
    assert state["files"] == ["accepted"] * 4
    assert state["flows"] == [["done", "invoice"]] * 4 and state["flow_originals"] == 4

    pair.platform_receives(1, "LATE")
    pair.firm_command("accredited", "pull")  # the next walk lists from its mark: old flows are not taken again
    state = pair.firm_state()
    assert state["purchases"] == ["LATE-0", "SUP-0", "SUP-1", "SUP-2", "SUP-3"]
    assert state["files"] == ["accepted"] * 5 and len(state["flows"]) == 5


def test_429_500_and_a_stopped_platform_lose_nothing_and_repeat_nothing(pair):
    pair.platform_receives(10, "SUP")
    with FaultyProxy(pair.platform_url, fault_rate=0.3) as proxy:
        pair.point_firm_at(proxy.url)
        outputs = [pair.firm_command("accredited", "pull", "--dossier", str(pair.setup["firm"]["dossier"]))]
        pair.stop_platform()
        outputs.append(pair.firm_command("accredited", "pull", "--dossier", str(pair.setup["firm"]["dossier"])))
        assert " 0 taken in" in outputs[-1] and "502 : réessayez plus tard" in outputs[-1], "said in French"
        pair.start_platform()
        for _attempt in range(40):  # cron runs the pull again and again
            if len(pair.firm_state()["purchases"]) == 10:
                break
            outputs.append(pair.firm_command("accredited", "pull", "--dossier", str(pair.setup["firm"]["dossier"])))
        assert proxy.faults[429] and proxy.faults[500], proxy.faults
    state = pair.firm_state()
    assert state["purchases"] == [f"SUP-{n}" for n in range(10)], outputs
    assert state["files"] == ["accepted"] * 10, "no file was taken in twice (a DOUBLON would show it)"
    assert state["flows"] == [["done", "invoice"]] * 10
