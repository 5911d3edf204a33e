"""Reading what clients send to the Flow Service: ``flowInfo`` and the search request, as the schemas say.

Anything that does not fit raises ``ApiError(400)`` with the member at fault, so
a client never gets a 500 for what it sent.
"""

import datetime
import json

from django.utils.dateparse import parse_datetime

from facturier.apiclients.errors import ApiError
from facturier.flows.models import AckStatus, FlowDirection, FlowProfile, FlowSyntax, ProcessingRule
from facturier.flows.outgoing import FlowInfo
from facturier.flows.search import DEFAULT_LIMIT, MAX_LIMIT, Filters, decode_cursor

# All the flow types of the specification: a client may filter on any, even those this platform never makes.
FLOW_TYPES = frozenset({
    "CustomerInvoice", "SupplierInvoice", "CustomerInvoiceLC", "SupplierInvoiceLC", "StateCustomerInvoiceLC",
    "StateSupplierInvoiceLC", "AggregatedCustomerTransactionReport", "UnitaryCustomerTransactionReport",
    "AggregatedCustomerPaymentReport", "UnitaryCustomerPaymentReport", "UnitarySupplierTransactionReport",
    "MultiFlowReport", "StateCustomerInvoice", "StateSupplierInvoice", "StateTransactionReport",
    "StateTransactionReportLC", "StatePaymentReport", "StatePaymentReportLC", "Undefined",
})
MAX_ID_LENGTH = 64
SHA256_LENGTH = 64


def invalid(member, message, code="INVALID_FIELD"):
    return ApiError(400, code, f"{member}: {message}")


def flow_info(raw):
    """The ``flowInfo`` part (JSON text) as a ``FlowInfo``."""
    data = json_object(raw, "flowInfo")
    for member in ("name", "flowSyntax"):
        if member not in data:
            raise invalid(f"flowInfo.{member}", "required", "MISSING_REQUIRED_FIELD")
    name = text(data, "name", 255)
    if not name.strip():
        raise invalid("flowInfo.name", "must not be empty")
    sha256 = text(data, "sha256", SHA256_LENGTH)
    if sha256 and (len(sha256) != SHA256_LENGTH or set(sha256) - set("0123456789abcdef")):
        raise invalid("flowInfo.sha256", "64 lowercase hexadecimal digits expected")
    return FlowInfo(
        name=name, syntax=choice(data, "flowSyntax", FlowSyntax.values),
        profile=choice(data, "flowProfile", FlowProfile.values),
        processing_rule=choice(data, "processingRule", ProcessingRule.values),
        tracking_id=text(data, "trackingId", MAX_ID_LENGTH), sha256=sha256,
    )


def search_request(body):
    """``(filters, limit, cursor)`` from a ``SearchFlowParams`` body."""
    data = json_object(body, "body")
    where = data.get("where")
    if not isinstance(where, dict):
        raise invalid("where", "an object with at least one criterion is required", "MISSING_REQUIRED_FIELD")
    limit = data.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise invalid("limit", f"an integer from 1 to {MAX_LIMIT} expected")
    cursor = data.get("cursor") or None
    if cursor is not None:
        try:
            decode_cursor(cursor if isinstance(cursor, str) else "")
        except ValueError:
            raise invalid("cursor", "not a cursor this service returned") from None
    filters = Filters(
        updated_after=moment(where, "updatedAfter"), updated_before=moment(where, "updatedBefore"),
        processing_rules=choices(where, "processingRule", ProcessingRule.values),
        flow_types=choices(where, "flowType", FLOW_TYPES), directions=choices(where, "flowDirection",
                                                                             FlowDirection.values),
        tracking_id=text(where, "trackingId", MAX_ID_LENGTH, prefix="where."),
        ack_status=choice(where, "ackStatus", AckStatus.values, prefix="where."),
    )
    if filters == Filters():
        raise invalid("where", "at least one criterion is required", "MISSING_REQUIRED_FIELD")
    return filters, limit, cursor


def json_object(raw, member):
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise invalid(member, "not UTF-8 text") from None
    try:
        data = json.loads(raw)
    except (TypeError, ValueError, RecursionError):
        raise invalid(member, "not valid JSON", "INVALID_FORMAT") from None
    if not isinstance(data, dict):
        raise invalid(member, "a JSON object expected", "INVALID_FORMAT")
    return data


def text(data, member, max_length, prefix="flowInfo."):
    value = data.get(member, "")
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > max_length or "\x00" in value:
        raise invalid(prefix + member, f"a string of at most {max_length} characters expected")
    return value


def choice(data, member, allowed, prefix="flowInfo."):
    value = data.get(member)
    if value is None:
        return ""
    if value not in allowed:
        raise invalid(prefix + member, f"one of {', '.join(sorted(allowed))} expected")
    return value


def choices(where, member, allowed):
    values = where.get(member)
    if values is None:
        return []
    if not isinstance(values, list) or any(not isinstance(v, str) or v not in allowed for v in values):
        raise invalid(f"where.{member}", f"a list of {', '.join(sorted(allowed))} expected")
    return values


def moment(where, member):
    value = where.get(member)
    if value is None:
        return None
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
        # In UTC: PostgreSQL refuses offsets beyond ±15:59, which RFC 3339's syntax allows.
        parsed = parsed.astimezone(datetime.UTC) if parsed is not None and parsed.tzinfo else parsed
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise invalid(f"where.{member}", "an RFC 3339 date-time with its offset expected")
    return parsed
