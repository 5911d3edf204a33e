"""In Chromium: a client user turns two-factor sign-in on with the app's code, then signs in with it."""

import re
import time

import pyotp
import pytest
from django.test import Client

from facturier.accounts.tests.fixtures import CLIENT_PASSWORD, make_client

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_enrol_then_sign_in_with_the_code(page, live_server):
    user = make_client("anne@bioburo.example")
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])

    page.goto("/")
    page.get_by_role("link", name=str(user)).click()
    page.wait_for_url(re.compile(r"/comptes/securite/$"))
    assert page.locator(".qr-code svg").is_visible()
    totp = pyotp.TOTP(page.locator("code.secret").inner_text())
    page.get_by_label("Code").fill(totp.at(time.time() - 30))
    page.get_by_role("button", name="Activer").click()
    assert page.locator(".recovery-codes li").count() == 10
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(r"/comptes/connexion/$"))
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(CLIENT_PASSWORD)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    page.wait_for_url(re.compile(r"/comptes/connexion/code/$"))
    page.get_by_label("Code").fill(totp.now())
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(re.compile(r"/$|/cabinets/|/dossiers/"))
    assert page.get_by_role("link", name=str(user)).is_visible()
