"""`facturier mail-in` as a process of its own: it listens, files what it receives, stops on SIGTERM."""

import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from facturier.mailbox.addresses import address_of, mailbox_for
from facturier.mailbox.models import MailMessage
from facturier.mailbox.tests.conftest import free_port, message

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]


def database_url():
    """The test database, as the child process must name it."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(port, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            with socket.create_connection(("127.0.0.1", port), 1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("mail-in did not start")


def test_mail_in_runs_until_stopped(world, tmp_path, mail_settings):
    address = address_of(mailbox_for(world.active))
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url(), "FACTURIER_INBOUND_DOMAIN": "factures.test",
           "FACTURIER_TASKS": "immediate", "FACTURIER_DATA_DIR": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", "facturier", "mail-in", "--port", str(port)], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(port, process)
        with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
            assert client.ehlo()[0] == 250
            client.send_message(message(address, subject="Par la commande"))
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                client.send_message(message("inconnu@factures.test"))
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert f"SMTP on 127.0.0.1:{port}" in out and "stopped" in out
    assert MailMessage.objects.get().subject == "Par la commande"
