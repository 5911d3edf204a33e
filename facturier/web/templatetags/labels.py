"""Codes stored on rows, as people read them in their language.

    {% load labels %}
    {{ event.status|status_label }}       205 → "Approuvée" / "Approved"
    {{ event.reason_code|reason_label }}  QTE_ERR → "Quantité erronée" / "Wrong quantity"
    {{ delivery.channel|channel_label }}  platform → "Facturier (…)" / "Facturier (…)"

Statuses, reasons and channels are stored as codes (they travel in CDAR
messages and APIs); a page never shows the bare code.
"""

from django import template
from django.utils.translation import get_language

from einvoice.lifecycle import LifecycleStatus, reason_text
from facturier.exchange.channels import channel_label as _channel_label

register = template.Library()


@register.filter
def status_label(code):
    """A lifecycle status code's label in the reader's language; "" for none, the code if unknown."""
    if code in (None, ""):
        return ""
    try:
        return LifecycleStatus(int(code)).text(get_language())
    except ValueError:
        return str(code)


@register.filter
def reason_label(code):
    return reason_text(code, get_language()) if code else ""


@register.filter
def channel_label(name):
    return str(_channel_label(name)) if name else ""
