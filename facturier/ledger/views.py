"""The accounting pages of a dossier: "Attente intégration", exports, FEC, CSV and settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max, Min
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from facturier.archive.exceptions import ArchiveIntegrityError
from facturier.archive.store import open_content
from facturier.audit.models import AuditAction
from facturier.audit.models import record as audit
from facturier.dossiers import access
from facturier.invoices.models import Invoice
from facturier.ledger import exports, fec, fiscal
from facturier.ledger.booking import ELIGIBLE, awaiting_integration
from facturier.ledger.forms import LedgerSettingsForm
from facturier.ledger.models import Export, LedgerSettings

PAGE_SIZE = 50
RECENT_EXPORTS = 10


@require_GET
@login_required
def pending(request, dossier_id):
    """Attente intégration: the invoices the firm has not integrated yet, and the exports so far."""
    dossier, rights = access.get_dossier_for_or_403(request.user, dossier_id, "can_see_accounting")
    waiting = awaiting_integration(dossier).select_related("third_party", "entry").order_by("issue_date", "id")
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    history = list(Export.objects.filter(dossier=dossier).select_related("created_by")[:RECENT_EXPORTS])
    return render(request, "ledger/pending.html", {
        "dossier": dossier,
        "active_menu": "ledger",
        "page": page,
        "count": page.paginator.count,
        "exports": history,
        "undoable": history[0] if history and history[0].undone_at is None else None,
        "can_act": rights.can_do_accounting,
        "fiscal_years": fiscal_years(dossier),
    })


@require_POST
@login_required
def export_pending(request, dossier_id):
    dossier, _rights = access.get_dossier_for_or_403(request.user, dossier_id, "can_do_accounting")
    export = exports.export_pending(dossier, request.user)
    if export is None:
        messages.info(request, _("Aucune facture en attente d'intégration."))
    else:
        messages.success(request, ngettext(
            "%(count)s facture intégrée : %(file)s.", "%(count)s factures intégrées : %(file)s.",
            export.invoices.count()) % {"count": export.invoices.count(), "file": export.filename})
    return redirect("ledger:pending", dossier.pk)


@require_POST
@login_required
def undo_export(request, dossier_id):
    dossier, _rights = access.get_dossier_for_or_403(request.user, dossier_id, "can_do_accounting")
    export = exports.undo_last_export(dossier, request.user)
    if export is None:
        messages.info(request, _("Aucun export à annuler."))
    else:
        messages.success(request, _("Export %(file)s annulé : ses factures sont de nouveau en attente d'intégration.")
                         % {"file": export.filename})
    return redirect("ledger:pending", dossier.pk)


@require_POST
@login_required
def export_fec(request, dossier_id):
    """The FEC of a fiscal year, recorded and archived, downloaded at once."""
    dossier, _rights = access.get_dossier_for_or_403(request.user, dossier_id, "can_do_accounting")
    year = _year(request.POST)
    if year is None:
        messages.error(request, _("Choisissez un exercice."))
        return redirect("ledger:pending", dossier.pk)
    export = exports.export_fiscal_year(dossier, year, request.user)
    return _archived_file(request, dossier, export)


@require_GET
@login_required
def download(request, dossier_id, export_id):
    dossier, _rights = access.get_dossier_for_or_403(request.user, dossier_id, "can_see_accounting")
    export = Export.objects.filter(dossier=dossier, pk=export_id).select_related("archived").first()
    if export is None or export.archived is None:
        raise Http404
    return _archived_file(request, dossier, export)


@require_GET
@login_required
def entries_csv(request, dossier_id):
    """The entries of a fiscal year as a spreadsheet (nothing is marked integrated)."""
    dossier, _rights = access.get_dossier_for_or_403(request.user, dossier_id, "can_see_accounting")
    year = _year(request.GET)
    if year is None:
        raise Http404
    start, end = fiscal.bounds(dossier, year)
    exports.book_missing(Invoice.objects.filter(dossier=dossier, issue_date__range=(start, end)))
    audit(request.user, AuditAction.LEDGER_CSV_DOWNLOADED, dossier=dossier, target=str(year))
    response = StreamingHttpResponse(fec.csv_chunks(fec.export_lines(dossier, start=start, end=end)),
                                     content_type="text/csv; charset=utf-8")
    name = f"ecritures-{dossier.siren or dossier.pk}-{year}.csv"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@require_http_methods(["GET", "POST"])
@login_required
def ledger_settings(request, dossier_id):
    dossier, _rights = access.get_dossier_for_or_403(request.user, dossier_id, "can_do_accounting")
    form = LedgerSettingsForm(request.POST or None, instance=LedgerSettings.for_dossier(dossier))
    if request.method == "POST" and form.is_valid():
        form.save()
        audit(request.user, AuditAction.LEDGER_SETTINGS_CHANGED, dossier=dossier, target=dossier.name,
              fields=sorted(form.changed_data))
        messages.success(request, _("Paramètres comptables enregistrés."))
        return redirect("ledger:settings", dossier.pk)
    return render(request, "ledger/settings.html", {"dossier": dossier, "active_menu": "ledger", "form": form},
                  status=400 if form.is_bound else 200)


def fiscal_years(dossier):
    """The fiscal years with eligible invoices, and the current one, latest first."""
    span = Invoice.objects.filter(ELIGIBLE, dossier=dossier).aggregate(start=Min("issue_date"), end=Max("issue_date"))
    current = fiscal.fiscal_year_of(dossier, timezone.localdate())
    first = fiscal.fiscal_year_of(dossier, span["start"]) if span["start"] else current
    last = max(current, fiscal.fiscal_year_of(dossier, span["end"])) if span["end"] else current
    return list(range(last, first - 1, -1))


def _year(data):
    value = (data.get("exercice") or "").strip()
    return int(value) if value.isdigit() and 1900 < int(value) < 10000 else None


def _archived_file(request, dossier, export):
    try:
        content = open_content(export.archived)
    except ArchiveIntegrityError:
        audit(request.user, AuditAction.ARCHIVE_INTEGRITY_FAILED, dossier=dossier, target=export.filename)
        return render(request, "archive/integrity_error.html", {"dossier": dossier, "record": export.archived},
                      status=500)
    response = HttpResponse(content, content_type=exports.FEC_MEDIA_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, export.filename)
    response["X-Content-SHA256"] = export.sha256
    return response
