"""The webhook operations of the Flow Service: createWebhook, listWebhooks, deleteWebhook.

A webhook belongs to the API client that created it, in the dossier it acted for:
another client of the same dossier neither sees nor deletes it.
"""

import datetime
import json
import uuid

from django.db import transaction
from django.http import HttpResponse, JsonResponse

from facturier.apiclients.audit import record_api_action
from facturier.apiclients.errors import ApiError
from facturier.apiclients.guard import api_view
from facturier.apiclients.models import ApiClient
from facturier.audit.models import AuditAction
from facturier.webhooks.callbacks import RefusedCallback, check_callback_url
from facturier.webhooks.models import Subscription

MAX_SUBSCRIPTIONS = 20  # per client and dossier: each flow event costs one callback per subscription

# The enumerations of the Flow Service document (FlowType, FlowDirection, FlowAckStatus).
FLOW_TYPES = frozenset({
    "CustomerInvoice", "SupplierInvoice", "CustomerInvoiceLC", "SupplierInvoiceLC", "StateCustomerInvoiceLC",
    "StateSupplierInvoiceLC", "AggregatedCustomerTransactionReport", "UnitaryCustomerTransactionReport",
    "AggregatedCustomerPaymentReport", "UnitaryCustomerPaymentReport", "UnitarySupplierTransactionReport",
    "MultiFlowReport", "StateCustomerInvoice", "StateSupplierInvoice", "StateTransactionReport",
    "StateTransactionReportLC", "StatePaymentReport", "StatePaymentReportLC", "Undefined",
})
FLOW_DIRECTIONS = frozenset({"In", "Out"})
ACK_STATUSES = frozenset({"Pending", "Ok", "Error"})


@api_view(methods=("GET", "POST"))
def webhooks(request):
    return create_webhook(request) if request.method == "POST" else list_webhooks(request)


@api_view(methods=("DELETE",))
def webhook(request, uid):
    """deleteWebhook: 204 once; 404 for a webhook that is not the client's (or was deleted meanwhile)."""
    try:
        uid = uuid.UUID(uid)
    except ValueError:
        raise ApiError(400, "INVALID_WEBHOOK_ID", "webhookUid must be a UUID") from None
    with transaction.atomic():
        deleted, _rows = owned(request).filter(uid=uid).delete()
        if not deleted:
            raise ApiError(404, message="Requested webhook is not found")
        record_api_action(request, AuditAction.WEBHOOK_DELETED, target=str(uid))
    return HttpResponse(status=204)


def create_webhook(request):
    """createWebhook: 201 with the id and the signing key, the only time the key is shown."""
    fields = webhook_params(request.body)
    with transaction.atomic():
        # The client's row is locked while counting, so two requests at once never pass the limit together.
        list(ApiClient.objects.select_for_update().filter(pk=request.api_client.pk).values_list("pk"))
        if owned(request).count() >= MAX_SUBSCRIPTIONS:
            raise ApiError(400, "WEBHOOK_LIMIT_REACHED",
                           f"An API client may hold {MAX_SUBSCRIPTIONS} webhooks per organization")
        subscription = Subscription.objects.create(dossier=request.api_dossier, api_client=request.api_client,
                                                   **fields)
        record_api_action(request, AuditAction.WEBHOOK_CREATED, target=str(subscription.uid),
                          callback_url=subscription.callback_url)
    return JsonResponse({"webhookId": str(subscription.uid), "signingKey": subscription.signing_key,
                         "createdAt": timestamp(subscription.created_at)}, status=201)


def list_webhooks(request):
    """listWebhooks: the client's webhooks in this dossier, without their signing keys."""
    subscriptions = list(owned(request))
    return JsonResponse({
        "count": len(subscriptions),
        # The answer's schema requires webhookIds and describes webhooks: both are given (see docs/api.md).
        "webhookIds": [str(subscription.uid) for subscription in subscriptions],
        "webhooks": [described(subscription) for subscription in subscriptions],
    })


def owned(request):
    return Subscription.objects.filter(dossier=request.api_dossier, api_client=request.api_client)


def webhook_params(body):
    """The model fields of a ``WebhookParams`` body; ``ApiError`` 400 naming the first thing wrong."""
    try:
        params = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "INVALID_JSON", "The body must be a JSON object (WebhookParams)") from None
    if not isinstance(params, dict):
        raise ApiError(400, "INVALID_JSON", "The body must be a JSON object (WebhookParams)")
    if "callbackUrl" not in params:
        raise ApiError(400, "MISSING_REQUIRED_FIELD", "callbackUrl is required")
    try:
        callback_url = check_callback_url(params["callbackUrl"])
    except RefusedCallback as refusal:
        raise ApiError(400, "INVALID_CALLBACK_URL", str(refusal)) from None
    flow_types = params.get("flowTypes", [])
    if not isinstance(flow_types, list) or not all(isinstance(t, str) and t in FLOW_TYPES for t in flow_types):
        raise ApiError(400, "INVALID_FIELD", "flowTypes must be a list of FlowType values")
    return {
        "callback_url": callback_url,
        "flow_types": sorted(set(flow_types)),
        "flow_direction": enumerated(params, "flowDirection", FLOW_DIRECTIONS),
        "ack_status": enumerated(params, "ackStatus", ACK_STATUSES),
    }


def enumerated(params, name, allowed):
    value = params.get(name, "")
    if name in params and value not in allowed:
        raise ApiError(400, "INVALID_FIELD", f"{name} must be one of {', '.join(sorted(allowed))}")
    return value


def described(subscription):
    """A subscription in the ``Webhook`` schema, filters only when set."""
    data = {"webhookId": str(subscription.uid), "createdAt": timestamp(subscription.created_at),
            "callbackUrl": subscription.callback_url}
    if subscription.flow_types:
        data["flowTypes"] = subscription.flow_types
    if subscription.flow_direction:
        data["flowDirection"] = subscription.flow_direction
    if subscription.ack_status:
        data["ackStatus"] = subscription.ack_status
    return data


def timestamp(moment):
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
