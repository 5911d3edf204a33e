"""Password reset by e-mail, for client users (firm staff have no password to reset)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from facturier.accounts.lockout import unlock
from facturier.audit.models import AuditAction, record


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset.txt"
    html_email_template_name = "accounts/email/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # The link must point at the platform's public address, not at whatever Host the request named.
        self.extra_email_context = {"base_url": settings.BASE_URL.rstrip("/")}
        return super().form_valid(form)


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
