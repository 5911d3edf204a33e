"""Delivery by e-mail to a customer outside the platform.

The invoice goes to the customer's billing address with its issued original
attached (the Factur-X PDF, or the CII/UBL file the customer asked for), in the
customer's language; statuses go as their CDAR message to the counterparty's
billing address when it is known.
"""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from einvoice.lifecycle import LifecycleStatus
from facturier.archive.store import open_content
from facturier.exchange.channels.base import Channel, DeliveryFailed, Route
from facturier.exchange.models import Delivery
from facturier.invoices.models import customer_language

CDAR_MEDIA_TYPE = "application/xml"


class EmailChannel(Channel):
    name = "email"
    label = gettext_lazy("E-mail")

    def route(self, invoice):
        customer = invoice.third_party
        return Route(recipient=customer.billing_email if customer else "")

    def route_event(self, event):
        counterparty = event.invoice.third_party
        if counterparty is None or not counterparty.billing_email or event.message_id is None:
            return None
        return Route(recipient=counterparty.billing_email)

    def send(self, delivery):
        if not delivery.recipient:
            raise DeliveryFailed(_("Aucune adresse e-mail de facturation pour ce client : complétez sa fiche "
                                   "puis renvoyez la facture."), permanent=True)
        message = self._message(delivery)
        try:
            message.send(fail_silently=False)
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(_("Le serveur d'e-mail a refusé l'envoi : %(error)s") % {"error": error}) from error

    def _message(self, delivery):
        invoice = delivery.invoice
        language = customer_language(invoice.third_party)
        with translation.override(language):
            context = {"invoice": invoice, "dossier": invoice.dossier, "event": delivery.event,
                       "status_label": _status_label(delivery.event, language)}
            template = "invoice" if delivery.kind == Delivery.Kind.INVOICE else "lifecycle"
            subject = " ".join(render_to_string(f"exchange/email/{template}_subject.txt", context).split())
            body = render_to_string(f"exchange/email/{template}.txt", context)
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [delivery.recipient],
                               reply_to=[invoice.dossier.representative_email])
        record = invoice.original if delivery.kind == Delivery.Kind.INVOICE else delivery.event.message
        media_type = record.media_type if delivery.kind == Delivery.Kind.INVOICE else CDAR_MEDIA_TYPE
        message.attach(record.filename, open_content(record), media_type)
        return message


def _status_label(event, language):
    if event is None:
        return ""
    try:
        status = LifecycleStatus(event.status)
    except ValueError:
        return str(event.status)
    return status.label if language == "fr" else status.label_en  # the code is in the attached CDAR message
