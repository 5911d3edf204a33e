"""The issuing pages of a dossier: the invoice/credit note form and the actions on an issued invoice
(its page is the invoice page of ``invoices``, which shows its deliveries).

Only people who may issue the dossier's sales invoices reach them: client users
with the right, and the firm staff who can open the dossier. Anyone else in
the dossier gets 403; anyone outside it 404.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facturier.dossiers import access
from facturier.dossiers.company import missing_for_issuing
from facturier.exchange.delivery import redeliver
from facturier.invoices.issuing import issue as issuing
from facturier.invoices.issuing.customers import create_customer, customers_of, registry_prefill
from facturier.invoices.issuing.document import build_document
from facturier.invoices.issuing.errors import place_errors
from facturier.invoices.issuing.forms import (
    IssuingForms,
    customer_data,
    draft_from_data,
)
from facturier.invoices.models import Direction, Invoice, InvoiceState

TRANSFER_MEANS = ("58", "30")  # UNTDID 4461 credit transfers: the seller's IBAN is printed (BT-84)


def sales_invoice_or_404(dossier, pk, **filters):
    try:
        return Invoice.objects.select_related("third_party", "preceding_invoice").get(
            dossier=dossier, direction=Direction.SALES, pk=pk, **filters)
    except (Invoice.DoesNotExist, ValueError):
        raise Http404 from None


@login_required
def new(request, dossier_id):
    dossier, rights = access.get_dossier_for_or_403(request.user, dossier_id, "can_issue_sales")
    if request.method == "POST":
        return _submit(request, dossier, rights, None)
    return _page(request, dossier, rights, IssuingForms(dossier), None)


@login_required
def edit(request, dossier_id, pk):
    dossier, rights = access.get_dossier_for_or_403(request.user, dossier_id, "can_issue_sales")
    invoice = sales_invoice_or_404(dossier, pk)
    if invoice.state != InvoiceState.DRAFT:
        return redirect("invoices:detail", dossier_id=dossier.pk, invoice_id=invoice.pk)
    if request.method == "POST":
        return _submit(request, dossier, rights, invoice)
    forms = IssuingForms(dossier, draft=invoice.draft)
    return _page(request, dossier, rights, forms, invoice)


def _submit(request, dossier, rights, invoice):
    action = request.POST.get("action", "save")
    draft = draft_from_data(request.POST)
    if invoice is not None and invoice.draft.get("type_code"):
        draft["type_code"] = invoice.draft["type_code"]
    if action in ("lookup", "add_line", "add_adjustment"):
        return _redisplay(request, dossier, rights, invoice, draft, action)
    forms = IssuingForms(dossier, data=request.POST)
    customer = _customer(request, dossier, forms)
    draft["customer"] = str(customer.pk) if customer else ""
    try:
        invoice = issuing.save_draft(dossier, draft, customer=customer, by=request.user, invoice=invoice)
    except issuing.AlreadyIssued:
        return _already_issued(request, dossier, invoice)
    if action != "issue":
        if action == "save":
            messages.success(request, _("Brouillon enregistré."))
            return redirect("issuing:edit", dossier_id=dossier.pk, pk=invoice.pk)
        return _page(request, dossier, rights, forms, invoice)
    if not forms.is_valid() or not _company_ready(dossier, forms):
        return _page(request, dossier, rights, forms, invoice, status=400)
    try:
        issuing.issue(invoice, by=request.user)
    except issuing.InvoiceInvalid as invalid:
        forms.add_engine_errors(place_errors(invalid.report, draft))
        return _page(request, dossier, rights, forms, invoice, status=400, report=invalid.report)
    except issuing.AlreadyIssued:
        return _already_issued(request, dossier, invoice)
    except issuing.DraftChanged:
        messages.error(request, _("Le brouillon a été modifié entre-temps : vérifiez-le puis émettez-le à nouveau."))
        return redirect("issuing:edit", dossier_id=dossier.pk, pk=invoice.pk)
    except issuing.IssuingError:
        messages.error(request, _("Cette facture a déjà été émise."))
    return redirect("invoices:detail", dossier_id=dossier.pk, invoice_id=invoice.pk)


def _company_ready(dossier, forms):
    """Whether the company has what the invoice needs (its IBAN for a transfer); if not, the form says
    where to set it, instead of the engine's rule once the invoice is built (CII-SR-470, BR-61)."""
    if forms.header.cleaned_data.get("payment_means") not in TRANSFER_MEANS or dossier.iban:
        return True
    forms.header.add_error("payment_means", _(
        "Pour une facture payable par virement, renseignez d'abord l'IBAN de l'entreprise dans "
        "Paramètres › Société, ou choisissez un autre moyen de paiement."))
    return False


def _already_issued(request, dossier, invoice):
    """Another request (double click, second tab) issued it first: show the invoice it issued."""
    messages.error(request, _("Cette facture a déjà été émise."))
    return redirect("invoices:detail", dossier_id=dossier.pk, invoice_id=invoice.pk)


def _customer(request, dossier, forms):
    """The picked customer, or the new one typed in the form (created as soon as it is valid)."""
    chosen = request.POST.get("customer") or ""
    picked = forms.header.fields["customer"].queryset.filter(pk=chosen).first() if chosen.isdigit() else None
    if picked is not None:
        return picked
    if forms.customer.is_filled and forms.customer.is_valid() and forms.customer.cleaned_data.get("name"):
        customer = create_customer(dossier, forms.customer.cleaned_data, by=request.user)
        forms.customer = type(forms.customer)(prefix=forms.customer.prefix, dossier=dossier)
        data = request.POST.copy()
        data["customer"] = str(customer.pk)
        forms.header = type(forms.header)(data, dossier=dossier)
        return customer
    return None


def _redisplay(request, dossier, rights, invoice, draft, action):
    """Round trips that change the form without saving: SIREN look-up, one more line."""
    typed = customer_data(request.POST)
    warning = ""
    if action == "lookup":
        found, warning = registry_prefill(typed.get("siren", ""))
        typed.update(found)
    elif action == "add_line":
        draft["lines"].append({"quantity": "1", "unit": "C62", "vat": "S:20"})
    else:
        draft["adjustments"].append({"kind": "allowance", "vat": "S:20"})
    if not draft["lines"]:
        draft["lines"] = [{"quantity": "1", "unit": "C62", "vat": "S:20"}]
    forms = IssuingForms(dossier, draft=draft, customer_data=typed)
    return _page(request, dossier, rights, forms, invoice, lookup_warning=warning)


def _page(request, dossier, rights, forms, invoice, *, status=200, report=None, lookup_warning=""):
    draft = invoice.draft if invoice is not None else {}
    customer = invoice.third_party if invoice is not None else None
    preceding = invoice.preceding_invoice if invoice is not None else None
    document = build_document(draft, dossier=dossier, customer=customer, preceding=preceding) if draft else None
    return render(request, "issuing/form.html", {
        "dossier": dossier,
        "rights": rights,
        "active_menu": "sales",
        "forms": forms,
        "invoice": invoice,
        "document": document,
        "is_credit_note": draft.get("type_code") == issuing.CREDIT_NOTE,
        "report": report,
        "lookup_warning": lookup_warning,
        "has_customers": customers_of(dossier).exists(),
        "missing_company": missing_for_issuing(dossier),
        "zero": Decimal("0.00"),
    }, status=status)


@login_required
def issued(request, dossier_id, pk):
    """The former delivery page of an issued invoice: the invoice page shows its deliveries now."""
    dossier = access.get_open_dossier_or_404(request.user, dossier_id)
    invoice = sales_invoice_or_404(dossier, pk)
    return redirect("invoices:detail", dossier_id=dossier.pk, invoice_id=invoice.pk)


@login_required
@require_POST
def credit_note(request, dossier_id, pk):
    """"Créer un avoir": a credit note draft prefilled with the invoice's lines, referencing it (BG-3)."""
    dossier, _rights = access.get_dossier_for_or_403(request.user, dossier_id, "can_issue_sales")
    invoice = sales_invoice_or_404(dossier, pk, state=InvoiceState.ISSUED, is_credit_note=False)
    with transaction.atomic():
        draft = issuing.save_draft(dossier, issuing.credit_note_draft(invoice), customer=invoice.third_party,
                                   by=request.user, preceding=invoice)
    messages.success(request, _("Avoir créé en brouillon pour la facture %(number)s.") % {"number": invoice.number})
    return redirect("issuing:edit", dossier_id=dossier.pk, pk=draft.pk)


@login_required
@require_POST
def resend(request, dossier_id, pk):
    """Send a failed invoice again now, by the channel its buyer has today."""
    dossier, _rights = access.get_dossier_for_or_403(request.user, dossier_id, "can_issue_sales")
    invoice = sales_invoice_or_404(dossier, pk, state=InvoiceState.ISSUED)
    redeliver(invoice, by=request.user)
    invoice.refresh_from_db()
    if invoice.delivery_state == "delivered":
        messages.success(request, _("Facture envoyée."))
    else:
        messages.error(request, _("L'envoi a de nouveau échoué : voir le détail ci-dessous."))
    return redirect("invoices:detail", dossier_id=dossier.pk, invoice_id=invoice.pk)

