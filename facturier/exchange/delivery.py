"""Carrying issued invoices and their statuses to the other party.

    deliver(invoice)       # after issuing: the first channel that reaches the buyer takes it
    carry_event(event)     # after a status change: the channel that joins the two parties
    retry_due()            # failed deliveries whose next attempt is due (task and command)
    sweep_undelivered()    # issued invoices and statuses whose task was lost (worker and command)

Each delivery is a ``Delivery`` row written before the first attempt, and each
attempt is counted before it is made, so a channel knows when an earlier try (cut
short by a crash) may already have arrived. A failed attempt is kept with its error
and a next attempt time growing with each failure (``backoff``, or later when the
other side asked to wait longer); a permanent failure (no address, buyer dossier
closed) waits for a person to fix the cause and press "Renvoyer". A delivery the
other side has not confirmed yet (``DeliveryAwaiting``) stays pending until its
next attempt looks again.

The first delivery of an invoice (``initial``) and the delivery of a status are
each created once only, by a unique constraint: the task and the sweep may both
try, the first row written wins and the other gives up.
"""

import contextlib
import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from einvoice.lifecycle import LifecycleStatus
from facturier.audit.models import AuditAction
from facturier.audit.models import record as audit
from facturier.exchange.channels import channel_named, channels
from facturier.exchange.channels.base import DeliveryAwaiting, DeliveryFailed
from facturier.exchange.models import Delivery
from facturier.invoices import anomalies
from facturier.invoices.models import Anomaly, DeliveryState, Direction, Invoice, InvoiceState, LifecycleEvent

logger = logging.getLogger(__name__)

FIRST_RETRY = datetime.timedelta(minutes=5)
LONGEST_WAIT = datetime.timedelta(hours=6)
MAX_ATTEMPTS = 12
STALE_PENDING = datetime.timedelta(minutes=15)
# How far back the sweep looks for statuses never carried: a status has no row saying it needed no delivery,
# so an unbounded look would route again, each time, every status no channel carries.
LOST_EVENTS_LOOKBACK = datetime.timedelta(days=1)


def backoff(attempts):
    """5 min, 10, 20, 40, … capped at 6 h between attempts."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def deliver(invoice, *, initial=False):
    """Send an issued sales invoice by the first channel that reaches its buyer.

    ``initial`` is the delivery the exchange makes on its own once the invoice is
    issued: None is returned when another worker already made it.
    """
    for channel in channels():
        route = channel.route(invoice)
        if route is not None:
            delivery = _create(invoice=invoice, kind=Delivery.Kind.INVOICE, initial=initial, channel=channel.name,
                               recipient=route.recipient, recipient_dossier_id=route.recipient_dossier_id)
            return delivery and attempt(delivery)
    delivery = _create(invoice=invoice, kind=Delivery.Kind.INVOICE, initial=initial, channel="")
    return delivery and _failed(
        delivery, DeliveryFailed(_("Aucun canal ne permet de joindre ce client."), permanent=True))


def redeliver(invoice, *, by=None):
    """A person asks to send again: the route is looked up afresh (address added, buyer now on the platform)."""
    audit(by, AuditAction.INVOICE_RESENT, dossier=invoice.dossier, target=invoice.number, invoice=invoice.pk)
    Delivery.objects.filter(invoice=invoice, kind=Delivery.Kind.INVOICE, state=Delivery.State.FAILED).update(
        next_attempt_at=None)
    return deliver(invoice)


def carry_event(event):
    """Carry a status recorded on one side to the other party, by the channel that joins them."""
    for channel in channels():
        route = channel.route_event(event)
        if route is not None:
            delivery = _create(invoice=event.invoice, event=event, kind=Delivery.Kind.EVENT, channel=channel.name,
                               recipient=route.recipient, recipient_dossier_id=route.recipient_dossier_id)
            return delivery and attempt(delivery)
    logger.debug("No channel reaches the other party of invoice %s for status %s", event.invoice_id, event.status)
    return None


def attempt(delivery):
    """One try; the row says how it went, and the invoice's delivery state follows."""
    delivery.attempts += 1
    Delivery.objects.filter(pk=delivery.pk).update(attempts=delivery.attempts)
    try:
        channel = channel_named(delivery.channel)
        # A channel writing here what it delivers (the buyer's invoice) does it in the transaction of the row
        # saying it was sent, so statuses the delivery itself produces find their way back once committed;
        # one sending elsewhere sends outside any transaction, holding no lock while the other side answers.
        with transaction.atomic() if channel.transactional else contextlib.nullcontext():
            channel.send(delivery)
            with transaction.atomic():
                delivery.state, delivery.sent_at = Delivery.State.SENT, timezone.now()
                delivery.last_error, delivery.next_attempt_at = "", None
                delivery.save()
                _follow(delivery, DeliveryState.DELIVERED)
    except DeliveryFailed as failure:
        return _failed(delivery, failure)
    except DeliveryAwaiting as waiting:
        return _awaiting(delivery, waiting)
    except Exception as error:  # a bug or an outage we did not foresee: keep the delivery, retry it later
        logger.exception("Delivery %s failed unexpectedly", delivery.pk)
        return _failed(delivery, DeliveryFailed(f"{type(error).__name__}: {error}"))
    return delivery


def retry_due(now=None):
    """Attempt again every failed or awaiting delivery whose time has come, and pending ones a crash left behind."""
    now = now or timezone.now()
    due = Delivery.objects.filter(state__in=[Delivery.State.FAILED, Delivery.State.PENDING], next_attempt_at__lte=now)
    stale = Delivery.objects.filter(state=Delivery.State.PENDING, next_attempt_at=None,
                                    created_at__lte=now - STALE_PENDING)
    done = []
    for delivery in (due | stale).order_by("next_attempt_at", "pk").select_related("invoice", "event"):
        done.append(attempt(delivery))
    return done


def sweep_undelivered(now=None):
    """Deliver the issued invoices and carry the statuses whose task was lost; the deliveries made.

    The task is queued once the issuing commits: a server dying in between (or
    while running it in process) leaves an invoice nobody sends. Past
    ``DELIVERY_GRACE_SECONDS`` the sweep takes it over, racing the task at most
    for the row that says who delivers.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=settings.DELIVERY_GRACE_SECONDS)
    done = [_swept(deliver, invoice, initial=True) for invoice in undelivered_invoices(cutoff)]
    done += [_swept(carry_event, event) for event in uncarried_events(cutoff)]
    return [delivery for delivery in done if delivery is not None]



def undelivered_invoices(cutoff):
    """Issued sales invoices waiting for their first delivery since before ``cutoff`` (when the platform
    recorded them "Déposée"), among the few still pending: a walk of a partial index."""
    issued_before = LifecycleEvent.objects.filter(invoice=OuterRef("pk"), status=LifecycleStatus.DEPOSEE,
                                                  at__lte=cutoff)
    return (Invoice.objects.filter(delivery_state=DeliveryState.PENDING, direction=Direction.SALES,
                                   state=InvoiceState.ISSUED)
            .filter(~Exists(Delivery.objects.filter(invoice=OuterRef("pk"), kind=Delivery.Kind.INVOICE)),
                    Exists(issued_before))
            .select_related("dossier", "third_party", "original").order_by("pk"))


def uncarried_events(cutoff):
    """Statuses set here by the seller or the buyer before ``cutoff`` (and not long before) with no delivery."""
    return (LifecycleEvent.objects.filter(source="", at__lte=cutoff, at__gt=cutoff - LOST_EVENTS_LOOKBACK,
                                          party__in=[LifecycleEvent.Party.SELLER, LifecycleEvent.Party.BUYER])
            .filter(~Exists(Delivery.objects.filter(event=OuterRef("pk"))))
            .select_related("invoice", "message").order_by("at", "pk"))


def deliveries_of(invoice):
    return Delivery.objects.filter(invoice=invoice).select_related("event").order_by("-created_at", "-pk")


def _create(**fields):
    """The row of a new delivery, or None when the same one was written meanwhile (the task and the sweep)."""
    try:
        with transaction.atomic():
            return Delivery.objects.create(**fields)
    except IntegrityError:
        return None


def _swept(action, item, **options):
    """One item of the sweep; a bug on one (its route failing) is logged and does not hold up the others."""
    try:
        return action(item, **options)
    except Exception:
        logger.exception("The delivery sweep could not take up %r", item)
        return None


def _failed(delivery, failure):
    delivery.state, delivery.last_error = Delivery.State.FAILED, str(failure)
    retry = not failure.permanent and delivery.attempts < MAX_ATTEMPTS
    wait = max(backoff(delivery.attempts), datetime.timedelta(seconds=failure.retry_after or 0))
    delivery.next_attempt_at = timezone.now() + wait if retry else None
    delivery.save()
    _follow(delivery, DeliveryState.FAILED)
    if retry:
        _schedule(delivery)
    return delivery


def _awaiting(delivery, waiting):
    delivery.state, delivery.last_error = Delivery.State.PENDING, ""
    delivery.next_attempt_at = timezone.now() + datetime.timedelta(seconds=waiting.retry_after)
    delivery.save()
    _schedule(delivery)
    return delivery


def _follow(delivery, state):
    """The invoice shows how its own delivery went; status messages do not change it.

    A failure nobody will retry (no address, attempts exhausted) becomes an
    anomaly with its task, so a person fixes the cause; a success closes it.
    """
    if delivery.kind != Delivery.Kind.INVOICE:
        return
    Invoice.objects.filter(pk=delivery.invoice_id).update(delivery_state=state)
    if state == DeliveryState.DELIVERED:
        anomalies.resolve(delivery.invoice, Anomaly.Kind.DELIVERY_FAILED)
    elif delivery.next_attempt_at is None:
        anomalies.raise_anomaly(delivery.invoice, Anomaly.Kind.DELIVERY_FAILED, delivery.last_error,
                               {"delivery": delivery.pk, "channel": delivery.channel})


def _schedule(delivery):
    """A backend that can defer runs the retry on time; otherwise ``deliveries retry`` (cron) does."""
    from django_tasks import task_backends

    from facturier.exchange.tasks import retry_delivery

    if task_backends[retry_delivery.backend].supports_defer:
        run_after = delivery.next_attempt_at
        transaction.on_commit(lambda: retry_delivery.using(run_after=run_after).enqueue(delivery.pk))
