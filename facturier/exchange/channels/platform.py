"""Delivery between dossiers of the platform: the buyer is an active dossier here.

The issued original goes straight into the buyer dossier's purchase invoices
(``receive_file``, source "platform"), checked there like any received file;
statuses set on either side are mirrored on the other side's invoice.
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facturier.archive.store import open_content
from facturier.dossiers.models import Dossier, DossierStatus
from facturier.exchange.channels.base import Channel, DeliveryFailed, Route
from facturier.exchange.models import Delivery
from facturier.identifiers import siren_of_address
from facturier.invoices.lifecycle import record_remote_event
from facturier.invoices.models import Direction, Invoice
from facturier.invoices.receiving.intake import receive_file

SOURCE = "platform"


def buyer_dossier(invoice):
    """The active dossier, other than the seller's, whose SIREN is the buyer's (BT-47, or BT-49 under 0225)."""
    sirens = {invoice.buyer_siren} if invoice.buyer_siren else set()
    customer = invoice.third_party
    if customer is not None and (siren := siren_of_address(customer.electronic_address,
                                                           customer.electronic_address_scheme)):
        sirens.add(siren)
    if not sirens:
        return None
    return (Dossier.objects.filter(status=DossierStatus.ACTIVE, siren__in=sirens)
            .exclude(pk=invoice.dossier_id).order_by("activated_at", "pk").first())


def counterpart_of(invoice):
    """The invoice on the other side of the platform delivery joining a sales invoice and the purchase invoice
    it became, or None (most invoices have none: only their ids are read until one is found)."""
    link = (Delivery.objects.filter(kind=Delivery.Kind.INVOICE, channel=PlatformChannel.name,
                                    state=Delivery.State.SENT)
            .filter(Q(invoice=invoice) | Q(counterpart_invoice=invoice))
            .values_list("invoice_id", "counterpart_invoice_id").first())
    if link is None or link[1] is None:
        return None
    return Invoice.objects.select_related("dossier").get(pk=link[1] if link[0] == invoice.pk else link[0])


class PlatformChannel(Channel):
    name = "platform"
    label = gettext_lazy("Facturier (directement dans le dossier du destinataire)")

    def route(self, invoice):
        buyer = buyer_dossier(invoice)
        return None if buyer is None else Route(recipient=buyer.name, recipient_dossier_id=buyer.pk)

    def route_event(self, event):
        other = counterpart_of(event.invoice)
        return None if other is None else Route(recipient=other.dossier.name, recipient_dossier_id=other.dossier_id)

    def send(self, delivery):
        if delivery.kind == Delivery.Kind.INVOICE:
            self._send_invoice(delivery)
        else:
            self._send_event(delivery)

    def _send_invoice(self, delivery):
        buyer = Dossier.objects.get(pk=delivery.recipient_dossier_id)
        if not buyer.is_open:
            raise DeliveryFailed(_("Le dossier destinataire n'est plus actif sur la plateforme."), permanent=True)
        original = delivery.invoice.original
        incoming = receive_file(buyer, original.filename, open_content(original), by=None, source=SOURCE)
        if incoming.invoice_id is None:
            raise DeliveryFailed(f"{incoming.get_outcome_display()} : {incoming.message}", permanent=True)
        delivery.counterpart_invoice = incoming.invoice

    def _send_event(self, delivery):
        event = delivery.event
        other = counterpart_of(event.invoice)
        if other is None:
            raise DeliveryFailed(_("La facture correspondante du destinataire est introuvable."), permanent=True)
        party = event.party or ("seller" if event.invoice.direction == Direction.SALES else "buyer")
        message = open_content(event.message) if event.message_id else None
        record_remote_event(other, event.status, party=party, reason_code=event.reason_code, reason=event.reason,
                            amount=event.amount, at=event.at, message=message, source=SOURCE)
