"""Who is told of what happened to an invoice, recorded once per person and event.

    tell_about_event(event)       # a purchase invoice received, a sales invoice refused or paid
    tell_about_anomaly(anomaly)   # the client users concerned, and the staff following the dossier

A person is never told of what they did themselves (the event's actor), nor of a
purchase invoice someone of the dossier uploaded: "received" means it came from
outside (another dossier, an accredited platform, e-mail).
"""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q

from einvoice.lifecycle import LifecycleStatus
from facturier.dossiers.access import assigned_staff
from facturier.invoices.anomalies import FIRM_ONLY
from facturier.invoices.models import Direction
from facturier.notifications.models import DEFAULT_FREQUENCY, Kind, Notification, Preference

SALES_EVENTS = {
    LifecycleStatus.REFUSEE: Kind.INVOICE_REFUSED,
    LifecycleStatus.REJETEE: Kind.INVOICE_REFUSED,
    LifecycleStatus.PAIEMENT_TRANSMIS: Kind.INVOICE_PAID,
    LifecycleStatus.ENCAISSEE: Kind.INVOICE_PAID,
}


def kind_of_event(event):
    """The kind of notification a lifecycle event gives, or None when it is nobody's news."""
    invoice = event.invoice
    if invoice.direction == Direction.PURCHASE:
        arrived = event.status == LifecycleStatus.MISE_A_DISPOSITION and invoice.created_by_id is None
        return Kind.INVOICE_RECEIVED if arrived else None
    return SALES_EVENTS.get(event.status)


def tell_about_event(event):
    kind = kind_of_event(event)
    if kind is None:
        return []
    invoice = event.invoice
    people = client_users(invoice.dossier, invoice.direction).exclude(pk=event.actor_id)
    data = {"status": event.status, "reason": event.reason, "reason_code": event.reason_code,
            "amount": None if event.amount is None else str(event.amount)}
    return record(people, kind, invoice, f"event:{event.pk}", data)


def tell_about_anomaly(anomaly):
    """A blocking anomaly is told to the client users who handle the invoice (unless only the
    firm can act on it) and to the staff following the dossier. A finding that came after the
    invoice was decided blocks nothing: only the staff hear of it, for information."""
    after_decision = (anomaly.data or {}).get("after_decision")
    if not anomaly.blocking and not after_decision:
        return []
    invoice = anomaly.invoice
    detail = (anomaly.data or {}).get("detail") or anomaly.detail  # wording and values, told in each reader's language
    data = {"anomaly": anomaly.kind, "detail": detail, "after_decision": after_decision}
    source = f"anomaly:{anomaly.pk}"
    told = record(assigned_staff(invoice.dossier), Kind.ACTION_NEEDED, invoice, source, data)
    if anomaly.blocking and anomaly.kind not in FIRM_ONLY:
        told += record(client_users(invoice.dossier, invoice.direction), Kind.ANOMALY, invoice, source, data)
    return told


def client_users(dossier, direction):
    """The dossier's client users who hold the right over invoices of ``direction``."""
    right = "can_issue_sales" if direction == Direction.SALES else "can_handle_purchases"
    members = Q(dossier_memberships__dossier=dossier) & (
        Q(dossier_memberships__is_owner=True) | Q(**{f"dossier_memberships__{right}": True}))
    return get_user_model().objects.filter(members, is_active=True).distinct()


def record(people, kind, invoice, source, data):
    """One notification per person for ``source``; a person already told is skipped."""
    people = list(people)
    chosen = dict(Preference.objects.filter(user__in=people, kind=kind).values_list("user_id", "frequency"))
    told = []
    for person in people:
        try:
            with transaction.atomic():
                told.append(Notification.objects.create(
                    user=person, kind=kind, dossier_id=invoice.dossier_id, invoice=invoice, source=source,
                    data=data, frequency=chosen.get(person.pk, DEFAULT_FREQUENCY),
                ))
        except IntegrityError:
            continue  # told already: the same event announced twice
    return told
