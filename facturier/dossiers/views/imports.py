"""Importing clients from a spreadsheet (seed annex 1): upload, columns, preview, import.

Firm admins only. The uploaded file is read once, on upload; its rows wait
between the steps (as JSON) in a private folder of the data directory, under a
random name that only the uploader's session knows; they are removed after the
import and forgotten after a day.
"""

import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from facturier.dossiers.access import get_firm_membership_or_404
from facturier.dossiers.import_files import XLSX, rejected_workbook, rejections, template_workbook
from facturier.dossiers.importing import ImportConflict, import_dossiers
from facturier.dossiers.spreadsheet import (
    MAX_FILE_BYTES,
    TARGET_FIELDS,
    RowChecker,
    SpreadsheetError,
    read_spreadsheet,
    sheet_from_json,
    sheet_to_json,
    suggest_mapping,
)

SESSION_KEY = "client_imports"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
KEEP_SECONDS = 24 * 3600
PREVIEW_ROWS = 10


# Where uploads wait between steps -------------------------------------------------

def upload_dir():
    """Under the instance's own data directory: a shared /tmp folder could be another user's."""
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def forget_stale_uploads():
    limit = time.time() - KEEP_SECONDS
    for path in upload_dir().iterdir():
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def store_upload(request, firm, filename, sheet):
    forget_stale_uploads()
    imports = request.session.get(SESSION_KEY, {})
    for token, entry in list(imports.items()):  # one import in progress per firm and person
        if entry["firm"] == firm.pk:
            discard_upload(request, token)
            imports.pop(token, None)
    token = secrets.token_urlsafe(24)
    path = upload_dir() / token
    with open(path, "x", encoding="utf-8") as file:
        file.write(sheet_to_json(sheet))
    path.chmod(0o600)
    imports[token] = {"firm": firm.pk, "filename": filename, "mapping": None}
    request.session[SESSION_KEY] = imports
    return token


def pending_upload(request, firm, token):
    """The upload's session entry and sheet; 404 for anything not this session's own."""
    entry = request.session.get(SESSION_KEY, {}).get(token) if TOKEN.match(token) else None
    if entry is None or entry["firm"] != firm.pk:
        raise Http404
    try:
        text = (upload_dir() / token).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise Http404 from None
    return entry, sheet_from_json(text)


def discard_upload(request, token):
    (upload_dir() / token).unlink(missing_ok=True)
    imports = request.session.get(SESSION_KEY, {})
    if imports.pop(token, None) is not None:
        request.session[SESSION_KEY] = imports


# Forms -------------------------------------------------------------------------

class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Choisir un fichier (.xls, .xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls"}))


class MappingForm(forms.Form):
    """One choice of column per target field."""

    def __init__(self, headers, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("-- Sélectionnez --"))] + [(str(i), header) for i, header in enumerate(headers)]
        for target in TARGET_FIELDS:
            self.fields[target.key] = forms.TypedChoiceField(
                label=target.label, choices=choices, required=target.required, coerce=int, empty_value=None,
                error_messages={"required": _("Associez une colonne à ce champ.")},
            )

    def mapping(self):
        return {target.key: self.cleaned_data.get(target.key) for target in TARGET_FIELDS}


# Views -------------------------------------------------------------------------

def admin_membership(request, firm_id):
    membership = get_firm_membership_or_404(request.user, firm_id)
    if not membership.can_administer:
        raise PermissionDenied
    return membership


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, firm_id):
    membership = admin_membership(request, firm_id)
    firm = membership.firm
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            if uploaded.size > MAX_FILE_BYTES:
                raise SpreadsheetError(_("Le fichier dépasse 10 Mo."))
            sheet = read_spreadsheet(uploaded.read(), uploaded.name)
        except SpreadsheetError as error:
            form.add_error("file", str(error))
        else:
            token = store_upload(request, firm, uploaded.name, sheet)
            return redirect("dossiers:import_mapping", firm_id=firm.pk, token=token)
    return render(request, "dossiers/import/upload.html", frame(membership, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def mapping(request, firm_id, token):
    membership = admin_membership(request, firm_id)
    firm = membership.firm
    entry, sheet = pending_upload(request, firm, token)
    initial = entry["mapping"] or suggest_mapping(sheet.headers)
    data = request.POST if request.method == "POST" else None
    form = MappingForm(sheet.headers, data, initial={k: v for k, v in initial.items() if v is not None})
    if form.is_bound and form.is_valid():
        imports = request.session[SESSION_KEY]
        imports[token]["mapping"] = form.mapping()
        request.session[SESSION_KEY] = imports
        return redirect("dossiers:import_preview", firm_id=firm.pk, token=token)
    return render(request, "dossiers/import/mapping.html",
                  frame(membership, form=form, token=token, filename=entry["filename"], rows=len(sheet.rows)))


@login_required
def preview(request, firm_id, token):
    membership = admin_membership(request, firm_id)
    firm = membership.firm
    entry, sheet = pending_upload(request, firm, token)
    if not entry["mapping"]:
        return redirect("dossiers:import_mapping", firm_id=firm.pk, token=token)
    validation = RowChecker(firm).check(sheet, entry["mapping"])
    return render(request, "dossiers/import/preview.html", frame(
        membership, token=token, filename=entry["filename"], validation=validation,
        sample=validation.drafts[:PREVIEW_ROWS], completed=sum(1 for draft in validation.drafts if draft.from_registry),
    ))


@login_required
@require_POST
def run(request, firm_id, token):
    membership = admin_membership(request, firm_id)
    firm = membership.firm
    entry, sheet = pending_upload(request, firm, token)
    if entry.get("done"):
        return redirect("dashboard:clients", firm_id=firm.pk)
    if not entry["mapping"]:
        return redirect("dossiers:import_mapping", firm_id=firm.pk, token=token)
    validation = RowChecker(firm).check(sheet, entry["mapping"])
    try:
        dossiers = import_dossiers(firm, request.user, validation, source=entry["filename"])
    except ImportConflict:
        messages.error(request, _("Un autre import vient de créer certains de ces clients : rien n'a été importé, "
                                  "vérifiez l'aperçu et recommencez."))
        return redirect("dossiers:import_preview", firm_id=firm.pk, token=token)
    if validation.errors:
        # Kept (a day at most) for its rejected rows to be downloaded, fixed and imported again: the rows
        # refused now, not those a new check would refuse (the clients just imported would be "duplicates").
        imports = request.session[SESSION_KEY]
        imports[token]["done"] = True
        imports[token]["rejected"] = list(rejections(validation).items())
        request.session[SESSION_KEY] = imports
    else:
        discard_upload(request, token)
    return render(request, "dossiers/import/result.html", frame(
        membership, token=token, filename=entry["filename"], created=len(dossiers), validation=validation))


@login_required
def template(request, firm_id):
    """An empty spreadsheet with the expected headers, and a sheet of help."""
    admin_membership(request, firm_id)
    return xlsx_response(template_workbook(), _("modele-import-clients.xlsx"))


@login_required
def rejected(request, firm_id, token):
    """The rows of the upload the import refuses, as uploaded, with what to fix."""
    firm = admin_membership(request, firm_id).firm
    entry, sheet = pending_upload(request, firm, token)
    if not entry["mapping"]:
        raise Http404
    if entry.get("done"):
        reasons = dict(entry["rejected"])
    else:
        reasons = rejections(RowChecker(firm).check(sheet, entry["mapping"]))
    name = entry["filename"].rsplit(".", 1)[0]
    return xlsx_response(rejected_workbook(sheet, reasons), _("%(name)s-a-corriger.xlsx") % {"name": name})


def xlsx_response(data, filename):
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{re.sub(r"[^A-Za-z0-9._-]", "_", filename)}"'
    return response


def frame(membership, **context):
    """What the firm's page frame needs (its menu), with the page's own context."""
    return {"membership": membership, "firm": membership.firm, "active_menu": "clients", **context}
