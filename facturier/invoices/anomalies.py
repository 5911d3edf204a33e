"""Anomalies of an invoice and the tasks they give people, whoever finds them.

The receiving controls (seed annex 2), a failed delivery and the decisions all open
or close anomalies here, so "what blocks this invoice" has one answer:

    raise_anomaly(invoice, kind, detail, data)   # opened once, with its task
    resolve(invoice, kind)                       # closed, with its tasks
    refresh_needs_decision(invoice)              # "Action attendue" follows them
"""

from django.db import transaction
from django.utils import timezone

from facturier.invoices.models import Anomaly, Invoice, Task
from facturier.invoices.signals import anomaly_raised

Kind = Anomaly.Kind
# Who must act on each kind: the firm's assigned staff, the client's users, or both.
FIRM_ONLY = {Kind.NOT_IN_SIRENE}


def described(text, params=None):
    """An anomaly's detail kept as its wording (a French msgid, marked with ``gettext_noop``) and its values,
    so each reader gets it in their language (``Anomaly.text``) rather than the worker's."""
    return {"text": text, "params": params or {}}


def raise_anomaly(invoice, kind, detail, data, *, blocking=True):
    """Open an anomaly of ``kind`` with its task, unless one is already open; None if so.

    ``detail`` is plain text, or ``described(...)``: then ``detail`` keeps its French wording for the record.
    """
    if isinstance(detail, dict):
        data, detail = {**data, "detail": detail}, detail["text"] % detail["params"]
    with transaction.atomic():
        if invoice.anomalies.filter(kind=kind, resolved_at__isnull=True).exists():
            return None
        anomaly = Anomaly.objects.create(invoice=invoice, kind=kind, detail=detail, data=data, blocking=blocking)
        if blocking:
            Task.objects.create(
                dossier=invoice.dossier, invoice=invoice, anomaly=anomaly,
                title=f"{anomaly.get_kind_display()} : {invoice.number or '?'} ({invoice.seller_name or '?'})"[:200],
                for_firm=True, for_client=kind not in FIRM_ONLY,
            )
        # The notifications app tells who must act (seed annex 2: "une alerte sera systématiquement
        # transmise au collaborateur").
        transaction.on_commit(lambda: anomaly_raised.send(sender=Anomaly, anomaly=anomaly))
    return anomaly


def resolve(invoice, kind, *, by=None):
    """Close the open anomalies of ``kind`` (and their tasks)."""
    now = timezone.now()
    open_ = invoice.anomalies.filter(kind=kind, resolved_at__isnull=True)
    Task.objects.filter(anomaly__in=open_, done_at__isnull=True).update(done_at=now)
    return open_.update(resolved_at=now, resolved_by=by)


def refresh_needs_decision(invoice):
    """Keep ``needs_decision`` true while a blocking anomaly is open and nobody decided."""
    from facturier.invoices.decisions import DECIDED

    blocked = invoice.anomalies.filter(blocking=True, resolved_at__isnull=True).exists()
    needs = blocked and invoice.lifecycle_status not in DECIDED
    if needs != invoice.needs_decision:
        invoice.needs_decision = needs
        Invoice.objects.filter(pk=invoice.pk).update(needs_decision=needs)
    return needs

