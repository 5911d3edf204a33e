"""E-reporting listens to the invoices app: an invoice with a company outside France, issued or received,
has its facts read in the background, while nobody waits on a report."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from facturier.ereporting.tasks import remember_facts
from facturier.invoices.models import Direction, Invoice
from facturier.invoices.signals import invoice_issued


def with_foreign_company(invoice):
    """A counterpart outside France: its third party says so, or it has no SIREN."""
    if invoice.third_party_id is not None and invoice.third_party.country:
        return invoice.third_party.country != "FR"
    return not (invoice.buyer_siren if invoice.direction == Direction.SALES else invoice.seller_siren)


@receiver(invoice_issued, dispatch_uid="ereporting.remember_issued_invoice_facts")
def remember_issued_invoice_facts(sender, invoice, **kwargs):
    if with_foreign_company(invoice):
        remember_facts.enqueue(invoice.pk)


@receiver(post_save, sender=Invoice, dispatch_uid="ereporting.remember_received_invoice_facts")
def remember_received_invoice_facts(sender, instance, created, **kwargs):
    received = created and instance.direction == Direction.PURCHASE and instance.original_id
    if received and with_foreign_company(instance):
        transaction.on_commit(lambda: remember_facts.enqueue(instance.pk))
