"""The dossier settings page (the gear of the dossier home).

Who may do what:
- the client's owner and the client users allowed to manage users change the
  settings: they are the client's own decisions (approve clean invoices
  without a look, the format its invoices leave in);
- firm staff who can open the dossier (admins, assigned staff) see them
  read-only, with the accounting settings that are the firm's business;
- other client users get 403, outsiders 404, as everywhere else.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from facturier.audit.models import record
from facturier.dashboard.forms import DossierSettingsForm
from facturier.dashboard.links import optional_url
from facturier.dossiers.access import (
    dossier_rights,
    firm_memberships,
    get_open_dossier_or_404,
    openable_dossiers,
)

SWITCHER_SIZE = 200  # as the dossier home's top bar


def may_open_settings(rights):
    return rights.can_manage_users or rights.is_firm_side


def frame_context(user, dossier, rights):
    """What the dossier frame (dossiers/home.html) needs around a page of its own."""
    return {
        "dossier": dossier,
        "rights": rights,
        "switchable": openable_dossiers(user).only("pk", "name").order_by("name")[:SWITCHER_SIZE],
        "firm_membership": firm_memberships(user).filter(firm=dossier.firm).first(),
    }


def settings_links(dossier, rights):
    """The other settings pages reachable from the gear, for this person."""
    links = []
    if rights.can_manage_users:
        links.append((_("Utilisateurs et droits"), optional_url("accounts:dossier_users", dossier.pk)))
    links.append((_("Paramètres comptables"), optional_url("ledger:settings", dossier.pk)))
    return [(label, url) for label, url in links if url]


@login_required
def dossier_settings(request, dossier_id):
    dossier = get_open_dossier_or_404(request.user, dossier_id)
    rights = dossier_rights(request.user, dossier)
    if not may_open_settings(rights):
        raise PermissionDenied
    editable = rights.can_manage_users
    if request.method == "POST" and not editable:
        raise PermissionDenied
    form = DossierSettingsForm(request.POST or None, instance=dossier)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            if form.changed_data:
                record(request.user, "dossier_settings_changed", dossier=dossier, target=dossier.name,
                       **{name: form.cleaned_data[name] for name in form.changed_data})
        messages.success(request, _("Paramètres du dossier enregistrés."))
        return redirect("dashboard:settings", dossier_id=dossier.pk)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "dashboard/settings.html", {
        **frame_context(request.user, dossier, rights),
        "form": form,
        "editable": editable,
        "links": settings_links(dossier, rights),
    })
