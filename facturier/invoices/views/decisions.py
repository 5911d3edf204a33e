"""The decision forms post here: the invoice page's (back to the invoice), and the lists' for the
invoices ticked (back to the list): approve or refuse purchases, mark sales paid."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from einvoice.lifecycle import LifecycleStatus
from facturier.dossiers import access
from facturier.invoices.decisions import DecisionError, decide, decide_many
from facturier.invoices.models import Direction, Invoice


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


MAX_BULK = 200  # one page of the list at most


# Who takes the decisions of each list: the right for its side.
RIGHTS = {Direction.PURCHASE: "can_handle_purchases", Direction.SALES: "can_issue_sales"}
LISTS = {Direction.PURCHASE: "invoices:purchases", Direction.SALES: "invoices:sales"}


@login_required
@require_POST
def bulk_decide(request, dossier_id):
    """"Approuver" / "Refuser" on the invoices ticked in the purchase list."""
    return decide_ticked(request, dossier_id, Direction.PURCHASE)


@login_required
@require_POST
def bulk_decide_sales(request, dossier_id):
    """"Marquer encaissées" on the invoices ticked in the sales list."""
    return decide_ticked(request, dossier_id, Direction.SALES)


def decide_ticked(request, dossier_id, direction):
    dossier, _rights = access.get_dossier_for_or_403(request.user, dossier_id, RIGHTS[direction])
    ids = [value for value in request.POST.getlist("invoice")[:MAX_BULK] if value.isdigit()]
    invoices = list(Invoice.objects.select_related("dossier").filter(
        dossier=dossier, direction=direction, pk__in=ids).order_by("pk"))
    back = list_url(request, dossier, direction)
    if not invoices:
        messages.error(request, _("Cochez au moins une facture."))
        return redirect(back)
    try:
        outcome = decide_many(invoices, request.user, request.POST.get("status"),
                              reason_code=request.POST.get("reason_code") or None)
    except DecisionError as error:
        messages.error(request, str(error))
        return redirect(back)
    report(request, outcome)
    return redirect(back)


def list_url(request, dossier, direction):
    """Back to the list as the person left it (its filters and page), never to another site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(LISTS[direction], args=[dossier.pk])


def report(request, outcome):
    if outcome.decided:
        messages.success(request, ngettext("%(count)d facture traitée.", "%(count)d factures traitées.",
                                           len(outcome.decided)) % {"count": len(outcome.decided)})
    if outcome.need_confirmation:
        numbers = ", ".join(invoice.number for invoice in outcome.need_confirmation)
        messages.warning(request, _(
            "Non approuvées, elles ont une anomalie à vérifier une par une sur leur page : %(numbers)s.")
            % {"numbers": numbers})
    if outcome.refused:
        numbers = ", ".join(invoice.number for invoice in outcome.refused)
        messages.error(request, _("Décision impossible pour ces factures (déjà décidées ?) : %(numbers)s.")
                       % {"numbers": numbers})
