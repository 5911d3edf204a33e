"""A message from the listener to the dossier's files: accepted in the SMTP session, read by the worker.

``accept`` runs while the sending server waits: it checks the recipient and the
sender, stores the message as received and answers. Everything slow (parsing the
MIME tree, opening ZIPs, reading invoices) is ``process``, run by the worker. A
message the MTA hands again (it timed out waiting for our answer and retried) has
the same Message-ID and body, so the same key: it is stored and processed once.
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from facturier.archive.models import Kind
from facturier.archive.store import archive
from facturier.invoices.receiving.intake import receive_file
from facturier.mailbox import content, parsing
from facturier.mailbox.addresses import find_mailbox, matches, parse_rules, sender_allowed
from facturier.mailbox.models import MailAttachment, MailMessage

logger = logging.getLogger(__name__)
MAX_HEADER_BYTES = 256 * 1024
MAX_RUNS = 3

OK = "250 2.0.0 Message accepted"
ALREADY = "250 2.0.0 Message already received"
UNKNOWN = "550 5.1.1 No such mailbox here"
SENDER_REFUSED = "550 5.7.1 Sender not accepted by this mailbox"
HEADER_TOO_LARGE = "552 5.3.4 Message header too large"


def check_recipient(address, envelope_sender):
    """The refusal of RCPT TO ``address`` (an SMTP reply), or "" when it is one of our mailboxes.

    Only the deny list is checked here: the allow list may name the invoice's author,
    whose address is in the From header, not in the envelope of a forwarded message.
    """
    mailbox = find_mailbox(address)
    if mailbox is None:
        return UNKNOWN
    if envelope_sender and matches(envelope_sender, parse_rules(mailbox.denied_senders)):
        return SENDER_REFUSED
    return ""


def accept(raw, envelope_sender, recipients):
    """Store ``raw`` for each recipient's dossier and queue its processing; one SMTP reply per recipient."""
    header, _ = parsing.split_header(raw)
    if len(header) > MAX_HEADER_BYTES:
        return [HEADER_TOO_LARGE] * len(recipients)
    key, _ = parsing.delivery_key(raw)
    headers = parsing.read_headers(raw)
    senders = [envelope_sender, *parsing.header_addresses(raw)]
    return [_accept_for(find_mailbox(address), raw, key, headers, envelope_sender, senders) for address in recipients]


def _accept_for(mailbox, raw, key, headers, envelope_sender, senders):
    if mailbox is None:
        return UNKNOWN  # its address was replaced between RCPT TO and the end of DATA
    refused = not sender_allowed(mailbox, senders)
    message = MailMessage(
        dossier=mailbox.dossier, key=key, message_id=headers.message_id[:255],
        envelope_sender=parsing.printable(envelope_sender, 254),
        sender=headers.sender, subject=headers.subject, sent_at=headers.sent_at, size=len(raw),
        raw=b"" if refused else raw,
    )
    if refused:  # listed for the dossier's people, nothing of it kept
        message.state, message.outcome = MailMessage.State.DONE, MailMessage.Outcome.SENDER_REFUSED
    try:
        with transaction.atomic():
            message.save()
            if not refused:
                transaction.on_commit(lambda: queue_processing(message.pk))
    except IntegrityError:
        return SENDER_REFUSED if refused else ALREADY
    return SENDER_REFUSED if refused else OK


def limits():
    attachment = settings.MAILBOX_MAX_ATTACHMENT_BYTES
    return parsing.Limits(
        attachment_bytes=attachment, attachments=settings.MAILBOX_MAX_ATTACHMENTS,
        zip=content.ZipLimits(members=settings.MAILBOX_MAX_ATTACHMENTS, member_bytes=attachment,
                              total_bytes=settings.MAILBOX_MAX_MESSAGE_BYTES, ratio=100),
    )


def process(message_pk):
    """Archive a queued message and hand its files to the intake; None if it was processed already.

    A message nothing could be taken from is listed with its sender, subject and
    refusals, and its bytes dropped: the legal archive is no place for stray mail.

    The message is claimed by a conditional update inside the transaction that files
    it: two workers given the same message file it once, and a worker that dies
    half-way leaves it queued, untouched, for the sweep.
    """
    with transaction.atomic():
        if not MailMessage.objects.filter(pk=message_pk, state=MailMessage.State.QUEUED).update(
                state=MailMessage.State.DONE):
            return None
        message = MailMessage.objects.select_related("dossier").get(pk=message_pk)
        reading = parsing.read_message(bytes(message.raw), limits())
        if reading.files:  # the legal archive keeps what brought invoices, not every stray message
            message.archived = archive(message.dossier, reading.archived, kind=Kind.OTHER,
                                       filename=f"message-{message.pk}.eml", media_type="message/rfc822",
                                       period=timezone.localdate(message.received_at), reference=message)
        for item in reading.items:
            MailAttachment.objects.create(
                message=message, filename=item.filename[:255] or _("sans nom"), size=item.size, refusal=item.refusal,
                incoming=None if item.refusal else receive_file(
                    message.dossier, item.filename.rsplit("/", 1)[-1], item.data, source="email"),
            )
        message.outcome = MailMessage.Outcome.FILES if reading.files else MailMessage.Outcome.NO_ATTACHMENT
        message.malformed, message.raw = reading.malformed, b""
        message.save(update_fields=["archived", "outcome", "malformed", "raw"])
    return message


def requeue_stuck():
    """Queue again the messages still waiting ``MAILBOX_PROCESSING_TIMEOUT`` seconds after they were queued.

    A message queued ``MAX_RUNS`` times (one that kills its worker each time) stays
    listed, unprocessed, with its bytes, for someone to look at. Returns how many
    were queued again.
    """
    now = timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.MAILBOX_PROCESSING_TIMEOUT)
    stuck = MailMessage.objects.filter(state=MailMessage.State.QUEUED, queued_at__lt=cutoff, runs__lt=MAX_RUNS)
    requeued = 0
    for pk, queued_at, runs in stuck.values_list("pk", "queued_at", "runs"):
        if MailMessage.objects.filter(pk=pk, state=MailMessage.State.QUEUED, queued_at=queued_at).update(
                queued_at=now, runs=runs + 1):
            logger.warning("Mail message %s still queued after %s s: queued again", pk,
                           settings.MAILBOX_PROCESSING_TIMEOUT)
            queue_processing(pk)
            requeued += 1
    return requeued


def queue_processing(message_pk):
    from facturier.mailbox.tasks import process_message

    process_message.enqueue(message_pk)
