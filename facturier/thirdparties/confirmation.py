"""Confirming a supplier "being created" (seed annex 2: "obtenir une confirmation humaine au vu de la
pièce"): an act on the supplier, remembered for its next invoices (the receiving controls no longer
hold them for it), which also closes that anomaly on its invoices still waiting.

Approving one invoice with the anomaly checked decides that invoice only; it confirms no supplier.
"""

from django.db import transaction
from django.utils import timezone

from facturier.audit.models import AuditAction, record
from facturier.invoices.anomalies import refresh_needs_decision, resolve
from facturier.invoices.models import Anomaly, Invoice, ThirdParty


def confirm_creation(party, user):
    """Confirm ``party`` as ``user``; False if someone confirmed it already (a second click, a second tab)."""
    with transaction.atomic():
        won = ThirdParty.objects.filter(pk=party.pk, creation_confirmed_at__isnull=True).update(
            creation_confirmed_at=timezone.now(), creation_confirmed_by=user)
        if not won:
            return False
        waiting = Invoice.objects.filter(third_party=party, anomalies__kind=Anomaly.Kind.BEING_CREATED,
                                         anomalies__resolved_at__isnull=True).distinct()
        numbers = []
        for invoice in waiting:
            resolve(invoice, Anomaly.Kind.BEING_CREATED, by=user)
            refresh_needs_decision(invoice)
            numbers.append(invoice.number)
        record(user, AuditAction.SUPPLIER_CREATION_CONFIRMED, dossier=party.dossier, target=party.name,
               siren=party.siren, invoices=numbers)
    party.refresh_from_db()
    return True
