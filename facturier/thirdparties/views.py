"""The dossier's customers ("Clients") and suppliers ("Fournisseurs"): the lists, a page per party.

Anyone who can open the dossier sees them. Changing a customer's details takes the right to issue
sales invoices, a supplier's the right to handle purchases (the firm side holds both); confirming a
supplier being created takes the latter. Outsiders get 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from facturier.audit.models import AuditAction, record
from facturier.dossiers import access
from facturier.invoices.models import Direction, Invoice, InvoiceState, ThirdParty
from facturier.thirdparties import queries
from facturier.thirdparties.confirmation import confirm_creation
from facturier.thirdparties.forms import ThirdPartyForm

PAGE_SIZE = 50
RECENT_INVOICES = 20


@login_required
@require_GET
def customers(request, dossier_id):
    return party_list(request, dossier_id, Direction.SALES)


@login_required
@require_GET
def suppliers(request, dossier_id):
    return party_list(request, dossier_id, Direction.PURCHASE)


def party_list(request, dossier_id, direction):
    dossier = access.get_open_dossier_or_404(request.user, dossier_id)
    text, sort = request.GET.get("q", "")[:100], request.GET.get("tri", "nom")
    page = Paginator(queries.party_list(dossier, direction, text, sort), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "thirdparties/list.html", {
        "dossier": dossier,
        "active_menu": "customers" if direction == Direction.SALES else "suppliers",
        "direction": direction,
        "title": _("Clients") if direction == Direction.SALES else _("Fournisseurs"),
        "page": page,
        "q": text,
        "sort": sort if sort in queries.SORTS else "nom",
        "sorts": sort_labels(),
    })


def sort_labels():
    return [("nom", _("Nom")), ("total", _("Total TTC")), ("du", _("Reste dû")), ("factures", _("Factures"))]


def may_edit(rights, party):
    return (party.is_customer and rights.can_issue_sales) or (party.is_supplier and rights.can_handle_purchases)


@login_required
def detail(request, dossier_id, pk):
    dossier = access.get_open_dossier_or_404(request.user, dossier_id)
    party = get_object_or_404(ThirdParty.objects.select_related("creation_confirmed_by"), dossier=dossier, pk=pk)
    rights = access.dossier_rights(request.user, dossier)
    editable = may_edit(rights, party)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    form = ThirdPartyForm(request.POST or None, instance=party)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            if form.changed_data:
                record(request.user, AuditAction.THIRD_PARTY_UPDATED, dossier=dossier, target=party.name,
                       fields=form.changed_data)
        messages.success(request, _("Fiche enregistrée."))
        return redirect("thirdparties:detail", dossier_id=dossier.pk, pk=party.pk)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "thirdparties/detail.html", {
        "dossier": dossier,
        "rights": rights,
        "active_menu": "suppliers" if party.is_supplier and not party.is_customer else "customers",
        "party": party,
        "form": form,
        "editable": editable,
        "figures": figures(party),
        "invoices": Invoice.objects.filter(third_party=party).exclude(state=InvoiceState.DRAFT)
                                   .order_by("-issue_date", "-pk")[:RECENT_INVOICES],
        "controls": queries.control_history(party) if party.is_supplier else (),
        "may_confirm": (party.is_supplier and party.creation_confirmed_at is None and rights.can_handle_purchases
                        and queries.being_created(party)),
        "list_urls": list_urls(dossier, party),
    }, status=400 if form.is_bound else 200)


def figures(party):
    """Per side the party plays: its invoice count, total and open amount."""
    sides = [(Direction.SALES, party.is_customer, _("Ventes")), (Direction.PURCHASE, party.is_supplier, _("Achats"))]
    result = []
    for direction, plays, label in sides:
        if plays:
            row = queries.with_figures(ThirdParty.objects.filter(pk=party.pk), direction).get()
            result.append({"label": label, "count": row.invoice_count, "total": row.total,
                           "open": row.open_amount})
    return result


def list_urls(dossier, party):
    """The invoice lists filtered on the party, for each side it plays."""
    urls = []
    if party.is_customer:
        urls.append((_("Ses factures de vente"), reverse("invoices:sales", args=[dossier.pk]) + f"?tiers={party.pk}"))
    if party.is_supplier:
        urls.append((_("Ses factures d'achat"),
                     reverse("invoices:purchases", args=[dossier.pk]) + f"?tiers={party.pk}"))
    return urls


@login_required
@require_POST
def confirm(request, dossier_id, pk):
    """"Confirmer l'existence": the supplier being created is confirmed, once, for all its invoices."""
    dossier, _rights = access.get_dossier_for_or_403(request.user, dossier_id, "can_handle_purchases")
    party = get_object_or_404(ThirdParty, dossier=dossier, pk=pk, is_supplier=True)
    if confirm_creation(party, request.user):
        messages.success(request, _("Fournisseur confirmé : ses prochaines factures ne seront plus retenues "
                                    "pour ce motif."))
    else:
        messages.info(request, _("Ce fournisseur était déjà confirmé."))
    return redirect("thirdparties:detail", dossier_id=dossier.pk, pk=party.pk)
