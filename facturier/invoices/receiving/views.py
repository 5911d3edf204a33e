"""The upload page of a dossier's purchase invoices: several files at once, each with its outcome.

The upload archives each file and answers at once; the worker reads them, and
the page reloads itself while a file is still "en cours d'analyse".
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from facturier.archive import held
from facturier.archive.exceptions import ArchiveIntegrityError
from facturier.audit.models import AuditAction
from facturier.audit.models import record as audit
from facturier.dossiers import access
from facturier.invoices.models import IncomingFile
from facturier.invoices.receiving.intake import max_file_bytes, receive_file_later, refuse_too_large
from facturier.invoices.receiving.results import file_result

RECENT_FILES = 50
# What each row of the file list shows beside the file: its invoice, who sent it, the file held when it is
# no invoice, its recognition and its e-mail (reverse links of the recognition and mailbox apps).
ROW_RELATIONS = ("invoice", "uploaded_by", "held", "recognition", "mail_attachment__message")
MAX_FILES_PER_UPLOAD = 100
REFRESH_SECONDS = 3  # how often the page reloads while a file is being read


def invoice_url(invoice):
    return reverse("invoices:detail", args=[invoice.dossier_id, invoice.pk]) if invoice is not None else ""


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, dossier_id):
    dossier, rights = access.get_dossier_for_or_403(request.user, dossier_id, "can_handle_purchases")
    results, errors = [], []
    if request.method == "POST":
        results, errors = receive_uploads(request, dossier)
    # The files just sent show once, in the result; "recent" lists the others.
    rows = IncomingFile.objects.filter(dossier=dossier).select_related(*ROW_RELATIONS).defer(
        "mail_attachment__message__raw")
    sent = rows.in_bulk([item.pk for item in results])
    results = [sent[item.pk] for item in results]
    recent = list(rows.exclude(pk__in=list(sent))[:RECENT_FILES])
    context = {
        "dossier": dossier,
        "rights": rights,
        "active_menu": "purchase",
        "results": [file_result(item, invoice_url(item.invoice)) for item in results],
        "errors": errors,
        "recent": [file_result(item, invoice_url(item.invoice)) for item in recent],
        "max_size": max_file_bytes(),
        "max_files": MAX_FILES_PER_UPLOAD,
        "pending": any(item.outcome == IncomingFile.Outcome.PENDING for item in [*results, *recent]),
        "refresh_seconds": REFRESH_SECONDS,
        "held_days": held.retention().days,
    }
    return render(request, "receiving/upload.html", context, status=400 if errors and not results else 200)


def receive_uploads(request, dossier):
    files = request.FILES.getlist("files")
    if not files:
        return [], [_("Choisissez au moins un fichier.")]
    if len(files) > MAX_FILES_PER_UPLOAD:
        return [], [_("Au plus %(count)d fichiers par envoi.") % {"count": MAX_FILES_PER_UPLOAD}]
    limit, results = max_file_bytes(), []
    for upload in files:
        if upload.size > limit:  # refused without reading it into memory
            results.append(refuse_too_large(dossier, upload.name, upload.size, by=request.user))
        else:
            results.append(receive_file_later(dossier, upload.name, upload.read(), by=request.user))
    audit(request.user, AuditAction.INVOICES_UPLOADED, dossier=dossier, target=dossier.pk,
          files=len(results), accepted=sum(item.outcome == IncomingFile.Outcome.ACCEPTED for item in results),
          pending=sum(item.outcome == IncomingFile.Outcome.PENDING for item in results))
    return results, []



@login_required
@require_http_methods(["GET"])
def held_file(request, dossier_id, file_id):
    """A received file that is not an invoice, as it was sent, while it is still kept (404 once erased)."""
    dossier, _rights = access.get_dossier_for_or_403(request.user, dossier_id, "can_handle_purchases")
    item = get_object_or_404(IncomingFile.objects.select_related("held"), dossier=dossier, pk=file_id,
                             held__isnull=False)
    try:
        content = held.held_content(item.held)
    except ArchiveIntegrityError as error:
        raise Http404(_("Ce fichier n'est plus disponible.")) from error
    # Whatever it claims to be, it is handed back as a download, never shown in the page's origin.
    response = HttpResponse(content, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, item.filename)
    return response
