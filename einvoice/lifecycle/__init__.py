"""Lifecycle statuses of French e-invoices, as CDAR D22B messages.

    message = message_for_invoice(invoice, LifecycleStatus.REFUSEE, set_by="buyer", issued_at=now,
                                  reason_code="TX_TVA_ERR")
    data = build_cdar(message)          # checks the French rules, raises InvalidLifecycleMessage
    parse_cdar(data) == message         # reading gives the same message back
"""

from einvoice.lifecycle.cdar import build_cdar, parse_cdar, parse_cdar_all
from einvoice.lifecycle.message import (
    PAID_AMOUNT,
    CdarParty,
    Characteristic,
    InvalidLifecycleMessage,
    LifecycleMessage,
    message_for_invoice,
    paid_amount,
    party_of,
)
from einvoice.lifecycle.statuses import (
    GUIDELINE,
    REASONS,
    REASONS_BY_STATUS,
    REASONS_EN,
    LifecycleStatus,
    reason_text,
)

__all__ = [
    "GUIDELINE", "PAID_AMOUNT", "REASONS", "REASONS_BY_STATUS", "REASONS_EN", "CdarParty", "Characteristic",
    "InvalidLifecycleMessage", "LifecycleMessage", "LifecycleStatus", "build_cdar", "message_for_invoice",
    "paid_amount", "parse_cdar", "parse_cdar_all", "party_of",
    "reason_text",
]
