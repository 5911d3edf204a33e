"""The dossier home and its settings page (the gear).

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

from facturier.audit.models import AuditAction, record
from facturier.dashboard.forms import DossierSettingsForm
from facturier.dashboard.home import home_context
from facturier.dashboard.links import url_with_query
from facturier.dossiers.access import dossier_rights, get_open_dossier_or_404
from facturier.dossiers.last_used import remember


@login_required
def home(request, pk):
    """The dossier's home page (seed page 17); opening it makes it the last dossier used."""
    dossier = get_open_dossier_or_404(request.user, pk)
    remember(request.user, dossier)
    rights = dossier_rights(request.user, dossier)
    return render(request, "dashboard/home.html", {
        "dossier": dossier,
        "rights": rights,
        "active_menu": "home",
        "dashboard": home_context(request.user, dossier, rights),
    })


def settings_links(dossier, rights):
    """The other settings pages reachable from the gear, for this person."""
    links = [(_("Société"), url_with_query("dossiers:company", dossier.pk))]
    if rights.can_manage_users:
        links.append((_("Utilisateurs et droits"), url_with_query("dossiers:dossier_users", dossier.pk)))
    links.append((_("Réception par e-mail"), url_with_query("mailbox:settings", dossier.pk)))
    links.append((_("Paramètres comptables"), url_with_query("ledger:settings", dossier.pk)))
    links.append((_("Profil TVA (e-reporting)"), url_with_query("ereporting:profile", dossier.pk)))
    links.append((_("Clients de l'API"), url_with_query("apiclients:dossier_clients", dossier.pk)))
    links.append((_("Plateforme agréée"), url_with_query("accredited:dossier_platform", dossier.pk)))
    return links


@login_required
def dossier_settings(request, dossier_id):
    dossier = get_open_dossier_or_404(request.user, dossier_id)
    rights = dossier_rights(request.user, dossier)
    if not rights.can_open_settings:
        raise PermissionDenied
    editable = rights.can_manage_users
    if request.method == "POST" and not editable:
        raise PermissionDenied
    form = DossierSettingsForm(request.POST or None, instance=dossier)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            if form.changed_data:
                record(request.user, AuditAction.DOSSIER_SETTINGS_CHANGED, dossier=dossier, target=dossier.name,
                       **{name: form.cleaned_data[name] for name in form.changed_data})
        messages.success(request, _("Paramètres du dossier enregistrés."))
        return redirect("dashboard:settings", dossier_id=dossier.pk)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "dashboard/settings.html", {
        "dossier": dossier,
        "rights": rights,
        "form": form,
        "editable": editable,
        "links": settings_links(dossier, rights),
    })
