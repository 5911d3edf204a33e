"""``facturier mail-in``: receive the dossiers' mail over SMTP or LMTP until stopped."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from facturier.mailbox.listener import Listener


class Command(BaseCommand):
    help = "Receive purchase invoices by e-mail: an SMTP (or LMTP) listener for the dossiers' addresses."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=2525, help="Port to listen on (default 2525; 25 for an MX).")
        parser.add_argument("--lmtp", action="store_true", help="Speak LMTP (Postfix lmtp transport).")

    def handle(self, *args, host, port, lmtp, **options):
        stopped = threading.Event()
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda *_: stopped.set())
        listener = Listener(host=host, port=port, lmtp=lmtp)
        listener.start()
        self.stdout.write(f"mail-in: {'LMTP' if lmtp else 'SMTP'} on {host}:{port} for *@{settings.MAILBOX_DOMAIN}")
        stopped.wait()
        listener.stop()
        self.stdout.write("mail-in: stopped")
