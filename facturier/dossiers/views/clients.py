"""A client dossier seen from the firm (form, assignments, activation, deletion)
and from inside (its home page frame, the dossier switcher)."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from facturier.audit.models import AuditAction, record
from facturier.collation import french
from facturier.dossiers import access
from facturier.dossiers.activation import (
    activate_dossier,
    can_activate,
    expire_owner_invitations,
    send_owner_invitation,
)
from facturier.dossiers.forms import DossierForm
from facturier.dossiers.last_used import remember
from facturier.dossiers.models import Assignment, DossierStatus
from facturier.firms.models import FirmMembership

logger = logging.getLogger(__name__)

DUPLICATE = gettext_lazy("Un autre client de ce cabinet a déjà ce SIREN.")


def lookup_messages():
    """What the SIREN autofill script says, in the reader's language."""
    return {
        "searching": _("Recherche dans la base SIRENE…"),
        "found": _("Entreprise trouvée dans la base SIRENE : vérifiez les informations remplies."),
        "not_found": _("Ce SIREN est introuvable dans la base SIRENE : saisissez les informations à la main."),
        "unreachable": _("La base SIRENE ne répond pas : saisissez les informations à la main."),
    }


@login_required
def new(request, firm_id):
    membership = access.get_firm_membership_or_404(request.user, firm_id)
    form = DossierForm(request.POST or None, firm=membership.firm)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = _create(form, membership, request.user)
        except IntegrityError:  # the same SIREN saved by someone else a moment ago
            form.add_error("siren", DUPLICATE)
            return render(request, "dossiers/form.html", {
                "membership": membership, "firm": membership.firm, "active_menu": "clients", "form": form,
                "lookup_messages": lookup_messages(),
            })
        messages.success(request, _("Client %(name)s créé. Affectez-lui des collaborateurs puis activez-le.")
                         % {"name": dossier.name})
        return redirect("dossiers:detail", firm_id=membership.firm_id, pk=dossier.pk)
    return render(request, "dossiers/form.html", {
        "membership": membership, "firm": membership.firm, "active_menu": "clients", "form": form,
        "lookup_messages": lookup_messages(),
    })


@transaction.atomic
def _create(form, membership, user):
    dossier = form.save(commit=False)
    dossier.firm = membership.firm
    dossier.save()
    record(user, AuditAction.DOSSIER_CREATED, dossier=dossier, target=dossier.name)
    if not membership.can_administer:
        # Staff see only their assigned dossiers: the one they create is theirs.
        Assignment.objects.create(dossier=dossier, user=user)
        record(user, AuditAction.ASSIGNED, dossier=dossier, target=user)
    return dossier


@login_required
def detail(request, firm_id, pk):
    membership = access.get_firm_membership_or_404(request.user, firm_id)
    dossier = access.get_listed_dossier_or_404(membership, pk)
    form = DossierForm(request.POST or None, instance=dossier, firm=membership.firm)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
                if "representative_email" in form.changed_data:
                    expire_owner_invitations(dossier)
                record(request.user, AuditAction.DOSSIER_CHANGED, dossier=dossier, target=dossier.name,
                       fields=sorted(form.changed_data))
        except IntegrityError:
            form.add_error("siren", DUPLICATE)
        else:
            messages.success(request, _("Modifications enregistrées."))
            return redirect("dossiers:detail", firm_id=membership.firm_id, pk=dossier.pk)
    assigned = set(dossier.assignments.values_list("user_id", flat=True))
    candidates = (
        FirmMembership.objects.filter(firm=membership.firm, has_delegation=True)
        .select_related("user").order_by(french("user__full_name"), "user__email")
    )
    return render(request, "dossiers/detail.html", {
        "membership": membership, "firm": membership.firm, "active_menu": "clients",
        "dossier": dossier,
        "form": form,
        "candidates": [(m.user, m.user_id in assigned) for m in candidates],
        "can_open": dossier.is_open,
        "lookup_messages": lookup_messages(),
    })


@login_required
@require_POST
def toggle_assignment(request, firm_id, pk):
    """Click a staff name: assign them, click again: unassign (admins only)."""
    membership = access.get_firm_membership_or_404(request.user, firm_id)
    dossier = access.get_listed_dossier_or_404(membership, pk)
    if not membership.can_administer:
        raise PermissionDenied
    user_id = request.POST.get("user", "")
    member = user_id.isdigit() and (
        FirmMembership.objects.filter(firm=membership.firm, has_delegation=True, user_id=user_id)
        .select_related("user").first()
    )
    if not member:
        raise Http404
    with transaction.atomic():
        deleted, _rows = Assignment.objects.filter(dossier=dossier, user=member.user).delete()
        if deleted:
            record(request.user, AuditAction.UNASSIGNED, dossier=dossier, target=member.user)
        else:
            # A double click: the other request may have assigned them meanwhile.
            _, created = Assignment.objects.get_or_create(dossier=dossier, user=member.user)
            if created:
                record(request.user, AuditAction.ASSIGNED, dossier=dossier, target=member.user)
    return redirect("dossiers:detail", firm_id=membership.firm_id, pk=dossier.pk)


@login_required
def delete(request, firm_id, pk):
    """Confirmation page, then deletion; never the firm's own dossier, never one holding invoices."""
    membership = access.get_firm_membership_or_404(request.user, firm_id)
    dossier = access.get_listed_dossier_or_404(membership, pk)
    if not membership.can_administer:
        raise PermissionDenied
    back = redirect("dossiers:detail", firm_id=membership.firm_id, pk=dossier.pk)
    if dossier.is_firm_own:
        messages.error(request, _("Le dossier du cabinet ne peut pas être supprimé."))
        return back
    if request.method != "POST":
        return render(request, "dossiers/delete.html", {
            "membership": membership, "firm": membership.firm, "active_menu": "clients", "dossier": dossier,
        })
    name = dossier.name
    try:
        with transaction.atomic():
            record(request.user, AuditAction.DOSSIER_DELETED, firm=membership.firm, target=name, siren=dossier.siren)
            dossier.delete()
    except ProtectedError:
        messages.error(request, _("Le dossier %(name)s contient des factures : il ne peut pas être supprimé.")
                       % {"name": name})
        return back
    messages.success(request, _("Client %(name)s supprimé.") % {"name": name})
    return redirect("dashboard:clients", firm_id=membership.firm_id)


def _activate(request, dossier):
    """Send the owner's invitation; say what happened. Return True when the e-mail left."""
    try:
        send_owner_invitation(dossier, by=request.user)
    except OSError:  # SMTP errors and refused connections alike
        logger.exception("activation e-mail for dossier %s failed", dossier.pk)
        messages.error(request, _("L'e-mail d'invitation pour %(name)s n'a pas pu être envoyé ; réessayez plus "
                                  "tard.") % {"name": dossier.name})
        return False
    return True


@login_required
@require_POST
def activate(request, firm_id, pk):
    """"Activer" (or send the invitation again while the owner has not answered)."""
    membership = access.get_firm_membership_or_404(request.user, firm_id)
    dossier = access.get_listed_dossier_or_404(membership, pk)
    if not can_activate(dossier):
        messages.info(request, _("Ce dossier est déjà actif."))
    else:
        resend = dossier.status == DossierStatus.INVITED
        if _activate(request, dossier):
            text = _("Invitation renvoyée à %(email)s.") if resend else _("Invitation envoyée à %(email)s.")
            messages.success(request, text % {"email": dossier.representative_email})
    if _safe_next(request):
        return redirect(request.POST["next"])
    return redirect("dashboard:clients", firm_id=membership.firm_id)


def _safe_next(request):
    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})


@login_required
def activate_all(request, firm_id):
    """"Tout activer": the dossiers the person lists that were never activated, and whom each invitation
    will write to; on confirmation, one task per dossier still unactivated among those shown and kept."""
    membership = access.get_firm_membership_or_404(request.user, firm_id)
    pending = (access.listed_dossiers(membership).filter(status=DossierStatus.NOT_ACTIVATED)
               .order_by(french("name"), "pk"))
    if request.method != "POST" or request.POST.get("confirmed") != "1":
        return render(request, "dossiers/activate_all.html", {
            "membership": membership, "firm": membership.firm, "active_menu": "clients", "pending": pending,
        })
    chosen = list(pending.filter(pk__in=[pk for pk in request.POST.getlist("dossier") if pk.isdigit()])
                  .values_list("pk", flat=True))
    for dossier_id in chosen:
        activate_dossier.enqueue(dossier_id, request.user.pk)
    if chosen:
        messages.success(request, _("%(count)d invitation(s) en cours d'envoi. Un envoi échoué apparaît dans le "
                                    "journal ; le bouton « Renvoyer l'invitation » le relance.")
                         % {"count": len(chosen)})
    else:
        messages.info(request, _("Aucun dossier à activer."))
    return redirect("dashboard:clients", firm_id=membership.firm_id)


@login_required
@require_POST
def switch(request):
    """The dossier switcher of the top bar: land on the chosen dossier, remembered for next time."""
    dossier = access.get_open_dossier_or_404(request.user, request.POST.get("dossier"))
    remember(request.user, dossier)
    return redirect("dashboard:home", pk=dossier.pk)
