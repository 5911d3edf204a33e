"""The "fichiers" page of a dossier: browse, download one file or a whole period."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from facturier.archive import bundle, checkpoint
from facturier.archive.chain import RETENTION_YEARS
from facturier.archive.exceptions import ArchiveIntegrityError
from facturier.archive.forms import PeriodFilterForm
from facturier.archive.models import ArchiveRecord
from facturier.archive.store import open_content
from facturier.audit.models import AuditAction
from facturier.audit.models import record as audit
from facturier.dossiers.access import get_open_dossier_or_404

PAGE_SIZE = 50


@require_GET
@login_required
def files(request, dossier_id):
    dossier = get_open_dossier_or_404(request.user, dossier_id)
    return _files_page(request, dossier, PeriodFilterForm(request.GET or None))


def _files_page(request, dossier, form, *, status=200, period_error=False):
    records = ArchiveRecord.objects.filter(dossier=dossier)
    if not form.is_bound:
        shown = records
    elif form.is_valid():
        shown = form.filter(records)
    else:
        shown = records.none()
    page = Paginator(shown.order_by("-period", "-sequence"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "dossier": dossier,
        "active_menu": "archive",
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "years": [day.year for day in records.dates("period", "year", order="DESC")],
        "can_zip": form.is_bound and form.is_valid() and bool(form.cleaned_data.get("annee")),
        "period_error": period_error,
        "retention_years": RETENTION_YEARS,
        "has_checkpoint": checkpoint.latest_for_dossier(dossier.pk) is not None,
    }
    return render(request, "archive/files.html", context, status=status)


@require_GET
@login_required
def download(request, dossier_id, sequence):
    dossier = get_open_dossier_or_404(request.user, dossier_id)
    try:
        record = ArchiveRecord.objects.get(dossier=dossier, sequence=sequence)
    except ArchiveRecord.DoesNotExist:
        raise Http404 from None
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
    response["X-Content-SHA256"] = record.sha256
    return response


@require_GET
@login_required
def download_period(request, dossier_id):
    dossier = get_open_dossier_or_404(request.user, dossier_id)
    form = PeriodFilterForm(request.GET)
    if not form.is_valid() or not form.cleaned_data.get("annee"):
        return _files_page(request, dossier, form, status=400, period_error=True)
    data = form.cleaned_data
    records = form.filter(ArchiveRecord.objects.filter(dossier=dossier))
    audit(request.user, AuditAction.ARCHIVE_PERIOD_DOWNLOADED, dossier=dossier, target=_zip_name(dossier, data),
          year=data["annee"], month=data.get("mois"), kind=data.get("type") or "")
    response = StreamingHttpResponse(bundle.zip_chunks(records), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, _zip_name(dossier, data))
    return response


def _zip_name(dossier, data):
    period = f"{data['annee']}" + (f"-{data['mois']:02d}" if data.get("mois") else "")
    kind = f"-{data['type']}" if data.get("type") else ""
    return f"archives-{dossier.siren or dossier.pk}-{period}{kind}.zip"


@require_GET
@login_required
def download_checkpoint(request, dossier_id):
    """The dossier's latest signed chain head: proof of its archive that needs no trust in the platform's database."""
    dossier = get_open_dossier_or_404(request.user, dossier_id)
    name = checkpoint.latest_for_dossier(dossier.pk)
    if name is None:
        raise Http404
    content = checkpoint.read_bytes(name)
    audit(request.user, AuditAction.ARCHIVE_CHECKPOINT_DOWNLOADED, dossier=dossier, target=name.rsplit("/", 1)[-1])
    response = HttpResponse(content, content_type="application/json")
    response["Content-Disposition"] = content_disposition_header(
        True, f"point-de-controle-{dossier.siren or dossier.pk}-{name.rsplit('/', 1)[-1]}")
    return response
