"""The sentence that tells a notification, in the active language (page or e-mail)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from einvoice.lifecycle import LifecycleStatus
from facturier.formats import money
from facturier.invoices.models import Anomaly
from facturier.notifications.models import Kind


def sentence(notification):
    invoice, data = notification.invoice, notification.data
    terms = {
        "number": invoice.number or "?", "seller": invoice.seller_name or "?", "buyer": invoice.buyer_name or "?",
        "total": money(invoice.total_incl_vat, invoice.currency), "dossier": notification.dossier.name,
        "amount": money(data.get("amount") or invoice.total_incl_vat, invoice.currency),
        "anomaly": anomaly_label(data.get("anomaly")), "reason": data.get("reason") or data.get("reason_code") or "",
    }
    kind = notification.kind
    if kind == Kind.INVOICE_RECEIVED:
        return _("Facture %(number)s reçue de %(seller)s (%(total)s).") % terms
    if kind == Kind.INVOICE_REFUSED:
        if data.get("status") == LifecycleStatus.REJETEE:
            text = _("La facture %(number)s adressée à %(buyer)s a été rejetée.") % terms
        else:
            text = _("La facture %(number)s adressée à %(buyer)s a été refusée.") % terms
        if terms["reason"]:
            return _("%(text)s Motif : %(reason)s") % {"text": text, "reason": terms["reason"]}
        return text
    if kind == Kind.INVOICE_PAID:
        return _("La facture %(number)s adressée à %(buyer)s est payée (%(amount)s).") % terms
    if kind == Kind.ANOMALY:
        return _("Anomalie sur la facture %(number)s de %(seller)s : %(anomaly)s.") % terms
    return _("Dossier %(dossier)s : %(anomaly)s sur la facture %(number)s de %(seller)s.") % terms


def headline(notification):
    """A few words for an e-mail subject: the anomaly found, or else the kind of news."""
    if notification.kind in (Kind.ANOMALY, Kind.ACTION_NEEDED):
        return anomaly_label(notification.data.get("anomaly"))
    return notification.get_kind_display()


def anomaly_label(code):
    try:
        return Anomaly.Kind(code).label
    except ValueError:
        return code or ""


def link(notification):
    """Where the person acts: the invoice's page in its dossier."""
    return reverse("invoices:detail", args=[notification.dossier_id, notification.invoice_id])


def detail(notification):
    """The anomaly's detail in the reader's language when it was kept as wording and values."""
    described = notification.data.get("detail") or ""
    if not isinstance(described, dict):
        return described
    text = _(described["text"]) % described.get("params", {})
    if after_decision := notification.data.get("after_decision"):
        text = _("Constaté après la décision du %(date)s, qui reste inchangée : ") % {"date": after_decision} + text
    return text
