"""Signing in and out with a password (client users; firm staff sign in through the firms app's SSO)."""

from django.contrib.auth import logout as auth_logout
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from facturier.accounts import two_factor
from facturier.accounts.forms import LoginForm
from facturier.accounts.redirects import safe_next
from facturier.accounts.sessions import signed_in
from facturier.accounts.views import two_factor as two_factor_views
from facturier.audit.models import AuditAction, record


@sensitive_post_parameters("password")
@never_cache
def login(request):
    next_url = safe_next(request)
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        if two_factor.is_enabled(form.user):
            return two_factor_views.begin(request, form.user, next_url)
        return signed_in(request, form.user, next_url, method="password")
    requested_next = request.POST.get("next") or request.GET.get("next", "")
    return render(request, "accounts/login.html", {"form": form, "next": requested_next})


@require_POST
def logout(request):
    if request.user.is_authenticated:
        record(request.user, AuditAction.SIGNED_OUT, target=request.user.email)
    auth_logout(request)
    return redirect("accounts:login")
