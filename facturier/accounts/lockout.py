"""Password sign-in for client users, locked after repeated failures.

After ``LOGIN_FAILURE_LIMIT`` consecutive failures the account refuses every
password, the right one included, for ``LOGIN_LOCKOUT_MINUTES``. Firm staff
have no usable password and never get in this way.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import F
from django.utils import timezone

from facturier.accounts.models import User
from facturier.audit.models import record


class Locked(Exception):
    def __init__(self, until):
        super().__init__(until)
        self.until = until


def password_sign_in(request, email, password):
    """The user whose e-mail and password these are, or None; raises Locked."""
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and user.locked_until and user.locked_until > timezone.now():
        record(None, "sign_in_refused", target=user.email, reason="locked")
        raise Locked(user.locked_until)
    authenticated = authenticate(request, username=email, password=password)
    if authenticated is None or authenticated.is_firm_staff:
        if user is not None:
            _count_failure(user)
        return None
    if authenticated.failed_logins or authenticated.locked_until:
        User.objects.filter(pk=authenticated.pk).update(failed_logins=0, locked_until=None)
    return authenticated


def _count_failure(user):
    User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
    user.refresh_from_db(fields=["failed_logins"])
    record(None, "sign_in_failed", target=user.email, failures=user.failed_logins)
    if user.failed_logins >= settings.LOGIN_FAILURE_LIMIT:
        until = timezone.now() + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=until)
        record(None, "account_locked", target=user.email, until=until.isoformat())
        raise Locked(until)


def unlock(user):
    """A password reset proves the person owns the mailbox: the lockout ends."""
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
