"""Two-factor sign-in of client users: enrolment with a QR code, the code after the password,
recovery codes, each code good once, a firm that requires it."""

import re
import time

import pyotp
import pytest
from django.urls import reverse

from facturier.accounts.models import RecoveryCode, TwoFactor
from facturier.accounts.tests.fixtures import CLIENT_PASSWORD, make_client, make_dossier, make_firm, make_staff
from facturier.accounts.two_factor import confirm_enrolment, start_enrolment
from facturier.audit.models import AuditAction, AuditEvent
from facturier.firms.models import Role

pytestmark = pytest.mark.django_db

LOGIN, CODE, SECURITY = "/comptes/connexion/", "/comptes/connexion/code/", "/comptes/securite/"


def enrolled(user):
    """``user`` with two-factor sign-in on; its TOTP and its recovery codes."""
    device = start_enrolment(user)
    totp = pyotp.TOTP(device.secret)
    codes = confirm_enrolment(user, totp.at(time.time() - 30))  # last step's code: "now" stays unused
    return totp, codes


def test_a_client_user_enrols_with_the_qr_code_and_gets_recovery_codes(client):
    user = make_client("anne@bioburo.example")
    client.force_login(user)
    page = client.get(SECURITY).content.decode()
    assert "<svg" in page and "<title>QR code</title>" in page
    secret = TwoFactor.objects.get(user=user).secret
    assert secret in page  # the key to type by hand, for an app that cannot scan

    wrong = client.post(SECURITY, {"action": "confirm", "code": "000000"}).content.decode()
    assert "pas le bon" in wrong and TwoFactor.objects.get(user=user).secret == secret  # the same QR code again

    done = client.post(SECURITY, {"action": "confirm", "code": pyotp.TOTP(secret).now()}).content.decode()
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", done)
    assert len(codes) == 10 and RecoveryCode.objects.filter(user=user, used_at=None).count() == 10
    assert TwoFactor.objects.get(user=user).confirmed_at is not None
    assert AuditEvent.objects.filter(actor=user, action=AuditAction.TWO_FACTOR_ENABLED).exists()


def test_after_the_password_the_code_is_asked_and_each_code_is_good_once(client):
    user = make_client("anne@bioburo.example")
    totp, _ = enrolled(user)
    response = client.post(LOGIN, {"email": user.email, "password": CLIENT_PASSWORD, "next": "/notifications/"})
    assert response["Location"] == reverse("accounts:login_code")
    assert client.get(reverse("web:home")).status_code == 302, "not signed in before the code"
    code = totp.now()
    response = client.post(CODE, {"code": code})
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert client.get("/notifications/").status_code == 200
    assert AuditEvent.objects.filter(actor=user, action="signed_in", detail__method="password+totp").exists()

    client.logout()
    client.post(LOGIN, {"email": user.email, "password": CLIENT_PASSWORD})
    replay = client.post(CODE, {"code": code})
    assert replay.status_code == 200 and "déjà servi" in replay.content.decode()


def test_a_recovery_code_replaces_the_phone_once(client):
    user = make_client("anne@bioburo.example")
    _, codes = enrolled(user)
    client.post(LOGIN, {"email": user.email, "password": CLIENT_PASSWORD})
    assert client.post(CODE, {"code": codes[3].upper().replace("-", " ")}).status_code == 302
    assert AuditEvent.objects.filter(actor=user, action="signed_in", detail__method="password+recovery").exists()
    client.logout()
    client.post(LOGIN, {"email": user.email, "password": CLIENT_PASSWORD})
    assert client.post(CODE, {"code": codes[3]}).status_code == 200


def test_wrong_codes_lock_the_account_like_wrong_passwords(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    user = make_client("anne@bioburo.example")
    totp, _ = enrolled(user)
    client.post(LOGIN, {"email": user.email, "password": CLIENT_PASSWORD})
    for _ in range(2):
        assert client.post(CODE, {"code": "123456" if totp.now() != "123456" else "654321"}).status_code == 200
    locked = client.post(CODE, {"code": "999999" if totp.now() != "999999" else "888888"}, follow=True)
    assert "verrouillé jusqu" in locked.content.decode()
    user.refresh_from_db()
    assert user.locked_until is not None


def test_the_code_step_expires(client, monkeypatch):
    user = make_client("anne@bioburo.example")
    totp, _ = enrolled(user)
    client.post(LOGIN, {"email": user.email, "password": CLIENT_PASSWORD})
    later = time.time() + 301
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.post(CODE, {"code": totp.now()}, follow=True)
    assert "expiré" in response.content.decode() and response.redirect_chain[-1][0] == LOGIN


def test_a_firm_can_require_it_of_its_clients(client):
    firm = make_firm()
    dossier = make_dossier(firm)
    user = make_client("anne@bioburo.example", dossier=dossier, is_owner=True)
    accountant = make_staff("ec@cabinet.example", firm, role=Role.CHARTERED_ACCOUNTANT)
    staff = make_staff("collab@cabinet.example", firm)

    client.force_login(staff)
    assert client.post(f"/cabinets/{firm.pk}/double-authentification/", {"required": "1"}).status_code == 403
    client.force_login(accountant)
    client.post(f"/cabinets/{firm.pk}/double-authentification/", {"required": "1"})
    firm.refresh_from_db()
    assert firm.requires_two_factor
    assert AuditEvent.objects.filter(actor=accountant, action=AuditAction.FIRM_TWO_FACTOR_CHANGED).exists()
    assert client.get(f"/cabinets/{firm.pk}/clients/").status_code == 200  # staff are never held back

    client.post(LOGIN, {"email": user.email, "password": CLIENT_PASSWORD})
    response = client.get(f"/dossiers/{dossier.pk}/")
    assert response.status_code == 302 and response["Location"].startswith(SECURITY)
    assert "exige la double authentification" in client.get(SECURITY).content.decode()
    secret = TwoFactor.objects.get(user=user).secret
    client.post(SECURITY, {"action": "confirm", "code": pyotp.TOTP(secret).now()})
    assert client.get(f"/dossiers/{dossier.pk}/").status_code == 200

    page = client.get(SECURITY).content.decode()
    assert "ne peut pas être désactivée" in page and 'value="disable"' not in page
    assert client.post(SECURITY, {"action": "disable", "code": "123456"}).status_code == 403


def test_a_person_turns_it_off_with_a_code(client):
    user = make_client("anne@bioburo.example")
    totp, _ = enrolled(user)
    client.force_login(user)
    assert client.post(SECURITY, {"action": "disable", "code": totp.now()}).status_code == 302
    assert not TwoFactor.objects.filter(user=user).exists() and not RecoveryCode.objects.filter(user=user).exists()
    response = client.post(LOGIN, {"email": user.email, "password": CLIENT_PASSWORD})
    assert response["Location"] == reverse("web:home")


def test_firm_staff_have_no_such_page(client):
    client.force_login(make_staff("collab@cabinet.example", make_firm()))
    assert client.get(SECURITY).status_code == 403
