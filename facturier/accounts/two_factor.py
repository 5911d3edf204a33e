"""Two-factor sign-in of client users with an authenticator app (TOTP) and recovery codes.

    device = start_enrolment(user)          # a new secret, shown as a QR code until confirmed
    confirm_enrolment(user, "123456")       # the first good code turns it on; returns recovery codes
    check_code(user, "123456")              # at sign-in: a TOTP code or an unused recovery code

Firm staff sign in through their single sign-on, which carries its own second factor.
A code is accepted once: the step it belongs to is recorded with a conditional UPDATE, and a
recovery code is spent the same way, so two tabs typing the same code sign in only once.
"""

import hashlib
import secrets

import pyotp
import segno
from django.utils import timezone

from facturier.accounts.models import RecoveryCode, TwoFactor
from facturier.accounts.signals import two_factor_required

ISSUER = "Facturier"
RECOVERY_CODES = 10
STEP_SECONDS = 30
# Codes of the step before and after are accepted too: a phone clock a little off still works.
WINDOW = 1


def is_enabled(user):
    return TwoFactor.objects.filter(user=user, confirmed_at__isnull=False).exists()


def is_required(user):
    """A firm the person works with requires it (firm staff: never, their SSO decides)."""
    if user.is_firm_staff:
        return False
    return any(answer for _, answer in two_factor_required.send(sender=type(user), user=user))


def must_enrol(user):
    return is_required(user) and not is_enabled(user)


def start_enrolment(user):
    """A fresh secret for ``user``, replacing an unconfirmed one (never a confirmed one)."""
    TwoFactor.objects.filter(user=user, confirmed_at__isnull=True).delete()
    device, _ = TwoFactor.objects.get_or_create(user=user, defaults={"secret": pyotp.random_base32()})
    return device


def qr_code_svg(device):
    """The enrolment QR code as inline SVG (no image request, nothing the CSP must allow)."""
    uri = pyotp.TOTP(device.secret).provisioning_uri(name=device.user.email, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_inline(scale=4, title="QR code", dark="#111827")


def confirm_enrolment(user, code):
    """Turn two-factor sign-in on with the first good code; the new recovery codes, or None."""
    device = TwoFactor.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is None or not _spend_totp(device, code):
        return None
    TwoFactor.objects.filter(pk=device.pk, confirmed_at__isnull=True).update(confirmed_at=timezone.now())
    return new_recovery_codes(user)


def new_recovery_codes(user):
    """Replace the person's recovery codes; the codes in clear, shown once."""
    codes = [format_code(secrets.token_hex(5)) for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=hashed(code)) for code in codes)
    return codes


def disable(user):
    TwoFactor.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()


def check_code(user, code):
    """"totp" or "recovery" when ``code`` signs ``user`` in (and is spent), else None."""
    device = TwoFactor.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return None
    if _spend_totp(device, code):
        return "totp"
    if _spend_recovery(user, code):
        return "recovery"
    return None


def _spend_totp(device, code):
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return False
    totp, now = pyotp.TOTP(device.secret), timezone.now()
    step = totp.timecode(now)
    for candidate in range(step - WINDOW, step + WINDOW + 1):
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            return TwoFactor.objects.filter(pk=device.pk, last_step__lt=candidate).update(last_step=candidate) == 1
    return False


def _spend_recovery(user, code):
    spent = RecoveryCode.objects.filter(user=user, code_hash=hashed(normalised(code)), used_at__isnull=True)
    return spent.update(used_at=timezone.now()) == 1


def normalised(code):
    return format_code("".join(ch for ch in code.lower() if ch.isalnum()))


def format_code(raw):
    return f"{raw[:5]}-{raw[5:]}"


def hashed(code):
    return hashlib.sha256(code.encode()).hexdigest()


def remaining_recovery_codes(user):
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
