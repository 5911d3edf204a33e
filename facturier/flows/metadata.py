"""A flow as the API shows it: the specification's ``Flow`` schema (getFlow Metadata, search results, webhooks)."""

import datetime

from facturier.flows.models import AckStatus


def flow_metadata(flow):
    """The JSON-ready dict of ``flow`` in the specification's ``Flow`` shape."""
    data = {
        "flowId": str(flow.uid),
        "name": flow.name,
        "flowSyntax": flow.syntax,
        "flowProfile": flow.profile,
        "flowType": flow.flow_type,
        "flowDirection": flow.direction,
        "processingRule": flow.processing_rule,
        "processingRuleSource": "Input" if flow.processing_rule_given else "Computed",
        "submittedAt": _timestamp(flow.submitted_at),
        "updatedAt": _timestamp(flow.updated_at),
        "acknowledgement": {"status": flow.ack_status},
    }
    if flow.tracking_id:
        data["trackingId"] = flow.tracking_id
    if flow.sha256:
        data["sha256"] = flow.sha256
    if flow.ack_details and flow.ack_status != AckStatus.PENDING:
        data["acknowledgement"]["details"] = list(flow.ack_details)
    return data


def _timestamp(moment):
    """RFC 3339 in UTC with a Z, as clients of other platforms parse it."""
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
