"""The dossier's API clients, in the dossier settings: create one (its secret shown once), see
them with their last use, revoke them.

Who: the people who open the dossier settings — the client's owner and user managers, and
the firm staff working the dossier (admins, assigned staff); others get 403, outsiders 404.
A client allowed on several dossiers (a firm's integration) loses only this dossier when
revoked from here; a client of this dossier alone is revoked, and stays listed as such.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facturier.apiclients.audit import client_detail
from facturier.apiclients.forms import ApiClientForm
from facturier.apiclients.models import ApiClient
from facturier.audit.models import AuditAction, record
from facturier.dossiers.access import dossier_rights, get_open_dossier_or_404


def settings_dossier(user, dossier_id):
    """The dossier if ``user`` opens its settings: 404 outside their scope, 403 without the right."""
    dossier = get_open_dossier_or_404(user, dossier_id)
    if not dossier_rights(user, dossier).can_open_settings:
        raise PermissionDenied
    return dossier


SHOWN_ONCE = "apiclients_new_secret"


@login_required
def dossier_clients(request, dossier_id):
    """The section; after a creation, the new secret is shown on the page the creation redirects to, once:
    the session holds it only until that page is displayed, and a reload cannot create a second client."""
    dossier = settings_dossier(request.user, dossier_id)
    form = ApiClientForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            created, secret = ApiClient.issue(name=form.cleaned_data["name"], dossiers=[dossier],
                                              created_by=request.user, **form.rights())
            record(request.user, AuditAction.API_CLIENT_CREATED, dossier=dossier, target=created.name,
                   rights=created.rights, **client_detail(created))
        request.session[SHOWN_ONCE] = {"pk": created.pk, "secret": secret}
        return redirect("apiclients:dossier_clients", dossier_id=dossier.pk)
    clients = dossier.api_clients.select_related("created_by").order_by("revoked_at", "-created_at")
    shown = request.session.pop(SHOWN_ONCE, None) if request.method == "GET" else None
    created = next((client for client in clients if shown and client.pk == shown["pk"]), None)
    return render(request, "apiclients/dossier_clients.html", {
        "dossier": dossier, "form": form, "clients": clients, "created": created,
        "secret": shown["secret"] if created else None,
    })


@login_required
@require_POST
def revoke(request, dossier_id, pk):
    dossier = settings_dossier(request.user, dossier_id)
    with transaction.atomic():
        # Locked so that two revocations of the same client (two tabs) are decided one after the other.
        client = get_object_or_404(dossier.api_clients.select_for_update(), pk=pk)
        if client.dossiers.exclude(pk=dossier.pk).exists():
            changed = ApiClient.dossiers.through.objects.filter(apiclient=client, dossier=dossier).delete()[0] > 0
        else:
            changed = client.revoke()
        if changed:
            record(request.user, AuditAction.API_CLIENT_REVOKED, dossier=dossier, target=client.name,
                   **client_detail(client))
    messages.success(request, _("Le client « %(name)s » n'a plus accès au dossier.") % {"name": client.name})
    return redirect("apiclients:dossier_clients", dossier_id=dossier.pk)
