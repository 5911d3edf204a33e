"""The review page: the document beside the fields read, low-confidence ones marked, then one confirmation.

While the worker reads the file, the page shows how many pages are done and
reloads itself; once read, a click on a field draws where it was read on the
page image.
"""

import io
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from einvoice.errors import EInvoiceError
from einvoice.recognition.document import page_image as document_page
from einvoice.recognition.fields import LOW_CONFIDENCE
from facturier.archive.store import open_content
from facturier.dossiers import access
from facturier.recognition import service
from facturier.recognition.forms import ConfirmForm
from facturier.recognition.models import Recognition

logger = logging.getLogger(__name__)
REFRESH_SECONDS = 2
IMAGE_WIDTH = 900
State = Recognition.State


def recognition_for(request, dossier_id, pk):
    dossier, rights = access.get_dossier_for_or_403(request.user, dossier_id, "can_handle_purchases")
    recognition = get_object_or_404(Recognition.objects.select_related("incoming", "invoice"), dossier=dossier, pk=pk)
    return dossier, rights, recognition


@login_required
@require_http_methods(["GET", "POST"])
def review(request, dossier_id, pk):
    dossier, rights, recognition = recognition_for(request, dossier_id, pk)
    form = None
    if recognition.state == State.REVIEW:
        form = ConfirmForm(request.POST or None, initial=service.draft_values(recognition),
                           vat=recognition.result.get("vat", []), lines=recognition.result.get("lines", []))
    if request.method == "POST":
        response = decided(request, dossier, recognition, form)
        if response is not None:
            return response
    context = {
        "dossier": dossier, "rights": rights, "active_menu": "purchase", "recognition": recognition, "form": form,
        "rows": field_rows(recognition, form) if form is not None else [],
        "page_numbers": range(len(recognition.pages) or recognition.pages_total),
        "reading": recognition.state in (State.QUEUED, State.READING), "refresh_seconds": REFRESH_SECONDS,
        "lines": recognition.result.get("lines", []) if form is None else [*form.line_rows, {}],
        "vat": recognition.result.get("vat", []) if form is None else [*form.vat_rows, {}],  # {}: a rate to add
        "checks": recognition.result.get("checks", {}),
    }
    return render(request, "recognition/review.html", context, status=400 if form is not None and form.errors else 200)


def decided(request, dossier, recognition, form):
    """The answer to a confirmation or a setting aside; None to show the form again with its errors."""
    done = None
    if form is None:
        done = False
    elif "dismiss" in request.POST:
        done = service.dismiss(recognition, by=request.user) is not None
        if done:
            messages.success(request, _("Fichier écarté : il n'est pas enregistré comme facture (il reste archivé)."))
            return redirect(reverse("receiving:upload", args=[dossier.pk]))
    elif form.is_valid():
        try:
            confirmed = service.confirm(recognition, form.cleaned_data, by=request.user)
        except EInvoiceError as error:  # nothing was filed: the transaction was rolled back
            logger.warning("Recognised invoice %s could not be written: %s", recognition.pk, error)
            form.add_error(None, _("Ces champs ne forment pas une facture enregistrable : %(error)s")
                           % {"error": error})
            return None
        done = confirmed is not None
        if done and confirmed.state == State.CONFIRMED:
            messages.success(request, _("Facture %(number)s confirmée et enregistrée.") % {
                "number": confirmed.invoice.number})
            return redirect(reverse("invoices:detail", args=[dossier.pk, confirmed.invoice.pk]))
        if done:  # a duplicate: the page says so
            return redirect(request.path)
    if done is False:
        messages.info(request, _("Ce fichier a déjà été traité (confirmé ou écarté)."))
        recognition.refresh_from_db()
        if recognition.state == State.CONFIRMED and recognition.invoice_id:  # a double click lands where the first did
            return redirect(reverse("invoices:detail", args=[dossier.pk, recognition.invoice_id]))
        return redirect(request.path)
    return None


def field_rows(recognition, form):
    """Each form field with its confidence and box as read (a field read nowhere has no box)."""
    read = recognition.result.get("fields", {})
    rows = []
    for bound in form:
        found = read.get(bound.name) or {}
        confidence = found.get("confidence", 0)
        rows.append({"field": bound, "confidence": round(100 * confidence), "low": confidence < LOW_CONFIDENCE,
                     "box": ",".join(str(v) for v in found["box"]) if found.get("box") else "",
                     "source": found.get("source", "")})
    return rows


@login_required
@require_GET
def page_image(request, dossier_id, pk, number):
    _dossier, _rights, recognition = recognition_for(request, dossier_id, pk)
    stored = recognition.pages[number] if number < len(recognition.pages) else {}
    try:
        image = document_page(open_content(recognition.incoming.archived), number, ocr_read=stored.get("ocr", False),
                              skew=stored.get("skew", 0), rotation=stored.get("rotation", 0))
    except (IndexError, EInvoiceError):
        raise Http404 from None
    if image.width > IMAGE_WIDTH:
        image = image.resize((IMAGE_WIDTH, round(image.height * IMAGE_WIDTH / image.width)))
    out = io.BytesIO()
    image.convert("L").save(out, "PNG", optimize=False)
    response = HttpResponse(out.getvalue(), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response
