"""Receiving from a real counterpart: purchase invoices and statuses pulled from another ``facturier serve``
(its own database), each present exactly once, whatever the counterpart does meanwhile."""

import pytest

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
