"""Delivery through the dossier's accredited platform: the channel for buyers who are not dossiers here.

An issued invoice of a connected dossier goes as a flow (``POST /v1/flows``) in the
syntax it was issued in (the customer's or the dossier's output format), once the
directory has said where the buyer receives (``addressing``): a buyer with no enabled
line is not sent anything, and the invoice page says why and what to do. The
acknowledgement is followed until ``Ok`` (delivered) or ``Error`` (a failure no retry
mends: an anomaly on the invoice with the platform's reasons). A status recorded here
on such an invoice (212 encaissée by the seller; a buyer's decision on an invoice that
came through the platform) goes the same way as its CDAR message.

Nothing is sent twice: each delivery has its own ``trackingId`` (``tracking_id``), the
same on every retry, and any attempt after the first asks the platform first whether
a flow already bears it (``POST /v1/flows/search``), since the first may have arrived
before a crash or a lost answer. A platform that cannot answer (network, 429, 5xx) is
tried again at once a couple of times, honouring ``Retry-After``, then handed back to
the exchange's backoff (``DeliveryFailed`` with ``retry_after``).
"""

import time
import uuid

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facturier.accredited.addressing import addressing_hint, buyer_siren, find_address
from facturier.accredited.client import PlatformClient, PlatformRefused, PlatformUnavailable
from facturier.accredited.models import SentFlow, connection_for
from facturier.accredited.reasons import refusal_text
from facturier.archive.store import open_content
from facturier.exchange.channels.base import Channel, DeliveryAwaiting, DeliveryFailed, Route
from facturier.exchange.channels.platform import buyer_dossier
from facturier.exchange.models import Delivery
from facturier.flows.outgoing import PROFILES
from facturier.invoices.models import Direction, IncomingFile, LifecycleEvent

SOURCE = "accredited"  # IncomingFile.source of the invoices received through an accredited platform
TRACKING_NAMESPACE = uuid.UUID("6f1c7d2e-3b0a-4c8e-9a51-2f4d8e7b1c30")
QUICK_RETRIES = 2  # immediate tries again of a platform that cannot answer, before the exchange's backoff
LONGEST_QUICK_WAIT = 10  # seconds: a longer Retry-After is left to the exchange's backoff
ACK_POLLS = (1, 2)  # seconds to wait before looking again at a Pending acknowledgement, in this attempt
ACK_RETRY_AFTER = 60  # seconds before the next attempt looks at an acknowledgement still Pending
PARTIES = {LifecycleEvent.Party.SELLER, LifecycleEvent.Party.BUYER}


def tracking_id(delivery):
    """The delivery's own ``trackingId``: the same on every retry, never another delivery's."""
    return "facturier-" + uuid.uuid5(TRACKING_NAMESPACE, f"{delivery.pk}:{delivery.created_at.isoformat()}").hex


class AccreditedChannel(Channel):
    name = "accredited"
    label = gettext_lazy("Plateforme agréée")
    transactional = False  # no database lock held while the platform answers

    def route(self, invoice):
        if connection_for(invoice.dossier) is None or buyer_dossier(invoice) is not None:
            return None
        hint, siren = addressing_hint(invoice), buyer_siren(invoice)
        if not (hint or siren):
            return None  # a buyer outside the French directory (abroad): another channel's
        return Route(recipient=hint or f"SIREN {siren}")

    def route_event(self, event):
        invoice = event.invoice
        if event.party not in PARTIES or event.message_id is None or connection_for(invoice.dossier) is None:
            return None
        if invoice.direction == Direction.SALES:
            sent = Delivery.objects.filter(invoice=invoice, kind=Delivery.Kind.INVOICE, channel=self.name,
                                           state=Delivery.State.SENT).first()
            return None if sent is None else Route(recipient=sent.recipient)
        if IncomingFile.objects.filter(invoice=invoice, source=SOURCE).exists():
            return Route(recipient=f"SIREN {invoice.seller_siren}" if invoice.seller_siren else "")
        return None

    def send(self, delivery):
        link = connection_for(delivery.invoice.dossier)
        if link is None:
            raise DeliveryFailed(_("Le dossier n'est plus connecté à une plateforme agréée : choisissez sa "
                                   "connexion dans les paramètres du dossier, puis renvoyez."), permanent=True)
        with PlatformClient(link.connection, organization_id=link.organization_id) as platform:
            try:
                Submission(platform, delivery).run()
            except PlatformUnavailable as error:
                raise DeliveryFailed(error.message, retry_after=error.retry_after) from error
            except PlatformRefused as error:
                raise DeliveryFailed(_("%(reason)s Vérifiez la connexion du dossier à la plateforme, puis "
                                       "renvoyez.") % {"reason": error.message}, permanent=True) from error


class Submission:
    """One attempt at ``delivery`` through ``platform``: find or create its flow, then read its acknowledgement."""

    def __init__(self, platform, delivery):
        self.platform, self.delivery = platform, delivery
        self.tracking_id = tracking_id(delivery)
        self.address = None

    def run(self):
        if self.delivery.kind == Delivery.Kind.INVOICE:
            self.address = find_address(self.platform, self.delivery.invoice)
            if self.address is None:
                raise DeliveryFailed(not_in_directory(self.delivery.invoice), permanent=True)
            self.delivery.recipient = self._where()[:254]
        flow = self._acknowledged(self._flow())
        status = (flow.get("acknowledgement") or {}).get("status")
        if status == SentFlow.Ack.ERROR:
            details = flow["acknowledgement"].get("details") or []
            raise DeliveryFailed(f"{refusal_text(details)} (flux {flow.get('flowId', '?')})", permanent=True)
        if status != SentFlow.Ack.OK:
            raise DeliveryAwaiting(_("La plateforme n'a pas encore accusé réception du flux."),
                                   retry_after=ACK_RETRY_AFTER)
        self._record(flow)

    def _flow(self):
        """The flow bearing the delivery's trackingId: found when an earlier try may have arrived, else created."""
        waits = 0
        while True:
            try:
                if self.delivery.attempts > 1 or waits:
                    earlier = self._earlier_flow()
                    if earlier is not None:
                        return earlier
                return self.platform.create_flow(**self._payload())
            except PlatformUnavailable as error:
                wait = error.retry_after if error.retry_after is not None else 2 ** waits
                if waits >= QUICK_RETRIES or wait > LONGEST_QUICK_WAIT:
                    raise
                waits += 1
                time.sleep(wait)

    def _earlier_flow(self):
        found = self.platform.search_flows({"trackingId": self.tracking_id}, limit=1).get("results") or []
        return found[0] if found else None

    def _acknowledged(self, flow):
        """The flow as it stands after a short wait for a Pending acknowledgement to settle."""
        for wait in ACK_POLLS:
            if (flow.get("acknowledgement") or {}).get("status") != SentFlow.Ack.PENDING or not flow.get("flowId"):
                return flow
            time.sleep(wait)
            flow = self.platform.get_flow(flow["flowId"])
        return flow

    def _payload(self):
        delivery = self.delivery
        if delivery.kind == Delivery.Kind.INVOICE:
            record, invoice = delivery.invoice.original, delivery.invoice
            info = {"flowSyntax": invoice.syntax, "processingRule": "B2G" if self.address.is_public else "B2B"}
            profile = PROFILES.get(invoice.profile.upper())
            if profile:
                info["flowProfile"] = profile
        else:
            record = delivery.event.message
            info = {"flowSyntax": "CDAR", "processingRule": "B2B"}
        info["trackingId"] = self.tracking_id
        return {"data": open_content(record), "filename": record.filename, "flow_info": info}

    def _where(self):
        platform = (_("portail public de facturation (DFH)") if self.address.is_public
                    else _("plateforme agréée de l'acheteur (%(type)s)") % {"type": self.address.platform_type or "WK"})
        return _("%(address)s · %(platform)s · via %(connection)s") % {
            "address": self.address.identifier, "platform": platform, "connection": self.platform.connection.name}

    def _record(self, flow):
        ack = flow.get("acknowledgement") or {}
        SentFlow.objects.update_or_create(delivery=self.delivery, defaults={
            "connection": self.platform.connection, "tracking_id": self.tracking_id,
            "flow_id": str(flow.get("flowId") or "")[:64],
            "addressing_identifier": self.address.identifier if self.address else "",
            "platform_type": self.address.platform_type[:3] if self.address else "",
            "ack_status": ack.get("status", ""), "ack_details": ack.get("details") or [],
            "acknowledged_at": timezone.now(),
        })


def not_in_directory(invoice):
    """Why an invoice was not sent to a buyer the directory does not know, and what to do."""
    who = addressing_hint(invoice) or buyer_siren(invoice)
    return _("L'acheteur (%(who)s) n'a pas de ligne active dans l'annuaire des plateformes : la facture ne lui a "
             "pas été envoyée. Vérifiez son SIREN et son adresse électronique sur sa fiche client ; s'il n'a pas "
             "encore choisi de plateforme de réception, demandez-lui de le faire, puis cliquez sur "
             "« Renvoyer ».") % {"who": who}
