"""The SMTP / LMTP listener a mail server hands the dossiers' mail to (aiosmtpd).

    controller = Listener(host="127.0.0.1", port=2525, lmtp=True)
    controller.start()   # serves in a thread until controller.stop()

The asyncio loop only talks SMTP; each database step (is this address ours? store
the message) runs in a small thread pool so a slow query never stalls the other
sessions. A failure of ours answers 451 (the MTA keeps the message and tries
again), never a dropped connection.
"""

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP
from django.conf import settings
from django.db import connections

from facturier.mailbox import delivery

logger = logging.getLogger(__name__)
MAX_RECIPIENTS = 50
TEMPORARY_FAILURE = "451 4.3.0 Temporary failure, try again later"


class Handler:
    """aiosmtpd's handler: RCPT TO checked against the mailboxes, DATA stored and queued."""

    def __init__(self, *, lmtp=False, threads=4):
        self.lmtp = lmtp
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="mail-in")

    async def run(self, function, *args):
        return await asyncio.get_running_loop().run_in_executor(self.executor, _with_connection, function, *args)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        try:
            refusal = await self.run(delivery.check_recipient, address, envelope.mail_from or "")
        except Exception:
            logger.exception("Checking recipient %s failed", address)
            return TEMPORARY_FAILURE
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        try:
            replies = await self.run(delivery.accept, envelope.original_content, envelope.mail_from or "",
                                     list(envelope.rcpt_tos))
        except Exception:
            logger.exception("Storing a message from %s failed", envelope.mail_from)
            replies = [TEMPORARY_FAILURE] * len(envelope.rcpt_tos)
        if self.lmtp:
            return "\r\n".join(replies)  # LMTP answers DATA once per recipient (RFC 2033)
        accepted = [reply for reply in replies if reply.startswith("250")]
        return accepted[0] if accepted else replies[0]


def _with_connection(function, *args):
    """Run ``function`` on a connection of its own, closed after: a stopped listener leaves none open."""
    try:
        return function(*args)
    finally:
        connections.close_all()


class Listener(Controller):
    """aiosmtpd's threaded controller, speaking SMTP or LMTP, with the platform's size limit."""

    def __init__(self, *, host, port, lmtp=False):
        self.lmtp = lmtp
        super().__init__(Handler(lmtp=lmtp), hostname=host, port=port,
                         data_size_limit=settings.MAILBOX_MAX_MESSAGE_BYTES, enable_SMTPUTF8=True,
                         ident="Facturier mail-in", timeout=120)

    def factory(self):
        return (LMTP if self.lmtp else SMTP)(self.handler, **self.SMTP_kwargs)

    def stop(self, *args, **kwargs):
        super().stop(*args, **kwargs)
        self.handler.executor.shutdown(wait=True)
