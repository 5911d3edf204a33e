"""Taking one incoming flow in: an invoice through the intake of uploads, a status onto its invoice.

    take_in(received, data)   # True: this call processed it; False: someone else already had

Exactly once, whoever races: the transaction starts by turning the row from
``pending`` to ``done`` with a conditional UPDATE, so a second worker (or the
webhook racing the pull) finds nothing to do, or waits on the row until the
first commits and then finds nothing. Whatever stops the work midway rolls the
whole transaction back, the row included: the flow is taken again later.

An invoice goes through ``receive_file`` as an upload would (validation, the
controls of annex 2, DOUBLON), its original archived unchanged; the row keeps
the platform's flow id beside the archived record. A CDAR status is recorded on
the dossier's invoice it names as a status the other party set
(``record_remote_event``, with the message as received), under the rules of who
sets what: on a sales invoice only the buyer or a platform, on a purchase
invoice only the seller or a platform, each only its own statuses.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from einvoice.errors import EInvoiceError
from einvoice.lifecycle import LifecycleStatus, parse_cdar
from einvoice.lifecycle.message import check as check_lifecycle_message
from facturier.accredited.receiving.models import ReceivedFlow
from facturier.archive.models import Kind
from facturier.archive.store import archive
from facturier.flows.outgoing import looks_like_cdar, status_target
from facturier.invoices.lifecycle import Party, record_remote_event
from facturier.invoices.models import Direction, IncomingFile
from facturier.invoices.receiving.intake import receive_file

SOURCE = "accredited"
Outcome = ReceivedFlow.Outcome
# The statuses a buyer sets (XP Z12-012): the decisions of the invoice page's buyer side.
BUYER_STATUSES = frozenset(range(204, 212))
ROLES = {"SE": Party.SELLER, "BY": Party.BUYER, "WK": Party.PLATFORM}


class NotYetMatched(Exception):
    """A status about an invoice not (yet) in the dossier: it may arrive later (a webhook ahead of the pull)."""


def take_in(received, data):
    """Process ``received`` (a pending row) with the file ``data`` the platform gave; False if already done."""
    with transaction.atomic():
        won = ReceivedFlow.objects.filter(pk=received.pk, state=ReceivedFlow.State.PENDING).update(
            state=ReceivedFlow.State.DONE, processed_at=timezone.now(), attempts=F("attempts") + 1, last_error="")
        if not won:
            return False
        dossier = received.inbox.dossier
        fields = (_take_status if is_status(received, data) else _take_invoice)(dossier, received, data)
        ReceivedFlow.objects.filter(pk=received.pk).update(**fields)
    return True


def is_status(received, data):
    return received.syntax == "CDAR" or received.flow_type.endswith("LC") or looks_like_cdar(data)


def _take_invoice(dossier, received, data):
    incoming = receive_file(dossier, received.name or f"{received.flow_id}.xml", data, source=SOURCE)
    accepted = incoming.outcome == IncomingFile.Outcome.ACCEPTED
    return {"outcome": Outcome.INVOICE if accepted else Outcome.REFUSED_FILE, "incoming_file": incoming,
            "original": incoming.archived, "message": incoming.message}


def _take_status(dossier, received, data):
    original = archive(dossier, data, kind=Kind.LIFECYCLE, media_type="application/xml",
                       filename=received.name or f"CDAR-{received.flow_id}.xml",
                       reference=("accredited_receiving", "receivedflow", received.pk))
    refused = {"outcome": Outcome.REFUSED_STATUS, "original": original}
    try:
        message = parse_cdar(data)
        check_lifecycle_message(message)
    except EInvoiceError as error:
        return {**refused, "message": _("Message de statut illisible : %(error)s") % {"error": error}}
    invoice = status_target(dossier, message)
    if invoice is None:
        raise NotYetMatched(_("Aucune facture n° %(number)s du vendeur %(seller)s dans ce dossier.")
                            % {"number": message.invoice_number, "seller": message.seller_id or "?"})
    party = ROLES.get(message.issuer.role)
    refusal = setter_refusal(invoice, party, LifecycleStatus(message.status))
    if refusal:
        return {**refused, "message": refusal}
    event = record_remote_event(invoice, message.status, party=party, reason_code=message.reason_code or "",
                                reason=message.reason_text or "", amount=message.amount,
                                at=message.status_at or message.issued_at, message=data, source=SOURCE)
    return {"outcome": Outcome.STATUS, "event": event, "message": _("Statut %(status)s enregistré sur la facture "
                                                                    "n° %(number)s.")
            % {"status": event.status, "number": invoice.number}}


def setter_refusal(invoice, party, status):
    """Why the other party may not set ``status`` on ``invoice``, or "" when it may."""
    other = Party.BUYER if invoice.direction == Direction.SALES else Party.SELLER
    if party == Party.PLATFORM:
        return ""  # check_lifecycle_message already holds a platform to the transmission statuses
    if party != other:
        return _("Un statut de cette facture ne peut venir que de l'autre partie ou d'une plateforme.")
    if (party == Party.BUYER) != (status in BUYER_STATUSES):
        return _("Le statut %(status)s n'est pas de ceux que cette partie donne.") % {"status": status.value}
    return ""

