"""The link of an invitation e-mail: the onboarding page of a newcomer (seed page 16),
or, for a person who already has an account, the dossier added to it."""

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from facturier.accounts.forms import OnboardingForm
from facturier.accounts.models import User
from facturier.accounts.redirects import MODEL_BACKEND, with_language
from facturier.audit.models import AuditAction, record
from facturier.dossiers.invitations import InvitationSpent, OwnerTaken, accept, onboard
from facturier.dossiers.models import Invitation


@sensitive_post_parameters("password1", "password2")
@never_cache
def accept_invitation(request, token):
    invitation = Invitation.find(token)
    if invitation is None:
        return _unavailable(request, "unknown", status=404)
    if invitation.is_used:
        return _unavailable(request, "used", status=410)
    if invitation.is_expired:
        return _unavailable(request, "expired", status=410)
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        # Until the person picks a language, speak the one the invitation was written in.
        translation.activate(invitation.language)
        request.LANGUAGE_CODE = invitation.language
    if request.method == "GET":
        record(request.user, AuditAction.INVITATION_OPENED, dossier=invitation.dossier, target=invitation.email,
               invitation=invitation.pk)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        return _existing_account(request, invitation, existing)
    return _onboarding(request, invitation)


def _onboarding(request, invitation):
    if request.method == "POST":
        form = OnboardingForm(request.POST, request.FILES, email=invitation.email)
        if form.is_valid():
            try:
                user, dossier = onboard(invitation, **form.account())
            except InvitationSpent:
                return _unavailable(request, "used", status=410)
            except OwnerTaken:
                return _unavailable(request, "owner_taken", status=410)
            except IntegrityError:
                # The account appeared meanwhile (another invitation to the same e-mail): sign in instead.
                return redirect(request.path)
            auth_login(request, user, backend=MODEL_BACKEND)
            record(user, AuditAction.SIGNED_IN, dossier=dossier, target=user.email, method="invitation")
            return with_language(redirect(reverse("dashboard:home", args=[dossier.pk])), user)
    else:
        form = OnboardingForm(email=invitation.email,
                              initial={"full_name": invitation.name, "language": invitation.language})
    return render(request, "dossiers/onboarding.html", {"form": form, "invitation": invitation})


def _existing_account(request, invitation, existing):
    """Someone with an account signs in as themselves, then the dossier joins their others."""
    if not request.user.is_authenticated or request.user.pk != existing.pk:
        return render(request, "dossiers/invitation_sign_in.html",
                      {"invitation": invitation, "existing": existing})
    if request.method == "POST":
        try:
            dossier = accept(invitation, request.user)
        except InvitationSpent:
            return _unavailable(request, "used", status=410)
        except OwnerTaken:
            return _unavailable(request, "owner_taken", status=410)
        return redirect(reverse("dashboard:home", args=[dossier.pk]))
    return render(request, "dossiers/invitation_join.html", {"invitation": invitation})


def _unavailable(request, reason, *, status):
    return render(request, "dossiers/invitation_unavailable.html", {"reason": reason}, status=status)
