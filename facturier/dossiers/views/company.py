"""The "Société" page of a dossier (behind the settings gear) and the company's logo."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from facturier.audit.models import AuditAction, record
from facturier.dossiers.access import get_dossier_for_or_403, get_open_dossier_or_404
from facturier.dossiers.company import CompanyForm
from facturier.dossiers.models import CompanyLogo


@login_required
def company(request, pk):
    dossier, rights = get_dossier_for_or_403(request.user, pk, "can_open_settings")
    form = CompanyForm(request.POST or None, request.FILES or None, instance=dossier)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            changed = [name for name in form.changed_data if name not in ("logo", "remove_logo")]
            if form.save_logo():
                changed.append("logo")
            if changed:
                record(request.user, AuditAction.COMPANY_SETTINGS_CHANGED, dossier=dossier, target=dossier.name,
                       fields=changed)
        messages.success(request, _("Informations de la société enregistrées."))
        return redirect("dossiers:company", pk=dossier.pk)
    return render(request, "dossiers/company.html", {
        "dossier": dossier,
        "rights": rights,
        "form": form,
        "has_logo": CompanyLogo.objects.filter(dossier=dossier).exists(),
    }, status=400 if form.is_bound else 200)


@login_required
@require_GET
def logo(request, pk):
    """The company's logo, for anyone who may open the dossier."""
    dossier = get_open_dossier_or_404(request.user, pk)
    stored = CompanyLogo.objects.filter(dossier=dossier).first()
    if stored is None:
        raise Http404
    response = HttpResponse(bytes(stored.content), content_type=stored.media_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=300"
    return response
