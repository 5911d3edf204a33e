"""Recording an invoice's lifecycle statuses, with their CDAR message archived.

    record_event(invoice, 205, party="buyer", actor=user)        # a status set here: told to the other party
    record_remote_event(invoice, 205, party="buyer", source="platform")  # a status the other party set

Each recorded status is a ``LifecycleEvent`` (who, when, reason, amount) and a
CDAR D22B message built by ``einvoice.lifecycle`` and archived (kind
``lifecycle``) against the invoice. Statuses set here are announced with the
``lifecycle_event_recorded`` signal once committed, so the exchange app carries
them to the other party; statuses coming from the other party are recorded the
same way and announced with ``remote_event_recorded`` (to tell people here), never
with ``lifecycle_event_recorded``, so nothing echoes back and forth.

A CDAR message needs the parties' SIREN and electronic addresses; an invoice
lacking them (a foreign supplier, an incomplete invoice) still gets its event,
without a message, and the reason is logged.

The official list has codes no published source defines (250, 251, 300, ...:
see docs/lifecycle.md). One received from the other party is recorded and shown
on the timeline, but leaves the invoice's current status as it was; nobody here
sets one (``decisions`` never offers them).
"""

import logging
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from einvoice.errors import EInvoiceError
from einvoice.lifecycle import LifecycleStatus, build_cdar, message_for_invoice, paid_amount
from einvoice.read import read_invoice
from facturier.archive.models import Kind
from facturier.archive.store import append, open_content, prepare
from facturier.invoices.models import LifecycleEvent
from facturier.invoices.signals import lifecycle_event_recorded, remote_event_recorded, remote_status_received

logger = logging.getLogger(__name__)

Party = LifecycleEvent.Party
CENT = Decimal("0.01")


def record_event(invoice, status, *, party, actor=None, reason_code="", reason="", amount=None, at=None,
                 document=None):
    """Record a status set on this side and announce it to the other party once committed."""
    event = _record(invoice, status, party=party, actor=actor, reason_code=reason_code, reason=reason,
                    amount=amount, at=at, document=document, source="")
    transaction.on_commit(lambda: lifecycle_event_recorded.send(sender=LifecycleEvent, event=event))
    return event


def record_remote_event(invoice, status, *, party, reason_code="", reason="", amount=None, at=None,
                        message=None, source="platform", actor=None, document=None, archive_with=()):
    """Record a status the other party set (mirrored by the exchange app), without sending it back.

    ``message`` is the CDAR bytes the other party sent, archived as received;
    without it the message is built here from the invoice (``document``, its
    engine reading, when the caller has it at hand). A status that came from
    elsewhere (a ``source``) is also announced inside the transaction with
    ``remote_status_received`` (the API's In flows). ``archive_with`` are records
    of the dossier's archive, prepared (``archive.store.prepare``), appended just
    before the message under the same lock of the chain.
    """
    with transaction.atomic(savepoint=False):
        event = _record(invoice, status, party=party, actor=actor, reason_code=reason_code, reason=reason,
                        amount=amount, at=at, source=source, cdar=message, document=document,
                        archive_with=archive_with)
        if source:
            remote_status_received.send(sender=LifecycleEvent, event=event)
    transaction.on_commit(lambda: remote_event_recorded.send(sender=LifecycleEvent, event=event))
    return event


def _record(invoice, status, *, party, actor, reason_code, reason, amount, at, source, document=None, cdar=None,
            archive_with=()):
    status = LifecycleStatus(status)
    at = at or timezone.now()
    with transaction.atomic(savepoint=False):
        event = LifecycleEvent.objects.create(
            invoice=invoice, status=status, party=party, source=source, actor=actor,
            reason_code=reason_code or "", reason=reason or "", amount=amount, at=at,
        )
        if cdar is None:
            cdar = build_message(invoice, event, document=document)
        records = list(archive_with)
        if cdar is not None:
            records.append(prepare(
                invoice.dossier, cdar, kind=Kind.LIFECYCLE, media_type="application/xml",
                filename=f"CDAR-{invoice.number or invoice.pk}-{status.value}-{event.pk}.xml",
                period=at.date(), reference=invoice,
            ))
        if records:
            append(*records)
        if cdar is not None:
            event.message = records[-1]
            event.save(update_fields=["message"])
        if status.meaning_known:  # one of unknown meaning says nothing of where the invoice stands
            invoice.lifecycle_status = status.value
            invoice.save(update_fields=["lifecycle_status"])
    return event


def build_message(invoice, event, *, document=None):
    """The CDAR bytes of ``event``, or None when the invoice cannot carry one (logged)."""
    try:
        document = document or document_of(invoice)
        if document is None:
            raise EInvoiceError("the invoice has no archived original")
        status = LifecycleStatus(event.status)
        set_by = "platform" if event.party == Party.PLATFORM else event.party
        details = {"status_at": event.at}
        if event.reason_code:
            details["reason_code"] = event.reason_code
        if event.reason:
            details["reason_text"] = event.reason
        if status is LifecycleStatus.ENCAISSEE and event.amount is not None:
            details["characteristics"] = paid_amounts(document, event.amount)
        message = message_for_invoice(document, status, set_by=set_by, issued_at=event.at, **details)
        return build_cdar(message)
    except EInvoiceError as error:
        logger.warning("No CDAR message for invoice %s status %s: %s", invoice.pk, event.status, error)
        return None


def document_of(invoice):
    """The engine's reading of the invoice's archived original."""
    if invoice.original_id is None:
        return None
    return read_invoice(open_content(invoice.original))


def paid_amounts(document, amount):
    """Status 212 carries the amount received per VAT rate: ``amount`` spread as the invoice's VAT breakdown."""
    amount = Decimal(amount)
    rows = [row for row in document.vat_breakdown if row.rate is not None] or []
    total = sum((row.taxable_amount + row.tax_amount for row in rows), Decimal(0))
    if not rows or not total:
        rate = rows[0].rate if rows else Decimal(0)
        return (paid_amount(amount, rate, document.currency),)
    shares, spread = [], Decimal(0)
    for row in rows[:-1]:
        share = (amount * (row.taxable_amount + row.tax_amount) / total).quantize(CENT, ROUND_HALF_UP)
        shares.append(paid_amount(share, row.rate, document.currency))
        spread += share
    shares.append(paid_amount(amount - spread, rows[-1].rate, document.currency))
    return tuple(shares)
