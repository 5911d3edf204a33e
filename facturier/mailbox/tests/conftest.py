"""A mail listener on a free port, and messages built the way mail clients build them."""

import smtplib
import socket
from email.message import EmailMessage

import pytest

from facturier.mailbox.addresses import address_of, mailbox_for
from facturier.mailbox.listener import Listener


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_settings(settings, offline_registry):
    """The inbound domain of the tests; the controls of received invoices ask a local-file registry."""
    settings.MAILBOX_DOMAIN = "factures.test"
    return settings


def start_listener(lmtp=False):
    listener = Listener(host="127.0.0.1", port=free_port(), lmtp=lmtp)
    listener.start()
    return listener


@pytest.fixture
def listener(mail_settings, transactional_db):
    """An SMTP listener serving the test database; ``listener.port``."""
    started = start_listener()
    yield started
    started.stop()


@pytest.fixture
def lmtp_listener(mail_settings, transactional_db):
    started = start_listener(lmtp=True)
    yield started
    started.stop()


@pytest.fixture
def address(world, mail_settings):
    return address_of(mailbox_for(world.active))


def message(to, *, sender="compta@fournisseur.fr", subject="Facture F-1", attachments=(), body="Bonjour,\nci-joint.",
            message_id=None):
    """A message as a mail client writes it; ``attachments`` are (filename, bytes, MIME type) triples."""
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, to, subject
    mail["Date"] = "Thu, 03 Dec 2026 10:15:00 +0100"
    mail["Message-ID"] = message_id or f"<{abs(hash((subject, sender, len(attachments))))}@fournisseur.fr>"
    mail.set_content(body)
    for filename, data, media_type in attachments:
        maintype, subtype = media_type.split("/")
        mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return mail


def send(port, mail, *, to=None, sender="compta@fournisseur.fr", lmtp=False):
    """Send over real SMTP (or LMTP); the refused recipients, as smtplib reports them."""
    client = smtplib.LMTP("127.0.0.1", port) if lmtp else smtplib.SMTP("127.0.0.1", port, timeout=30)
    with client:
        return client.send_message(mail, from_addr=sender, to_addrs=to or [mail["To"]])
