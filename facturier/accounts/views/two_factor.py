"""Two-factor sign-in: the code step after the password, and the person's security page."""

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from facturier.accounts import two_factor
from facturier.accounts.forms import CodeForm
from facturier.accounts.lockout import Locked, second_factor_sign_in
from facturier.accounts.models import TwoFactor, User
from facturier.accounts.redirects import safe_next
from facturier.accounts.sessions import ENROLMENT, signed_in
from facturier.audit.models import AuditAction, record

PENDING = "two_factor_pending"  # session: who typed a good password, waiting for their code
PENDING_SECONDS = 300


def begin(request, user, next_url):
    """After a good password: remember who is signing in and ask for the code."""
    request.session[PENDING] = {"user": user.pk, "next": next_url, "at": time.time()}
    return redirect("accounts:login_code")


@sensitive_post_parameters("code")
@never_cache
def login_code(request):
    pending = request.session.get(PENDING)
    user = pending and time.time() - pending["at"] < PENDING_SECONDS and User.objects.filter(
        pk=pending["user"], is_active=True).first()
    if not user:
        request.session.pop(PENDING, None)
        messages.error(request, _("Votre connexion a expiré : saisissez à nouveau votre e-mail et votre mot de passe."))
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            method = second_factor_sign_in(user, form.cleaned_data["code"])
        except Locked as locked:
            request.session.pop(PENDING, None)
            until = formats.time_format(timezone.localtime(locked.until), "H:i")
            messages.error(request, _("Trop de tentatives échouées : ce compte est verrouillé jusqu'à %(until)s.")
                           % {"until": until})
            return redirect("accounts:login")
        if method:
            del request.session[PENDING]
            return signed_in(request, user, pending["next"], method=f"password+{method}")
        form.add_error("code", _("Ce code n'est pas le bon, ou a déjà servi. Saisissez le code affiché par "
                                 "votre application, ou un code de secours."))
    return render(request, "accounts/login_code.html", {"form": form})


@login_required
@sensitive_post_parameters("code")
@never_cache
def security(request):
    """Turn two-factor sign-in on (QR code, first code, recovery codes), or off, or renew the codes."""
    user = request.user
    if user.is_firm_staff:
        raise PermissionDenied  # their single sign-on carries the second factor
    form = CodeForm(request.POST or None)
    action = request.POST.get("action")
    context = {"form": form, "enabled": two_factor.is_enabled(user), "required": two_factor.is_required(user)}
    if not context["enabled"]:
        if action == "confirm" and form.is_valid():
            codes = two_factor.confirm_enrolment(user, form.cleaned_data["code"])
            if codes is not None:
                request.session[ENROLMENT] = "ok"
                record(user, AuditAction.TWO_FACTOR_ENABLED, target=user.email)
                return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_page(request)})
            form.add_error("code", _("Ce code n'est pas le bon : vérifiez l'heure du téléphone et saisissez le "
                                     "code affiché maintenant."))
        device = (TwoFactor.objects.filter(user=user).first() if action == "confirm" else None) or \
            two_factor.start_enrolment(user)
        context.update(qr_code=two_factor.qr_code_svg(device), secret=device.secret, next=next_page(request))
        return render(request, "accounts/security.html", context)
    if action in ("disable", "renew_codes") and form.is_valid():
        if action == "disable" and context["required"]:
            raise PermissionDenied
        if two_factor.check_code(user, form.cleaned_data["code"]) is None:
            form.add_error("code", _("Ce code n'est pas le bon, ou a déjà servi."))
        elif action == "disable":
            two_factor.disable(user)
            record(user, AuditAction.TWO_FACTOR_DISABLED, target=user.email)
            messages.success(request, _("La double authentification est désactivée."))
            return redirect("accounts:security")
        else:
            record(user, AuditAction.TWO_FACTOR_CODES_RENEWED, target=user.email)
            return render(request, "accounts/recovery_codes.html", {"codes": two_factor.new_recovery_codes(user)})
    context["remaining"] = two_factor.remaining_recovery_codes(user)
    return render(request, "accounts/security.html", context)


def next_page(request):
    return safe_next(request)
