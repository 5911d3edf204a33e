"""A dossier's client users: the owner, or a user allowed to manage users, invites
others and sets their rights. Firm staff do not manage the client's users."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facturier.audit.models import AuditAction, record
from facturier.dossiers.access import dossier_rights, get_open_dossier_or_404
from facturier.dossiers.forms import InviteForm, RightsForm
from facturier.dossiers.invitations import RIGHTS, invite
from facturier.dossiers.last_used import forget
from facturier.dossiers.models import DossierMembership, Invitation


def managed_dossier(user, dossier_id):
    """The dossier if ``user`` may manage its users: 404 outside their scope, 403 without the right."""
    dossier = get_open_dossier_or_404(user, dossier_id)
    if not dossier_rights(user, dossier).can_manage_users:
        raise PermissionDenied
    return dossier


@login_required
def dossier_users(request, pk):
    dossier = managed_dossier(request.user, pk)
    form = InviteForm(request.POST if request.method == "POST" else None, dossier=dossier,
                      initial={"language": dossier.language})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        replaced = dossier.invitations.usable().filter(email=email)
        if replaced.exists():
            record(request.user, AuditAction.INVITATION_REPLACED, dossier=dossier, target=email)
            replaced.delete()
        invite(dossier, email=email, name=form.cleaned_data["name"], language=form.cleaned_data["language"],
               invited_by=request.user, rights=form.rights())
        messages.success(request, _("Invitation envoyée à %(email)s.") % {"email": email})
        return redirect("dossiers:dossier_users", pk=dossier.pk)
    members = DossierMembership.objects.filter(dossier=dossier).select_related("user").order_by(
        "-is_owner", "user__full_name", "user__email")
    pending = dossier.invitations.usable().order_by("-created_at")
    rows = [(member, RightsForm(prefix=f"m{member.pk}", initial={name: getattr(member, name) for name in RIGHTS}))
            for member in members]
    return render(request, "dossiers/dossier_users.html",
                  {"dossier": dossier, "form": form, "rows": rows, "pending": pending})


@login_required
@require_POST
def change_rights(request, pk, membership_pk):
    dossier = managed_dossier(request.user, pk)
    member = get_object_or_404(DossierMembership.objects.select_related("user"), pk=membership_pk, dossier=dossier)
    if member.is_owner:
        messages.error(request, _("Le premier utilisateur du dossier garde tous les droits."))
        return redirect("dossiers:dossier_users", pk=dossier.pk)
    form = RightsForm(request.POST, prefix=f"m{member.pk}")
    if form.is_valid():
        for name in RIGHTS:
            setattr(member, name, form.cleaned_data[name])
        member.save(update_fields=list(RIGHTS))
        record(request.user, AuditAction.DOSSIER_USER_RIGHTS_CHANGED, dossier=dossier, target=member.user.email,
               **form.cleaned_data)
        messages.success(request, _("Droits de %(person)s mis à jour.") % {"person": member.user})
    return redirect("dossiers:dossier_users", pk=dossier.pk)


@login_required
@require_POST
def remove_member(request, pk, membership_pk):
    dossier = managed_dossier(request.user, pk)
    member = get_object_or_404(DossierMembership.objects.select_related("user"), pk=membership_pk, dossier=dossier)
    if member.is_owner:
        messages.error(request, _("Le premier utilisateur du dossier ne peut pas être retiré."))
        return redirect("dossiers:dossier_users", pk=dossier.pk)
    person = member.user
    member.delete()
    forget(person, dossier)
    record(request.user, AuditAction.DOSSIER_USER_REMOVED, dossier=dossier, target=person.email)
    messages.success(request, _("%(person)s n'a plus accès au dossier.") % {"person": person})
    if person.pk == request.user.pk:
        return redirect("web:home")
    return redirect("dossiers:dossier_users", pk=dossier.pk)


@login_required
@require_POST
def cancel_invitation(request, pk, invitation_pk):
    dossier = managed_dossier(request.user, pk)
    invitation = get_object_or_404(Invitation.objects.usable(), pk=invitation_pk, dossier=dossier)
    invitation.delete()
    record(request.user, AuditAction.INVITATION_CANCELLED, dossier=dossier, target=invitation.email)
    messages.success(request, _("Invitation à %(email)s annulée.") % {"email": invitation.email})
    return redirect("dossiers:dossier_users", pk=dossier.pk)
