"""Branded error pages with a way back, one log line per refusal, HSTS behind TLS."""

import logging
import os
import subprocess
import sys

import pytest
from django.test import Client, RequestFactory
from django.urls import include, path, reverse
from django.views.defaults import server_error

from facturier.testing.world import sign_in


def boom(request):
    raise RuntimeError("the database went away")


urlpatterns = [path("boom/", boom), path("", include("facturier.urls"))]


def assert_branded(response, status, title):
    page = response.content.decode()
    assert response.status_code == status
    assert title in page and f"Erreur {status}" in page
    assert f'href="{reverse("web:home")}"' in page  # the way back
    assert "web/facturier.css" in page
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_unknown_page_is_a_branded_404(client):
    assert_branded(client.get("/nulle-part/"), 404, "Page introuvable")


@pytest.mark.django_db
def test_error_pages_speak_english_too(client):
    client.cookies["django_language"] = "en"
    assert '<html lang="en">' in client.get("/nulle-part/").content.decode()


def test_refusal_is_a_branded_403_logged_in_one_line(client, world, caplog):
    sign_in(client, world, "staff_unassigned")  # not an administrator of the firm
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("firms:team", args=[world.firm.pk]))
    assert_branded(response, 403, "Accès refusé")
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert "\n" not in logging.Formatter().format(record)


def test_other_errors_keep_their_traceback(world, caplog, settings):
    settings.ROOT_URLCONF = __name__
    browser = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = browser.get("/boom/")
    assert_branded(response, 500, "Erreur du serveur")
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info and record.exc_info[0] is RuntimeError


def test_500_page_renders_without_database(settings):
    """No ``db`` fixture: any query would fail this test, as it fails when the database is down."""
    request = RequestFactory().get("/")
    response = server_error(request)
    assert response.status_code == 500
    assert "Erreur du serveur" in response.content.decode()


@pytest.mark.django_db
def test_bad_request_is_a_branded_400(client):
    assert_branded(client.get("/", HTTP_HOST="attacker.example"), 400, "Requête incorrecte")


@pytest.mark.django_db
def test_csrf_failure_explains_how_to_try_again():
    response = Client(enforce_csrf_checks=True).post(reverse("accounts:login"), {"email": "a@b.example"})
    assert_branded(response, 403, "Formulaire expiré")
    assert "rechargez-la" in response.content.decode()


@pytest.mark.django_db
def test_hsts_is_sent_over_tls_only_when_configured(settings):
    assert "Strict-Transport-Security" not in Client().get("/healthz", secure=True)
    settings.SECURE_HSTS_SECONDS = 31536000
    client = Client()  # the security middleware reads its settings when the handler starts
    assert client.get("/healthz", secure=True)["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/healthz")


@pytest.mark.django_db
def test_behind_the_proxy_forwarded_https_counts_as_tls(settings):
    settings.SECURE_HSTS_SECONDS = 600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = Client().get("/healthz", HTTP_X_FORWARDED_PROTO="https")
    assert response["Strict-Transport-Security"] == "max-age=600"


def test_tls_settings_come_from_the_environment():
    code = ("from django.conf import settings as s; "
            "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER, "
            "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "facturier.settings", "FACTURIER_HSTS_SECONDS": "600",
           "FACTURIER_HSTS_INCLUDE_SUBDOMAINS": "1", "FACTURIER_BEHIND_TLS_PROXY": "1",
           "FACTURIER_SECURE_COOKIES": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["600", "True", "('HTTP_X_FORWARDED_PROTO',", "'https')", "True", "True"]
