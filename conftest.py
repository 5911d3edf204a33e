"""Fixtures shared by the platform's tests (the engine's tests need none of them)."""

import pytest

from facturier.testing.servers import SMTPServer, StubHTTPServer

# Fixtures the tests of several apps share, registered once instead of imported by each test module.
pytest_plugins = [
    "facturier.dossiers.tests.import_helpers",
    "facturier.exchange.tests.support",
    "facturier.invoices.receiving.tests.receiving_samples",
]


@pytest.fixture
def mailbox(settings):
    """Mail sent by the code under test, received by a real local SMTP server."""
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        yield server.mailbox


@pytest.fixture
def http_stub():
    """A local HTTP server standing in for an outside service."""
    with StubHTTPServer() as stub:
        yield stub


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (never a downloaded browser)."""
    import os
    import shutil

    if not shutil.which("chromium") and not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    # Playwright's sync API runs an event loop in the test thread; the ORM calls
    # the tests make between browser steps are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab; ``page.base_url`` is the live test server."""
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()
