"""Webhook callbacks through a database outbox.

    record(flow)      # in the flow's transaction: one Delivery row per matching subscription
    send(delivery_id) # claim the row, POST the signed body, settle or schedule the next attempt
    send_due()        # every row whose time has come, including those a dead worker held

The rows are written with the flow itself, so a callback is owed exactly when the
change happened; the send runs after commit (a task), and whatever stops it (the
receiver down, the worker killed) leaves the row to be claimed again. Receivers
therefore see each event at least once: ``Facturier-Delivery-Id`` lets them drop
a repeat.

A row is claimed by one conditional UPDATE, so two workers never send it twice at
once; a claim is a lease (``lease()``), after which the claimer counts as dead. A
task that finds the row held comes back when the lease ends: if the holder died,
nobody else would.
"""

import datetime
import functools
import json
import logging

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from facturier.flows.metadata import flow_metadata
from facturier.flows.models import FlowType
from facturier.webhooks.callbacks import RefusedCallback, check_callback_url
from facturier.webhooks.models import Delivery, Subscription
from facturier.webhooks.signing import signed_headers

logger = logging.getLogger(__name__)

FIRST_RETRY = datetime.timedelta(seconds=30)
LONGEST_WAIT = datetime.timedelta(hours=6)
MAX_ATTEMPTS = 15  # about three days of retries
RETRIED_STATUSES = {408, 425, 429}
DELIVERY_HEADER = "Facturier-Delivery-Id"
SALES_TYPES = {FlowType.CUSTOMER_INVOICE, FlowType.CUSTOMER_INVOICE_LC}
PURCHASE_TYPES = {FlowType.SUPPLIER_INVOICE, FlowType.SUPPLIER_INVOICE_LC}


def backoff(attempts):
    """30 s, 1 min, 2 min, 4 min, … capped at 6 h between attempts."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def lease():
    """How long a claim holds: longer than any send, httpx's timeout applying to connect, write and read each."""
    return datetime.timedelta(seconds=4 * settings.WEBHOOKS_TIMEOUT)


def record(flow):
    """Owe a callback about ``flow`` to each subscription of its dossier that matches it.

    Only subscriptions of the flow's own dossier are considered, only those whose
    API client is still allowed there, and only for the flows that client could
    read through the API: a tenant never hears of another's flows, nor a client of
    the flows its rights do not cover.
    """
    subscriptions = list(_subscriptions_of(flow.dossier_id))
    if not subscriptions:
        return []
    metadata = flow_metadata(flow)
    body = json.dumps(metadata, ensure_ascii=False, separators=(",", ":"))
    deliveries = Delivery.objects.bulk_create(
        Delivery(subscription=subscription, flow_id=metadata["flowId"], body=body)
        for subscription in subscriptions
        if visible_to(subscription.api_client, flow) and subscription.matches(metadata))
    if deliveries:
        ids = [delivery.pk for delivery in deliveries]
        transaction.on_commit(lambda: _enqueue(ids))
    return deliveries


def visible_to(client, flow):
    """The rule of the Flow Service's reads: the flows it sent, and the side(s) of the invoices its rights cover."""
    return (flow.sender == client.client_id
            or (client.can_issue_sales and flow.flow_type in SALES_TYPES)
            or (client.can_handle_purchases and flow.flow_type in PURCHASE_TYPES))


def send(delivery_id, now=None):
    """One attempt at one delivery, if it is due and nobody else holds it; returns the row or None."""
    now = now or timezone.now()
    lease_end = now + lease()
    claimable = Q(state=Delivery.State.PENDING, next_attempt_at__lte=now) | Q(
        state=Delivery.State.SENDING, claimed_until__lt=now)
    claimed = Delivery.objects.filter(claimable, pk=delivery_id).update(
        state=Delivery.State.SENDING, claimed_until=lease_end, attempts=F("attempts") + 1)
    if not claimed:
        held_until = Delivery.objects.filter(pk=delivery_id, state=Delivery.State.SENDING).values_list(
            "claimed_until", flat=True).first()
        if held_until is not None:
            _schedule(delivery_id, held_until + datetime.timedelta(seconds=1))
        return None
    delivery = Delivery.objects.select_related("subscription").get(pk=delivery_id)
    outcome = _post(delivery)
    _settle(delivery, lease_end, *outcome)
    return delivery


def send_due(now=None):
    """Attempt every delivery whose time has come; returns the rows attempted."""
    now = now or timezone.now()
    due = Delivery.objects.filter(
        Q(state=Delivery.State.PENDING, next_attempt_at__lte=now)
        | Q(state=Delivery.State.SENDING, claimed_until__lt=now))
    attempted = (send(pk, now) for pk in due.order_by("next_attempt_at", "pk").values_list("pk", flat=True))
    return [delivery for delivery in attempted if delivery is not None]


def _subscriptions_of(dossier_id):
    """Subscriptions of the dossier whose client is unrevoked and still allowed on the dossier."""
    return Subscription.objects.filter(dossier_id=dossier_id, api_client__dossiers=dossier_id,
                                       api_client__revoked_at__isnull=True).select_related("api_client")


def _post(delivery):
    """``(status, error, retry)`` of one POST of the delivery's body to its callback."""
    subscription = delivery.subscription
    body = delivery.body.encode()
    try:
        url = check_callback_url(subscription.callback_url)
    except RefusedCallback as refusal:
        return None, str(refusal), False
    headers = {"Content-Type": "application/json", DELIVERY_HEADER: str(delivery.pk),
               **signed_headers(subscription.signing_key, body)}
    try:
        response = _http_client().post(url, content=body, headers=headers, timeout=settings.WEBHOOKS_TIMEOUT)
    except httpx.HTTPError as error:
        return None, f"{type(error).__name__}: {error}", True
    if response.is_success:
        return response.status_code, "", False
    retry = response.status_code >= 500 or response.status_code in RETRIED_STATUSES
    return response.status_code, f"HTTP {response.status_code}: {response.text[:500]}", retry


@functools.cache
def _http_client():
    """One client per process: its connections are reused, and its TLS context is built once, not per call."""
    return httpx.Client(follow_redirects=False)


def _settle(delivery, lease_end, status, error, retry):
    """Write the outcome, unless the lease ran out and another worker took the row meanwhile."""
    now = timezone.now()
    fields = {"last_status": status, "last_error": error, "claimed_until": None}
    if not error:
        fields.update(state=Delivery.State.SENT, sent_at=now)
    elif retry and delivery.attempts < MAX_ATTEMPTS:
        fields.update(state=Delivery.State.PENDING, next_attempt_at=now + backoff(delivery.attempts))
    else:
        fields.update(state=Delivery.State.ABANDONED)
        logger.warning("Webhook delivery %s abandoned after %s attempt(s): %s", delivery.pk, delivery.attempts,
                       error)
    held = Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING, claimed_until=lease_end)
    if held.update(**fields):
        for name, value in fields.items():
            setattr(delivery, name, value)
        if fields["state"] == Delivery.State.PENDING:
            _schedule(delivery.pk, delivery.next_attempt_at)


def _enqueue(ids):
    """One task for the event's callbacks: a queued task costs a write, and a flow change waits for it."""
    from facturier.webhooks.tasks import send_deliveries

    send_deliveries.enqueue(ids)


def _schedule(delivery_id, when):
    """A backend that can defer tries again on time; otherwise ``webhooks send-due`` (cron) does."""
    from django_tasks import task_backends

    from facturier.webhooks.tasks import send_delivery

    if task_backends[send_delivery.backend].supports_defer:
        send_delivery.using(run_after=when).enqueue(delivery_id)
