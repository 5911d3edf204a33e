"""Searching a dossier's flows, a page at a time, by cursor.

    page = search(flows, Filters(flow_types=["SupplierInvoice"]), limit=25, cursor=None)
    page.results, page.next_cursor      # next_cursor None on the last page

A cursor is the position (``Flow.sequence``) of the last flow of a page; the
next page is what comes after it in the dossier's sequence. Sequences are given
in commit order (``recording``), so a flow committed while a client walks the
pages lands after every position already handed out: nothing is skipped, nothing
repeated. Each page is one short walk of the (dossier, sequence) index, however
many flows the dossier holds.
"""

import base64
import binascii
from dataclasses import dataclass, field

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
CURSOR_PREFIX = "flows:"


@dataclass(frozen=True)
class Filters:
    """The specification's ``SearchFlowFilters``; lists are alternatives (OR), filters combine (AND)."""

    updated_after: object = None
    updated_before: object = None
    processing_rules: list = field(default_factory=list)
    flow_types: list = field(default_factory=list)
    directions: list = field(default_factory=list)
    tracking_id: str = ""
    ack_status: str = ""

    def apply(self, flows):
        if self.updated_after is not None:
            flows = flows.filter(updated_at__gt=self.updated_after)
        if self.updated_before is not None:
            flows = flows.filter(updated_at__lt=self.updated_before)
        if self.processing_rules:
            flows = flows.filter(processing_rule__in=self.processing_rules)
        if self.flow_types:
            flows = flows.filter(flow_type__in=self.flow_types)
        if self.directions:
            flows = flows.filter(direction__in=self.directions)
        if self.tracking_id:
            flows = flows.filter(tracking_id=self.tracking_id)
        if self.ack_status:
            flows = flows.filter(ack_status=self.ack_status)
        return flows


@dataclass(frozen=True)
class Page:
    results: list
    next_cursor: str | None


def search(flows, filters, *, limit=DEFAULT_LIMIT, cursor=None):
    """One page of ``flows`` (a queryset of one dossier's flows) matching ``filters``, after ``cursor``."""
    flows = filters.apply(flows)
    if cursor:
        flows = flows.filter(sequence__gt=decode_cursor(cursor))
    found = list(flows.order_by("sequence")[: limit + 1])
    results = found[:limit]
    more = len(found) > limit
    return Page(results=results, next_cursor=encode_cursor(results[-1].sequence) if more else None)


def encode_cursor(sequence):
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{sequence}".encode()).decode().rstrip("=")


def decode_cursor(cursor):
    """The position a cursor names; ValueError for anything this platform did not hand out."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValueError("unreadable cursor") from None
    position = text.removeprefix(CURSOR_PREFIX)
    if position == text or not position.isascii() or not position.isdigit() or int(position) >= 2**63:
        raise ValueError("unknown cursor")
    return int(position)
