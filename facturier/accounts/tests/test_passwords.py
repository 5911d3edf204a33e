"""Client users: e-mail and password, lockout, reset by e-mail, sign out."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from facturier.accounts.models import User
from facturier.accounts.tests.fixtures import CLIENT_PASSWORD, make_client, make_firm, make_staff
from facturier.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = "/comptes/connexion/"


def attempt(client, email, password, **extra):
    return client.post(LOGIN, {"email": email, "password": password, **extra})


def test_login_page_offers_both_ways_in(client):
    page = client.get(LOGIN).content.decode()
    assert "Se connecter avec ComptExpert" in page
    assert reverse("firms:sso_start") in page
    assert 'name="password"' in page and 'name="csrfmiddlewaretoken"' in page


def test_client_signs_in_with_password(client):
    user = make_client("anne@bioburo.example")
    user.language = "en"
    user.save()
    response = attempt(client, "Anne@Bioburo.example", CLIENT_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
    assert client.get(reverse("web:home")).status_code == 200
    assert response.cookies["django_language"].value == "en"
    assert AuditEvent.objects.filter(actor=user, action="signed_in", detail__method="password").exists()


def test_wrong_password_is_refused_with_a_clear_message(client):
    make_client("anne@bioburo.example")
    response = attempt(client, "anne@bioburo.example", "not-the-password")
    assert response.status_code == 200
    assert "E-mail ou mot de passe incorrect" in response.content.decode()
    assert client.get(reverse("web:home")).status_code == 302
    assert User.objects.get(email="anne@bioburo.example").failed_logins == 1


def test_lockout_after_repeated_failures_holds_even_with_the_right_password(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCKOUT_MINUTES = 15
    user = make_client("anne@bioburo.example")
    for _ in range(2):
        assert "incorrect" in attempt(client, user.email, "wrong").content.decode()
    third = attempt(client, user.email, "wrong").content.decode()
    assert "verrouillé jusqu" in third
    user.refresh_from_db()
    assert user.locked_until > timezone.now() + timedelta(minutes=14)

    right = attempt(client, user.email, CLIENT_PASSWORD)
    assert right.status_code == 200 and "verrouillé jusqu" in right.content.decode()
    assert client.get(reverse("web:home")).status_code == 302
    assert AuditEvent.objects.filter(action="account_locked", target=user.email).count() == 1

    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    assert attempt(client, user.email, CLIENT_PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.failed_logins == 0 and user.locked_until is None


def test_an_attempt_running_in_parallel_cannot_slip_past_the_limit(client, settings, monkeypatch):
    """A second request arrives while the first one's password is being checked."""
    from facturier.accounts import lockout

    settings.LOGIN_FAILURE_LIMIT = 1
    user = make_client("anne@bioburo.example")
    real_authenticate, parallel = lockout.authenticate, []

    def authenticate_while_another_request_comes(request, **credentials):
        if not parallel:
            parallel.append(attempt(Client(), user.email, CLIENT_PASSWORD))
        return real_authenticate(request, **credentials)

    monkeypatch.setattr(lockout, "authenticate", authenticate_while_another_request_comes)
    first = attempt(client, user.email, "wrong")
    assert "verrouillé jusqu" in first.content.decode()
    [second] = parallel
    assert second.status_code == 200 and "verrouillé jusqu" in second.content.decode()


def test_an_unknown_email_is_locked_like_an_account(client, settings):
    """The "locked" message does not tell which e-mails have an account."""
    settings.LOGIN_FAILURE_LIMIT = 2
    cache.clear()
    assert "incorrect" in attempt(client, "personne@nulle-part.example", "wrong").content.decode()
    assert "verrouillé jusqu" in attempt(client, "personne@nulle-part.example", "wrong").content.decode()
    assert "verrouillé jusqu" in attempt(client, "Personne@nulle-part.example", "other").content.decode()


def test_success_resets_the_failure_count(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    user = make_client("anne@bioburo.example")
    attempt(client, user.email, "wrong")
    attempt(client, user.email, "wrong")
    assert attempt(client, user.email, CLIENT_PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.failed_logins == 0


def test_firm_staff_never_sign_in_with_a_password(client):
    staff = make_staff("sophie@cabinet.example", make_firm())
    staff.set_password(CLIENT_PASSWORD)  # even if a password were ever set
    staff.save()
    response = attempt(client, staff.email, CLIENT_PASSWORD)
    assert response.status_code == 200
    assert "ComptExpert" in response.content.decode()
    assert client.get(reverse("web:home")).status_code == 302


def test_next_is_followed_only_on_this_site(client):
    make_client("anne@bioburo.example")
    assert attempt(client, "anne@bioburo.example", CLIENT_PASSWORD, next="/comptes/conditions-generales/")[
        "Location"] == "/comptes/conditions-generales/"
    client.logout()
    assert attempt(client, "anne@bioburo.example", CLIENT_PASSWORD, next="https://evil.example/")[
        "Location"] == reverse("web:home")


def test_login_form_is_csrf_protected():
    make_client("anne@bioburo.example")
    assert attempt(Client(enforce_csrf_checks=True), "anne@bioburo.example", CLIENT_PASSWORD).status_code == 403


def test_logout_is_post_only(client):
    user = make_client("anne@bioburo.example")
    client.force_login(user)
    assert client.get("/comptes/deconnexion/").status_code == 405
    response = client.post("/comptes/deconnexion/")
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("web:home")).status_code == 302
    assert AuditEvent.objects.filter(actor=user, action="signed_out").exists()


def reset_link(message, base_url):
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(re.escape(base_url) + r"(/comptes/mot-de-passe/[^/\s]+/[^/\s]+/)", body)
    assert match, body
    return match.group(1)


def test_password_reset_by_email(client, mailbox, settings):
    settings.BASE_URL = "https://facturier.example"
    settings.LOGIN_FAILURE_LIMIT = 1
    user = make_client("anne@bioburo.example")
    attempt(client, user.email, "wrong")  # locked
    response = client.post("/comptes/mot-de-passe/", {"email": "anne@bioburo.example"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    [message] = mailbox.to("anne@bioburo.example")
    assert message["Subject"] == "Votre nouveau mot de passe Facturier"
    link = reset_link(message, settings.BASE_URL)

    form_page = client.get(link, follow=True)
    assert "Nouveau mot de passe" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    mismatch = client.post(set_url, {"new_password1": "Tournesol-Bleu-77", "new_password2": "Tournesol-Bleu-78"})
    assert mismatch.status_code == 200
    done = client.post(set_url, {"new_password1": "Tournesol-Bleu-77", "new_password2": "Tournesol-Bleu-77"})
    assert done["Location"] == reverse("accounts:password_reset_complete")

    assert attempt(client, user.email, "Tournesol-Bleu-77").status_code == 302  # lockout ended too
    assert AuditEvent.objects.filter(actor=user, action="password_reset").exists()
    # The link served once.
    client.logout()
    assert "plus valable" in client.get(link, follow=True).content.decode()


def test_no_reset_email_for_firm_staff_or_strangers(client, mailbox):
    make_staff("sophie@cabinet.example", make_firm())
    for email in ("sophie@cabinet.example", "nobody@example.com"):
        response = client.post("/comptes/mot-de-passe/", {"email": email})
        assert response["Location"] == reverse("accounts:password_reset_done")
    assert mailbox.messages == []


def test_password_reset_plain_text_is_not_html_escaped(client, mailbox):
    user = make_client("zoe@atelier.example")
    user.full_name = "Zoé O'Neil & Fils"
    user.save(update_fields=["full_name"])
    client.post("/comptes/mot-de-passe/", {"email": user.email})
    [message] = mailbox.to(user.email)
    text = mailbox.body(message)
    assert "Bonjour Zoé O'Neil & Fils," in text
    assert "&#x27;" not in text and "&amp;" not in text


def test_the_reset_page_names_the_field_e_mail_like_every_other_page(client):
    page = client.get(reverse("accounts:password_reset")).content.decode()
    assert '<label for="id_email">E-mail' in page and ">Email" not in page
