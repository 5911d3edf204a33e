"""The e-reporting pages of a dossier and of a firm.

Who may do what (``DossierRights``): the firm side and the client users who
see the accounting see the reports; the firm side and the client's user
managers ("dossier admins") change the VAT profile, enter B2C totals, build
and download reports. Outside a person's dossiers: 404, as everywhere.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from facturier.audit.models import AuditAction, record
from facturier.dossiers import access
from facturier.dossiers.models import DossierStatus
from facturier.dossiers.spreadsheet import SpreadsheetError, sheet_from_json, sheet_to_json
from facturier.ereporting import b2c_import, overview
from facturier.ereporting.building import build
from facturier.ereporting.calendar import period_of
from facturier.ereporting.forms import (
    B2CDayForm,
    B2CLineFormSet,
    B2CMappingForm,
    B2CUploadForm,
    VatProfileForm,
    save_day,
)
from facturier.ereporting.gathering import kinds_for
from facturier.ereporting.models import FAMILIES, B2CDay, Report, ReportKind
from facturier.ereporting.sending import NotSendable, SendLater, send

SESSION_KEY = "ereporting_b2c_upload"
MAX_SESSION_ROWS = 5000
RECENT_DAYS = 31
ERRORS_SHOWN = 100  # listed at the top of a report page; each row also shows its own


@require_GET
@login_required
def dossier_overview(request, dossier_id):
    """The dossier's periods, what is due by when, the status of each report."""
    dossier, rights = access.get_dossier_for_or_403(request.user, dossier_id, "can_see_accounting")
    items = overview.dossier_periods(dossier)
    return render(request, "ereporting/dossier.html", {
        "dossier": dossier, "active_menu": "ereporting", "items": items, "counts": overview.counts(items),
        "kinds": [ReportKind(kind).label for kind in kinds_for(dossier)],
        "can_act": rights.can_do_accounting,
    })


@require_http_methods(["GET", "POST"])
@login_required
def vat_profile(request, dossier_id):
    dossier, rights = access.get_dossier_for_or_403(request.user, dossier_id, "can_see_accounting")
    if request.method == "POST" and not rights.can_do_accounting:
        raise PermissionDenied
    form = VatProfileForm(request.POST or None, instance=dossier)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            if form.changed_data:
                record(request.user, AuditAction.VAT_PROFILE_CHANGED, dossier=dossier, target=dossier.name,
                       **{name: form.cleaned_data[name] for name in form.changed_data})
        messages.success(request, _("Profil TVA enregistré."))
        return redirect("ereporting:dossier", dossier.pk)
    if not rights.can_do_accounting:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "ereporting/profile.html", {
        "dossier": dossier, "active_menu": "ereporting", "form": form, "editable": rights.can_do_accounting,
    })


@require_POST
@login_required
def build_report(request, dossier_id):
    """Build (or rebuild) the report of one kind and period from today's data."""
    dossier, _rights = access.get_dossier_for_or_403(request.user, dossier_id, "can_do_accounting")
    kind = request.POST.get("kind")
    if kind not in kinds_for(dossier):
        raise Http404
    try:
        start = datetime.date.fromisoformat(request.POST.get("period_start", ""))
    except ValueError:
        raise Http404 from None
    period = period_of(dossier.vat_regime, FAMILIES[kind], start)
    if period is None or period.start != start:
        raise Http404
    report = build(dossier, kind, period, actor=request.user)
    record(request.user, AuditAction.EREPORT_BUILT, dossier=dossier, target=str(report), status=report.status,
           revision=report.revision)
    if report.errors:
        messages.error(request, ngettext("Le rapport contient %(count)s erreur à corriger.",
                                         "Le rapport contient %(count)s erreurs à corriger.",
                                         len(report.errors)) % {"count": len(report.errors)})
    else:
        messages.success(request, _("Rapport préparé et contrôlé : il est conforme."))
    return redirect("ereporting:report", dossier.pk, report.pk)


def _report(request, dossier_id, pk, right):
    dossier, rights = access.get_dossier_for_or_403(request.user, dossier_id, right)
    return get_object_or_404(Report.objects.select_related("replaces"), pk=pk, dossier=dossier), rights


@require_GET
@login_required
def report_detail(request, dossier_id, pk):
    report, rights = _report(request, dossier_id, pk, "can_see_accounting")
    errors_by_row = {}
    for error in report.errors:
        errors_by_row.setdefault(error["row"], []).append(error)
    rows = [dict(row, errors=errors_by_row.get(row["index"], [])) for row in report.summary.get("rows", [])]
    return render(request, "ereporting/report.html", {
        "dossier": report.dossier, "active_menu": "ereporting", "report": report, "rows": rows,
        "can_act": rights.can_do_accounting, "is_payments": FAMILIES[report.kind] == "payments",
        "shown": len(rows), "errors": report.errors[:ERRORS_SHOWN], "more_errors": len(report.errors) - ERRORS_SHOWN,
        "history": Report.objects.filter(
            dossier=report.dossier, kind=report.kind, period_start=report.period_start).order_by("revision"),
    })


@require_GET
@login_required
def report_download(request, dossier_id, pk):
    report, _rights = _report(request, dossier_id, pk, "can_do_accounting")
    record(request.user, AuditAction.EREPORT_DOWNLOADED, dossier=report.dossier, target=str(report))
    response = HttpResponse(report.xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, report.filename)
    return response


@require_POST
@login_required
def report_send(request, dossier_id, pk):
    """Envoyer: the report leaves through the dossier's accredited-platform connection (see ``sending``)."""
    report, _rights = _report(request, dossier_id, pk, "can_do_accounting")
    try:
        sent = send(report)
    except SendLater as delay:
        messages.warning(request, str(delay))
    except NotSendable as refusal:
        record(request.user, AuditAction.EREPORT_SEND_REFUSED, dossier=report.dossier, target=str(report),
               reason=str(refusal))
        messages.error(request, str(refusal))
    else:
        record(request.user, AuditAction.EREPORT_SENT, dossier=report.dossier, target=str(report),
               flow=sent.flow_id, status=sent.status)
        messages.success(request, _("Rapport transmis à la plateforme agréée : %(status)s.")
                         % {"status": sent.get_status_display()})
    return redirect("ereporting:report", report.dossier_id, report.pk)


@require_http_methods(["GET", "POST"])
@login_required
def b2c_days(request, dossier_id):
    """A simple form per day: the sales to private persons per category and rate, and what was received."""
    dossier, rights = access.get_dossier_for_or_403(request.user, dossier_id, "can_see_accounting")
    if request.method == "POST" and not rights.can_do_accounting:
        raise PermissionDenied
    day_form = B2CDayForm(request.POST or None, initial={"date": timezone.localdate()})
    lines = B2CLineFormSet(request.POST or None, prefix="line")
    if request.method == "POST" and day_form.is_valid() and lines.is_valid():
        filled = [form.cleaned_data for form in lines if form.cleaned_data]
        if not filled:
            messages.error(request, _("Saisissez au moins une ligne : catégorie, taux et montant HT."))
        else:
            day = day_form.cleaned_data["date"]
            with transaction.atomic():
                save_day(dossier, day, filled, request.user)
                record(request.user, AuditAction.B2C_DAY_SAVED, dossier=dossier, target=day.isoformat(),
                       lines=len(filled))
            messages.success(request, _("Ventes du %(date)s enregistrées.") % {"date": day.strftime("%d/%m/%Y")})
            return redirect("ereporting:b2c", dossier.pk)
    since = timezone.localdate() - datetime.timedelta(days=RECENT_DAYS)
    return render(request, "ereporting/b2c.html", {
        "dossier": dossier, "active_menu": "ereporting", "day_form": day_form, "lines": lines,
        "days": B2CDay.objects.filter(dossier=dossier, date__gte=since).order_by("-date", "category", "-rate"),
        "can_act": rights.can_do_accounting, "upload_form": B2CUploadForm(),
    })


@require_POST
@login_required
def b2c_upload(request, dossier_id):
    dossier, _rights = access.get_dossier_for_or_403(request.user, dossier_id, "can_do_accounting")
    form = B2CUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choisissez un fichier."))
        return redirect("ereporting:b2c", dossier.pk)
    upload = form.cleaned_data["file"]
    try:
        sheet = b2c_import.read_file(upload.read(b2c_import.MAX_CSV_BYTES + 1), upload.name)
    except SpreadsheetError as error:
        messages.error(request, str(error))
        return redirect("ereporting:b2c", dossier.pk)
    if len(sheet.rows) > MAX_SESSION_ROWS:
        messages.error(request, _("Le fichier dépasse %(max)s lignes.") % {"max": MAX_SESSION_ROWS})
        return redirect("ereporting:b2c", dossier.pk)
    request.session[SESSION_KEY] = {"dossier": dossier.pk, "name": upload.name, "sheet": sheet_to_json(sheet)}
    return redirect("ereporting:b2c_mapping", dossier.pk)


@require_http_methods(["GET", "POST"])
@login_required
def b2c_mapping(request, dossier_id):
    """Pair each value with a column, then import; nothing is kept while a row does not read."""
    dossier, _rights = access.get_dossier_for_or_403(request.user, dossier_id, "can_do_accounting")
    stored = request.session.get(SESSION_KEY)
    if not stored or stored.get("dossier") != dossier.pk:
        messages.error(request, _("Envoyez d'abord le fichier des totaux journaliers."))
        return redirect("ereporting:b2c", dossier.pk)
    sheet = sheet_from_json(stored["sheet"])
    form = B2CMappingForm(request.POST or None, headers=sheet.headers, targets=b2c_import.TARGETS,
                          suggested=b2c_import.suggest(sheet.headers))
    problems = []
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        if mapping.get("amount_excl_vat") is None and mapping.get("amount_incl_vat") is None:
            form.add_error(None, _("Choisissez la colonne du montant HT ou celle du montant TTC."))
        else:
            totals, problems = b2c_import.daily_totals(sheet, mapping)
            if not problems:
                with transaction.atomic():
                    for (day, category, rate), values in totals.items():
                        save_day(dossier, day, [{"category": category, "rate": rate, **values}], request.user,
                                 source="import")
                    record(request.user, AuditAction.B2C_TOTALS_IMPORTED, dossier=dossier, target=stored["name"],
                           totals=len(totals))
                del request.session[SESSION_KEY]
                messages.success(request, ngettext("%(count)s total journalier importé.",
                                                   "%(count)s totaux journaliers importés.",
                                                   len(totals)) % {"count": len(totals)})
                return redirect("ereporting:b2c", dossier.pk)
    return render(request, "ereporting/b2c_mapping.html", {
        "dossier": dossier, "active_menu": "ereporting", "form": form, "filename": stored["name"],
        "problems": problems, "sample": sheet.rows[:5], "headers": sheet.headers,
    })


@require_GET
@login_required
def firm_overview(request, firm_id):
    """What is due across the firm's dossiers the person sees: late first, then by due date."""
    membership = access.get_firm_membership_or_404(request.user, firm_id)
    dossiers = access.listed_dossiers(membership).filter(status=DossierStatus.ACTIVE).exclude(vat_regime="")
    items = overview.firm_overview(dossiers)
    wanted = request.GET.get("voir")
    shown = [item for item in items if wanted is None or (wanted == "retard" and item.is_late)
             or (wanted == "transmettre" and item.is_to_send) or (wanted == "erreurs" and item.has_errors)]
    return render(request, "ereporting/firm.html", {
        "membership": membership, "firm": membership.firm, "active_menu": "ereporting", "items": shown,
        "counts": overview.counts(items), "wanted": wanted,
        "unset": access.listed_dossiers(membership).filter(status=DossierStatus.ACTIVE, vat_regime="").count(),
    })


