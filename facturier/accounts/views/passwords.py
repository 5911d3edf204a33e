"""Password reset by e-mail, for client users (firm staff have no password to reset)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy

from facturier.accounts.forms import PasswordResetForm
from facturier.accounts.lockout import unlock
from facturier.accounts.ratelimit import client_ip, email_key, hit
from facturier.audit.models import AuditAction, record


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset.txt"
    html_email_template_name = "accounts/email/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        if not reset_allowed(self.request, form.cleaned_data["email"]):
            # The same answer as a sent e-mail: the page tells nobody what happened.
            return HttpResponseRedirect(self.get_success_url())
        # The link must point at the platform's public address, not at whatever Host the request named.
        self.extra_email_context = {"base_url": settings.BASE_URL.rstrip("/")}
        return super().form_valid(form)


def reset_allowed(request, email):
    """Count this request against its e-mail address and its client IP; False past either limit.

    Without it anyone could flood a mailbox with reset e-mails, or the platform's
    SMTP reputation with e-mails to many addresses. Every request counts, sent or not,
    and the first one past a limit in a window leaves an audit event.
    """
    seconds = settings.PASSWORD_RESET_LIMIT_MINUTES * 60
    limits = (
        (email_key("password-reset:email", email), settings.PASSWORD_RESET_EMAIL_LIMIT, "email"),
        ("password-reset:ip:" + client_ip(request), settings.PASSWORD_RESET_IP_LIMIT, "ip"),
    )
    allowed = True
    for key, limit, per in limits:
        count = hit(key, seconds)
        if count == limit + 1:
            record(None, AuditAction.PASSWORD_RESET_LIMITED, target=email, per=per, ip=client_ip(request))
        allowed = allowed and count <= limit
    return allowed


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        unlock(form.user)
        record(form.user, AuditAction.PASSWORD_RESET, target=form.user.email)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
