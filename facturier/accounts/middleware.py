"""A client user whose firm requires two-factor sign-in sets it up before any other page."""

from urllib.parse import quote

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from facturier.accounts import two_factor
from facturier.accounts.sessions import ENROLMENT

# What such a person may still open: the set-up page itself, signing out, the language, static files.
OPEN_URL_NAMES = ("accounts:security", "accounts:logout", "set_language")


class TwoFactorEnrolmentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_firm_staff and self.must_enrol(request) and not self.is_open(request):
            return redirect(f"{reverse('accounts:security')}?next={quote(request.get_full_path())}")
        return self.get_response(request)

    @staticmethod
    def must_enrol(request):
        """Worked out once per session (and again after each sign-in or enrolment)."""
        state = request.session.get(ENROLMENT)
        if state is None:
            state = request.session[ENROLMENT] = "required" if two_factor.must_enrol(request.user) else "ok"
        return state == "required"

    @staticmethod
    def is_open(request):
        static = "/" + settings.STATIC_URL.lstrip("/")
        return request.path.startswith(static) or request.path in {reverse(name) for name in OPEN_URL_NAMES}
