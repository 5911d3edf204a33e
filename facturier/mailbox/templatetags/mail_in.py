"""The mailbox shown on other apps' pages: the address with its copy button, and the e-mail origin of files.

    {% load mail_in %}
    {% mailbox_address dossier %}                 the address, a copy button, the messages link
    {% mail_origins rows as origins %}{% mail_origin origins row.pk %}   one query for a page of invoices
    {% invoice_mail_origin invoice %}             "Reçue par e-mail de …" on the invoice's page
    {% file_mail_origin incoming %}               the same for a received file (the recognition's review page)
"""

import datetime

from django import template
from django.template.loader import render_to_string
from django.utils import timezone

from facturier.mailbox.addresses import address_of, mailbox_for
from facturier.mailbox.models import MailAttachment, MailMessage

register = template.Library()
UNUSABLE_DAYS = 30  # how far back the address block counts the messages nothing was taken from


@register.inclusion_tag("mailbox/_address.html")
def mailbox_address(dossier):
    since = timezone.now() - datetime.timedelta(days=UNUSABLE_DAYS)
    unusable = MailMessage.objects.filter(
        dossier=dossier, received_at__gte=since,
        outcome__in=[MailMessage.Outcome.NO_ATTACHMENT, MailMessage.Outcome.SENDER_REFUSED]).count()
    return {"dossier": dossier, "address": address_of(mailbox_for(dossier)), "unusable": unusable,
            "unusable_days": UNUSABLE_DAYS}


@register.simple_tag
def mail_origins(rows):
    """Invoice pk → the message it came by, for the invoices of ``rows`` (objects with a ``pk``)."""
    pks = [row.pk for row in rows]
    attachments = (MailAttachment.objects.filter(incoming__invoice_id__in=pks)
                   .select_related("message", "incoming").defer("message__raw"))
    return {attachment.incoming.invoice_id: attachment.message for attachment in attachments}


@register.simple_tag
def mail_origin(origins, invoice_pk):
    message = origins.get(invoice_pk)
    return render_to_string("mailbox/_origin.html", {"message": message, "short": True}) if message else ""


@register.inclusion_tag("mailbox/_origin.html")
def invoice_mail_origin(invoice):
    attachment = (MailAttachment.objects.filter(incoming__invoice=invoice).select_related("message")
                  .defer("message__raw").first())
    return {"message": attachment.message if attachment else None, "short": False}


@register.inclusion_tag("mailbox/_origin.html")
def file_mail_origin(incoming):
    attachment = (MailAttachment.objects.filter(incoming=incoming).select_related("message")
                  .defer("message__raw").first())
    return {"message": attachment.message if attachment else None, "short": False}
