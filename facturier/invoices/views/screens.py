"""The invoice screens of a dossier: the sales and purchase lists, the invoice page,
its readable rendering and its original.

Anyone who can open the dossier sees its invoices (its client users, assigned
firm staff, firm admins); acting on them is the business of the decision and
issuing views, which check the rights. Everyone else gets 404.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from einvoice.errors import EInvoiceError
from einvoice.read import read_invoice
from einvoice.render import render_html
from facturier.archive.exceptions import ArchiveIntegrityError
from facturier.archive.store import open_content
from facturier.audit.models import AuditAction
from facturier.audit.models import record as audit
from facturier.dossiers import access
from facturier.dossiers.company import company_logo
from facturier.formats import money
from facturier.invoices import findings, queries, worklists
from facturier.invoices.decisions import allowed_decisions, refusal_reasons
from facturier.invoices.models import DeliveryState, Direction, Invoice, InvoiceState
from facturier.invoices.usage import FREE_INVOICES, free_invoices_used, monthly_usage

# Column key, label, sort key (None: not sortable), shown for (None: both directions).
COLUMNS = (
    ("number", gettext_lazy("Numéro"), "numero", None),
    ("date", gettext_lazy("Date"), "date", None),
    ("counterparty", gettext_lazy("Client"), "tiers", Direction.SALES),
    ("counterparty", gettext_lazy("Fournisseur"), "tiers", Direction.PURCHASE),
    ("excl_vat", gettext_lazy("Montant HT"), "ht", None),
    ("incl_vat", gettext_lazy("Montant TTC"), "ttc", None),
    ("due_date", gettext_lazy("Échéance"), "echeance", None),
    ("status", gettext_lazy("Statut"), "statut", None),
    ("delivery", gettext_lazy("Envoi"), None, Direction.SALES),
    ("anomalies", gettext_lazy("Anomalies"), None, None),
)

# The Content-Security-Policy of the rendered invoice: no script, no request
# anywhere, styles inline only; ``sandbox`` also gives it an opaque origin.
RENDERING_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def bulk_form(dossier, direction, rights):
    """Deciding the invoices ticked: approve or refuse purchases (people who handle them), mark sales
    paid (people who issue them); None for a person who only reads the list."""
    if direction == Direction.PURCHASE and rights.can_handle_purchases:
        return {"url": reverse("invoices:bulk_decide", args=[dossier.pk]), "reasons": refusal_reasons()}
    if direction == Direction.SALES and rights.can_issue_sales:
        return {"url": reverse("invoices:bulk_decide_sales", args=[dossier.pk])}
    return None


@login_required
@require_GET
def sales(request, dossier_id):
    return invoice_list(request, dossier_id, Direction.SALES)


@login_required
@require_GET
def purchases(request, dossier_id):
    return invoice_list(request, dossier_id, Direction.PURCHASE)


def invoice_list(request, dossier_id, direction):
    dossier = access.get_open_dossier_or_404(request.user, dossier_id)
    lang = get_language()
    form = queries.ListFilterForm(request.GET or None, dossier=dossier, direction=direction, lang=lang)
    key, descending = queries.parse_sort(request.GET.get("tri"), direction)
    invoices = form.filter(queries.dossier_invoices(dossier, direction))
    rights = access.dossier_rights(request.user, dossier)
    page = queries.invoice_page(invoices, key=key, descending=descending, direction=direction,
                                page=request.GET.get("page"), scanning=form.is_search)
    return render(request, "invoices/screens/list.html", {
        "dossier": dossier,
        "rights": rights,
        "active_menu": direction,
        "bulk": bulk_form(dossier, direction, rights),
        "direction": direction,
        "title": _("Factures de vente") if direction == Direction.SALES else _("Factures d'achat"),
        "form": form,
        "status_options": form.options("statut"),
        "party_options": form.options("tiers"),
        "page": page,
        "rows": list_rows(page.rows, dossier, lang),
        "headers": column_headers(request.GET, key, descending, direction),
        "previous_url": page_url(request.GET, page.number - 1) if page.has_previous() else None,
        "next_url": page_url(request.GET, page.number + 1) if page.has_next() else None,
        **other_actions(form, dossier, direction),
    })


def other_actions(form, dossier, direction):
    """"Action attendue" counts both directions; its link opens the purchases, which point to the sales
    awaiting action too, if any."""
    if direction != Direction.PURCHASE or not form.is_valid() or not form.cleaned_data["action"]:
        return {}
    count = queries.dossier_invoices(dossier, Direction.SALES).filter(worklists.action_required_condition()).count()
    return {"other_action_count": count,
            "other_action_url": reverse("invoices:sales", args=[dossier.pk]) + "?action=on"}


@dataclass(frozen=True)
class InvoiceRow:
    """One line of the list, its labels and URL computed once per page."""

    pk: int
    number: str
    issue_date: str
    counterparty: str
    counterparty_siren: str
    total_excl_vat: str
    total_incl_vat: str
    currency: str
    due_date: str
    status: str
    delivery: str
    delivery_state: str
    open_anomalies: int
    is_credit_note: bool
    url: str


def list_rows(invoices, dossier, lang):
    """Rows with their text ready: template filters per cell dominated the page's time."""
    deliveries = {value: str(label) for value, label in DeliveryState.choices}

    def day(value):
        return value.strftime("%d/%m/%Y") if value else ""

    pattern = reverse("invoices:detail", args=[dossier.pk, 987654321]).replace("987654321", "{pk}")
    draft_pattern = reverse("issuing:edit", args=[dossier.pk, 987654321]).replace("987654321", "{pk}")
    rows = []
    for invoice in invoices:
        name, siren = queries.counterparty_fields(invoice.direction)
        rows.append(InvoiceRow(
            pk=invoice.pk, number=invoice.number, issue_date=day(invoice.issue_date),
            counterparty=getattr(invoice, name), counterparty_siren=getattr(invoice, siren),
            total_excl_vat=money(invoice.total_excl_vat, invoice.currency, lang),
            total_incl_vat=money(invoice.total_incl_vat, invoice.currency, lang),
            currency=invoice.currency, due_date=day(invoice.due_date),
            status=queries.status_label(invoice.lifecycle_status, invoice.state, lang),
            delivery=deliveries.get(invoice.delivery_state, "") if invoice.delivery_state else "",
            delivery_state=invoice.delivery_state, open_anomalies=invoice.open_anomalies,
            is_credit_note=invoice.is_credit_note,
            url=(draft_pattern if invoice.state == InvoiceState.DRAFT else pattern).format(pk=invoice.pk),
        ))
    return rows


def column_headers(params, sort_key, descending, direction):
    """Each column with the URL that sorts on it (the reverse order when it already does)."""
    headers = []
    for key, label, sort, shown_for in COLUMNS:
        if shown_for not in (None, direction):
            continue
        url = arrow = None
        if sort is not None:
            current = sort == sort_key
            query = params.copy()
            query["tri"] = f"-{sort}" if current and not descending else sort
            query.pop("page", None)
            url = "?" + query.urlencode()
            arrow = ("▼" if descending else "▲") if current else ""
        headers.append({"key": key, "label": label, "url": url, "arrow": arrow})
    return headers


def page_url(params, number):
    query = params.copy()
    query["page"] = number
    return "?" + query.urlencode()


def get_invoice_or_404(request, dossier_id, invoice_id):
    dossier = access.get_open_dossier_or_404(request.user, dossier_id)
    invoice = get_object_or_404(Invoice.objects.select_related("original", "third_party"),
                                 dossier=dossier, pk=invoice_id)
    return dossier, invoice


@login_required
@require_GET
def detail(request, dossier_id, invoice_id):
    dossier, invoice = get_invoice_or_404(request, dossier_id, invoice_id)
    lang = get_language()
    validation = invoice.validation or {}
    with_fix = invoice.direction == Direction.SALES  # the dossier's own invoice: fixed on the platform
    decisions = allowed_decisions(invoice, request.user)
    anomalies = list(invoice.anomalies.select_related("resolved_by"))
    return render(request, "invoices/screens/detail.html", {
        "dossier": dossier,
        "rights": access.dossier_rights(request.user, dossier),
        "active_menu": invoice.direction,
        "invoice": invoice,
        "status": queries.status_label(invoice.lifecycle_status, invoice.state, lang),
        "counterparty": getattr(invoice, queries.counterparty_fields(invoice.direction)[0]),
        "validation_errors": findings.grouped(validation.get("errors", []), with_fix=with_fix),
        "validation_warnings": findings.grouped(validation.get("warnings", []), with_fix=with_fix),
        "anomalies": anomalies,
        "open_anomaly_count": sum(1 for anomaly in anomalies if anomaly.resolved_at is None),
        "primary_decisions": [choice for choice in decisions if choice.is_primary],
        "other_decisions": [choice for choice in decisions if not choice.is_primary],
        # The sales invoice's sending history (exchange's rows, reached through their relation).
        "deliveries": (invoice.deliveries.select_related("event").order_by("-created_at", "-pk")
                       if invoice.direction == Direction.SALES else ()),
        "timeline": timeline(invoice, lang),
        "list_url": reverse("invoices:sales" if invoice.direction == Direction.SALES else "invoices:purchases",
                            args=[dossier.pk]),
    })


def timeline(invoice, lang):
    """The invoice's status changes, oldest first, with who, when, why and how much."""
    return [
        {
            "status": event.status,
            "label": queries.status_label(event.status, None, lang),
            "at": event.at,
            "actor": str(event.actor) if event.actor else _("Plateforme"),
            "reason_code": event.reason_code,
            "reason": event.reason,
            "amount": event.amount,
        }
        for event in invoice.events.select_related("actor")
    ]


@login_required
@require_GET
@xframe_options_sameorigin
def rendering(request, dossier_id, invoice_id):
    """The readable invoice, shown in a sandboxed frame of the invoice page."""
    _dossier, invoice = get_invoice_or_404(request, dossier_id, invoice_id)
    if invoice.original is None:
        raise Http404
    try:
        logo = company_logo(invoice.dossier) if invoice.direction == Direction.SALES else None  # the seller's
        page = render_html(read_invoice(open_content(invoice.original)), "en" if get_language() == "en" else "fr",
                           logo=logo)
        status = 200
    except ArchiveIntegrityError:
        page, status = _("Le fichier archivé ne correspond plus à son empreinte : il n'est pas affiché."), 500
    except EInvoiceError:
        page, status = _("Ce document ne peut pas être affiché lisiblement : téléchargez l'original."), 200
    response = HttpResponse(page, content_type="text/html; charset=utf-8", status=status)
    response["Content-Security-Policy"] = RENDERING_POLICY
    return response


@login_required
@require_GET
def original(request, dossier_id, invoice_id):
    """The archived original, unchanged, under its own file name."""
    dossier, invoice = get_invoice_or_404(request, dossier_id, invoice_id)
    if invoice.original is None:
        raise Http404
    record = invoice.original
    try:
        content = open_content(record)
    except ArchiveIntegrityError:
        audit(request.user, AuditAction.ARCHIVE_INTEGRITY_FAILED, dossier=dossier, target=record.filename,
              sequence=record.sequence)
        return render(request, "archive/integrity_error.html", {"dossier": dossier, "record": record}, status=500)
    audit(request.user, AuditAction.ARCHIVE_DOWNLOADED, dossier=dossier, target=record.filename,
          sequence=record.sequence)
    response = HttpResponse(content, content_type=record.media_type)
    response["Content-Disposition"] = content_disposition_header(True, record.filename)
    return response


@login_required
@require_GET
def usage(request, dossier_id):
    """The dossier's invoices per month; for the firm's own dossier, its free invoices used."""
    dossier = access.get_open_dossier_or_404(request.user, dossier_id)
    return render(request, "invoices/screens/usage.html", {
        "dossier": dossier,
        "rights": access.dossier_rights(request.user, dossier),
        "active_menu": "usage",
        "months": monthly_usage(dossier),
        "free_used": free_invoices_used(dossier) if dossier.is_firm_own else None,
        "free_total": FREE_INVOICES,
    })
