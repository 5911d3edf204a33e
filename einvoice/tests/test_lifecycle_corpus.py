"""Every CDAR example of the AFNOR corpus reads to the status, reason and amount it shows."""

import re
from decimal import Decimal

import pytest

from einvoice.lifecycle import LifecycleStatus, parse_cdar
from einvoice.tests.shared_files import shared_files, shared_path

EXAMPLES = shared_files("**/*CDV-*.xml", "corpus", "afnor-examples")
NAME = re.compile(r"CDV-(\d{3})_")

# What the examples' content says beyond their names.
REASONS = {"207": "TX_TVA_ERR", "210": "TX_TVA_ERR", "213": "DOUBLON"}
AMOUNTS = {"F202500003": Decimal("12000"), "F202500010": Decimal("12000"), "F202500007": Decimal("11000.00"),
           "F202500011": Decimal("-11000.00"), "F202500012": Decimal("12000.00")}


def test_the_corpus_has_lifecycle_examples():
    shared_path("corpus", "afnor-examples")
    assert len(EXAMPLES) >= 60


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_reads_to_the_status_its_name_says(path):
    code = NAME.search(path.name).group(1)
    message = parse_cdar(path.read_bytes())
    assert message.status == LifecycleStatus(int(code))
    assert message.invoice_number == re.search(r"_(F\d{9})_", path.name).group(1)
    assert message.invoice_issue_date is not None and message.seller_id == "100000009"
    assert message.reason_code == REASONS.get(code)
    if code == "212":
        assert message.amount == AMOUNTS[message.invoice_number]
        assert all(c.percent is not None for c in message.characteristics)
    else:
        assert message.amount is None
    if code == "207":
        # UC4 asks for a corrective invoice, UC5 for a credit note.
        assert message.requested_action_code == ("NIN" if path.name.startswith("UC4") else "CNF")
        assert {c.type_code for c in message.characteristics} == {"DIV", "DVA"}
