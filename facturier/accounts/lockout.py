"""Password sign-in for client users, locked after repeated failures.

After ``LOGIN_FAILURE_LIMIT`` consecutive failures the account refuses every
password, the right one included, for ``LOGIN_LOCKOUT_MINUTES``. Firm staff
have no usable password and never get in this way.

Each attempt is reserved with one conditional UPDATE before the password is
checked, so parallel guesses cannot all slip past the limit; a success gives
the attempt back. An e-mail without an account is locked out the same way (in
the cache), so the "locked" message tells nobody which e-mails have accounts.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db.models import Case, DateTimeField, F, Q, Value, When
from django.utils import timezone

from facturier.accounts.models import User
from facturier.accounts.ratelimit import email_key, hit
from facturier.accounts.two_factor import check_code
from facturier.audit.models import AuditAction, record


class Locked(Exception):
    def __init__(self, until):
        super().__init__(until)
        self.until = until


def password_sign_in(request, email, password):
    """The user whose e-mail and password these are, or None; raises Locked."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        _refuse_if_unknown_locked(email, password)
    elif not _reserve_attempt(user):
        user.refresh_from_db(fields=["locked_until"])
        record(None, AuditAction.SIGN_IN_REFUSED, target=user.email, reason="locked")
        User().set_password(password)  # spend the hashing time a real check would
        raise Locked(user.locked_until)
    authenticated = authenticate(request, username=email, password=password)
    if authenticated is None or authenticated.is_firm_staff:
        if user is None:
            _count_unknown_failure(email)
        else:
            _count_failure(user)
        return None
    User.objects.filter(pk=authenticated.pk).update(failed_logins=0, locked_until=None)
    return authenticated


def _lockout():
    return timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _reserve_attempt(user):
    """Count this attempt as a failure until it succeeds; False when the account is locked.

    The attempt that reaches the limit locks the account at once, before its
    password is checked: an attempt running in parallel is refused.
    """
    now = timezone.now()
    limit = settings.LOGIN_FAILURE_LIMIT
    until = Value(now + _lockout(), output_field=DateTimeField())
    expired = Q(locked_until__isnull=False)  # among the unlocked rows, a lockout that ran out
    return bool(
        User.objects.filter(pk=user.pk)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .update(
            failed_logins=Case(When(expired, then=Value(1)), default=F("failed_logins") + 1),
            locked_until=Case(
                When(expired, then=until if limit <= 1 else Value(None, output_field=DateTimeField())),
                When(failed_logins__gte=limit - 1, then=until),
                default=Value(None, output_field=DateTimeField()),
            ),
        )
    )


def _count_failure(user):
    user.refresh_from_db(fields=["failed_logins", "locked_until"])
    record(None, AuditAction.SIGN_IN_FAILED, target=user.email, failures=user.failed_logins)
    if user.locked_until:
        record(None, AuditAction.ACCOUNT_LOCKED, target=user.email, until=user.locked_until.isoformat())
        raise Locked(user.locked_until)


def _unknown_key(email):
    return email_key("sign-in-failures", email)


def _refuse_if_unknown_locked(email, password):
    until = cache.get(_unknown_key(email) + ":until")
    if until is not None and until > timezone.now():
        record(None, AuditAction.SIGN_IN_REFUSED, target=email, reason="locked")
        User().set_password(password)
        raise Locked(until)


def _count_unknown_failure(email):
    key, seconds = _unknown_key(email), int(_lockout().total_seconds())
    failures = hit(key, seconds)
    if failures >= settings.LOGIN_FAILURE_LIMIT:
        until = timezone.now() + _lockout()
        cache.set(key + ":until", until, timeout=seconds)
        cache.delete(key)
        raise Locked(until)


def unlock(user):
    """A password reset proves the person owns the mailbox: the lockout ends."""
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)


def second_factor_sign_in(user, code):
    """How ``code`` signs ``user`` in ("totp", "recovery") or None, under the lockout of passwords:
    a wrong code is a failed attempt, so codes cannot be guessed faster than passwords. Raises Locked."""
    if not _reserve_attempt(user):
        user.refresh_from_db(fields=["locked_until"])
        raise Locked(user.locked_until)
    method = check_code(user, code)
    if method is None:
        _count_failure(user)
        return None
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    return method
