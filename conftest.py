"""Fixtures shared by the platform's tests (the engine's tests need none of them)."""

import pytest

from facturier.testing.servers import SMTPServer, StubHTTPServer


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
