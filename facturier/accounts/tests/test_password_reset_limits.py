"""Password-reset e-mails are limited per address and per client IP, without telling anyone."""

import re

import pytest
from django.urls import reverse

from facturier.accounts.tests.fixtures import make_client
from facturier.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

RESET = "/comptes/mot-de-passe/"


def ask(client, email, ip="203.0.113.7", **headers):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip, **headers)


def test_reset_emails_to_one_address_stop_at_the_limit(client, mailbox, settings):
    settings.PASSWORD_RESET_EMAIL_LIMIT = 2
    user = make_client("anne@bioburo.example")
    answers = [ask(client, "Anne@Bioburo.example", ip=f"203.0.113.{n}") for n in range(4)]
    assert len(mailbox.to(user.email)) == 2
    # Every request gets the same answer, sent or not.
    assert {(r.status_code, r["Location"]) for r in answers} == {(302, reverse("accounts:password_reset_done"))}
    assert AuditEvent.objects.filter(action="password_reset_limited", detail__per="email").count() == 1


def test_one_client_ip_cannot_ask_for_many_addresses(client, mailbox, settings):
    settings.PASSWORD_RESET_IP_LIMIT = 3
    users = [make_client(f"person{n}@bioburo.example") for n in range(5)]
    for user in users:
        assert ask(client, user.email)["Location"] == reverse("accounts:password_reset_done")
    assert [len(mailbox.to(u.email)) for u in users] == [1, 1, 1, 0, 0]
    # Another browser is not held back by the first one's flood.
    ask(client, users[4].email, ip="198.51.100.1")
    assert len(mailbox.to(users[4].email)) == 1


def test_the_limit_answers_the_same_for_unknown_addresses(client, mailbox, settings):
    settings.PASSWORD_RESET_EMAIL_LIMIT = 1
    make_client("anne@bioburo.example")
    pages = []
    for email in ("anne@bioburo.example", "nobody@example.com"):
        for _ in range(3):
            page = client.get(ask(client, email)["Location"]).content.decode()
            pages.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page))
    assert len(set(pages)) == 1 and "Vérifiez votre messagerie" in pages[0]


def test_the_window_ends(client, mailbox, settings):
    from django.core.cache import cache

    settings.PASSWORD_RESET_EMAIL_LIMIT = 1
    user = make_client("anne@bioburo.example")
    ask(client, user.email)
    ask(client, user.email)
    assert len(mailbox.to(user.email)) == 1
    cache.clear()  # what the window's expiry does
    ask(client, user.email)
    assert len(mailbox.to(user.email)) == 2


def test_behind_the_proxy_the_client_ip_is_the_one_the_proxy_appended(client, mailbox, settings):
    settings.BEHIND_TLS_PROXY = True
    settings.PASSWORD_RESET_IP_LIMIT = 1
    users = [make_client(f"person{n}@bioburo.example") for n in range(3)]
    # The proxy's own address is the same for everyone; a forged first entry changes nothing.
    ask(client, users[0].email, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")
    ask(client, users[1].email, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="2.2.2.2, 203.0.113.7")
    ask(client, users[2].email, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert [len(mailbox.to(u.email)) for u in users] == [1, 0, 1]
