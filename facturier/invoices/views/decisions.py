"""The decision forms of the invoice page post here; the person lands back on the invoice page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from einvoice.lifecycle import LifecycleStatus
from facturier.dossiers import access
from facturier.invoices.decisions import DecisionError, decide
from facturier.invoices.models import Invoice


def back_to_invoice(invoice):
    return reverse("invoices:detail", args=[invoice.dossier_id, invoice.pk])


@login_required
@require_POST
def take_decision(request, dossier_id, pk):
    dossier = access.get_open_dossier_or_404(request.user, dossier_id)
    invoice = get_object_or_404(Invoice.objects.select_related("dossier"), dossier=dossier, pk=pk)
    data = request.POST
    try:
        event = decide(invoice, request.user, data.get("status"), reason_code=data.get("reason_code") or None,
                       reason=data.get("reason", "").strip()[:2000], amount=data.get("amount") or None,
                       confirmed=data.get("confirmed") == "on")
    except DecisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Statut enregistré : %(status)s.")
                         % {"status": LifecycleStatus(event.status).text(get_language())})
    return redirect(back_to_invoice(invoice))
