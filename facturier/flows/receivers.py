"""In flows: what reaches a dossier through the platform, offered to its software through the API.

A purchase invoice accepted into the dossier, and each status the other party
of an invoice set, become an ``In`` flow in the transaction that records them.
"""

from django.dispatch import receiver

from facturier.flows.models import AckStatus, FlowDirection, FlowProfile, FlowSyntax, FlowType
from facturier.flows.outgoing import PROFILES, computed_rule, status_flow_type
from facturier.flows.recording import create_flow
from facturier.invoices.signals import invoice_received, remote_event_recorded


@receiver(invoice_received, dispatch_uid="flows.purchase_invoice_flow")
def purchase_invoice_flow(sender, invoice, **kwargs):
    original = invoice.original
    create_flow(invoice.dossier, direction=FlowDirection.IN, syntax=FlowSyntax(invoice.syntax),
                profile=PROFILES.get(invoice.profile, FlowProfile.UNDEFINED), flow_type=FlowType.SUPPLIER_INVOICE,
                processing_rule=computed_rule(invoice), name=original.filename, sha256=original.sha256,
                ack_status=AckStatus.OK, original=original, invoice=invoice)


@receiver(remote_event_recorded, dispatch_uid="flows.status_flow")
def status_flow(sender, event, **kwargs):
    invoice, message = event.invoice, event.message
    create_flow(invoice.dossier, direction=FlowDirection.IN, syntax=FlowSyntax.CDAR, profile=FlowProfile.UNDEFINED,
                flow_type=status_flow_type(invoice), processing_rule=computed_rule(invoice),
                name=message.filename if message else f"CDAR-{invoice.number}-{event.status}.xml",
                sha256=message.sha256 if message else "", ack_status=AckStatus.OK, original=message,
                invoice=invoice, event=event)
