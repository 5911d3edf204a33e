"""The firm's connections to accredited platforms (its administrators only), and the dossier's choice of one.

A firm administrator declares, changes, tests and deletes the firm's connections;
another firm's connection answers 404 like one that does not exist. In the dossier
settings, the firm staff working the dossier choose its connection and its
identifier there; the client's users see the choice without changing it (the
contract with the platform is the firm's).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, ProtectedError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facturier.accredited.client import PlatformClient
from facturier.accredited.forms import ConnectionForm, DossierConnectionForm
from facturier.accredited.models import Connection, DossierConnection, connection_for
from facturier.audit.models import AuditAction, record
from facturier.dossiers.access import dossier_rights, get_open_dossier_or_404
from facturier.firms.access import get_firm_membership_or_404


def administered_firm(user, firm_id):
    """The membership of ``user`` in the firm if they administer it: 404 outside their firms, 403 otherwise."""
    membership = get_firm_membership_or_404(user, firm_id)
    if not membership.can_administer:
        raise PermissionDenied
    return membership


def described(connection):
    """What the audit trail keeps of a connection: everything but the secret."""
    return {"name": connection.name, "flow_url": connection.flow_url, "directory_url": connection.directory_url,
            "token_url": connection.token_url, "client_id": connection.client_id,
            "organization_id_scheme": connection.organization_id_scheme, "is_default": connection.is_default}


@login_required
def connections(request, firm_id):
    membership = administered_firm(request.user, firm_id)
    firm = membership.firm
    form = ConnectionForm(request.POST or None, firm=firm)
    if request.method == "POST" and _saved(request, form, AuditAction.PLATFORM_CONNECTION_CREATED):
        messages.success(request, _("Connexion « %(name)s » enregistrée. Testez-la pour vérifier ses paramètres.")
                         % {"name": form.instance.name})
        return redirect("accredited:connections", firm_id=firm.pk)
    listed = Connection.objects.filter(firm=firm).annotate(dossier_count=Count("dossiers"))
    return render(request, "accredited/connections.html", {
        "membership": membership, "firm": firm, "active_menu": "platforms", "connections": listed, "form": form,
    })


@login_required
def edit_connection(request, firm_id, pk):
    membership = administered_firm(request.user, firm_id)
    connection = get_object_or_404(Connection, firm=membership.firm, pk=pk)
    form = ConnectionForm(request.POST or None, instance=connection, firm=membership.firm)
    if request.method == "POST" and _saved(request, form, AuditAction.PLATFORM_CONNECTION_CHANGED):
        messages.success(request, _("Connexion « %(name)s » enregistrée.") % {"name": connection.name})
        return redirect("accredited:connections", firm_id=firm_id)
    return render(request, "accredited/connection_edit.html", {
        "membership": membership, "firm": membership.firm, "active_menu": "platforms", "connection": connection,
        "form": form,
    })


def _saved(request, form, action):
    """Save a valid connection form, the firm's other connections losing the default if this one takes it."""
    if not form.is_valid():
        return False
    connection = form.instance
    try:
        with transaction.atomic():
            if form.cleaned_data["is_default"]:
                Connection.objects.filter(firm=form.firm, is_default=True).exclude(pk=connection.pk).update(
                    is_default=False)
            form.save()
            changed = [name for name in form.changed_data if name != "secret"]
            record(request.user, action, firm=form.firm, target=connection.name, changed=changed,
                   secret_changed="secret" in form.changed_data, **described(connection))
    except IntegrityError:  # the same name, or another default, saved by another request meanwhile
        form.add_error(None, _("Une autre modification des connexions vient d'être enregistrée : vérifiez la "
                               "liste et recommencez."))
        return False
    return True


@login_required
@require_POST
def test_connection(request, firm_id, pk):
    """Call the platform's healthchecks and ask a token; say in French what failed."""
    membership = administered_firm(request.user, firm_id)
    connection = get_object_or_404(Connection, firm=membership.firm, pk=pk)
    with PlatformClient(connection, timeout=10) as platform:
        problems = platform.healthcheck()
    record(request.user, AuditAction.PLATFORM_CONNECTION_TESTED, firm=membership.firm, target=connection.name,
           ok=not problems, problems=problems)
    if problems:
        messages.error(request, _("La connexion « %(name)s » ne fonctionne pas :") % {"name": connection.name})
        for problem in problems:
            messages.error(request, problem)
    else:
        messages.success(request, _("La connexion « %(name)s » fonctionne : les services Flow et Annuaire "
                                    "répondent et la plateforme a délivré un jeton.") % {"name": connection.name})
    return redirect("accredited:connections", firm_id=firm_id)


@login_required
@require_POST
def delete_connection(request, firm_id, pk):
    membership = administered_firm(request.user, firm_id)
    connection = Connection.objects.filter(firm=membership.firm, pk=pk).first()
    if connection is None:  # already deleted (a second click, another tab)
        return redirect("accredited:connections", firm_id=firm_id)
    try:
        with transaction.atomic():
            connection.delete()
            record(request.user, AuditAction.PLATFORM_CONNECTION_DELETED, firm=membership.firm,
                   target=connection.name, **described(connection))
    except ProtectedError:
        messages.error(request, _("Des dossiers utilisent la connexion « %(name)s » ou lui ont envoyé des "
                                  "factures : elle ne peut pas être supprimée. Choisissez une autre connexion "
                                  "pour ces dossiers.") % {"name": connection.name})
    else:
        messages.success(request, _("Connexion « %(name)s » supprimée.") % {"name": connection.name})
    return redirect("accredited:connections", firm_id=firm_id)


@login_required
def dossier_platform(request, dossier_id):
    dossier = get_open_dossier_or_404(request.user, dossier_id)
    rights = dossier_rights(request.user, dossier)
    if not rights.can_open_settings:
        raise PermissionDenied
    editable = rights.is_firm_side
    if request.method == "POST" and not editable:
        raise PermissionDenied
    current = connection_for(dossier)
    initial = {"connection": current.connection_id, "organization_id": current.organization_id} if current else {}
    form = DossierConnectionForm(request.POST or None, dossier=dossier, initial=initial)
    if request.method == "POST" and form.is_valid():
        _choose(request, dossier, form)
        messages.success(request, _("Plateforme agréée du dossier enregistrée."))
        return redirect("accredited:dossier_platform", dossier_id=dossier.pk)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "accredited/dossier_platform.html", {
        "dossier": dossier, "form": form, "editable": editable, "current": current,
        "has_connections": form.fields["connection"].queryset.exists(),
    })


def _choose(request, dossier, form):
    connection, organization_id = form.cleaned_data["connection"], form.chosen_organization_id()
    with transaction.atomic():
        row, created = DossierConnection.objects.select_for_update().get_or_create(
            dossier=dossier, defaults={"connection": connection, "organization_id": organization_id})
        if not created and (row.connection_id, row.organization_id) == (connection.pk, organization_id):
            return
        if row.connection_id != connection.pk:
            row.connected_at = timezone.now()
        row.connection, row.organization_id = connection, organization_id
        row.save()
        record(request.user, AuditAction.DOSSIER_PLATFORM_CHANGED, dossier=dossier, target=connection.name,
               organization_id=organization_id)
