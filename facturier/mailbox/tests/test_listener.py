"""Real SMTP and LMTP sessions with the listener: what a mail server sees, and what the dossier gets."""

import datetime
import email.policy
import smtplib

import pytest

from facturier.archive.store import open_content
from facturier.invoices.models import IncomingFile, Invoice
from facturier.invoices.receiving.tests.receiving_samples import purchase_cii, purchase_ubl
from facturier.mailbox.addresses import mailbox_for, regenerate
from facturier.mailbox.models import MailAttachment, MailMessage
from facturier.mailbox.tests.conftest import message, send

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_attached_invoice_becomes_a_purchase_invoice_with_its_mail_origin(listener, world, address):
    xml = purchase_cii(world.active.siren, number="F-MAIL-1")
    assert send(listener.port, message(address, attachments=[("F-MAIL-1.xml", xml, "application/xml")])) == {}
    mail = MailMessage.objects.get()
    assert (mail.dossier, mail.state, mail.outcome) == (world.active, "done", "files")
    assert mail.sender == "compta@fournisseur.fr" and mail.subject == "Facture F-1"
    assert mail.sent_at == datetime.datetime(2026, 12, 3, 9, 15, tzinfo=datetime.UTC)
    incoming = mail.attachments.get().incoming
    assert (incoming.source, incoming.outcome, incoming.filename) == ("email", "accepted", "F-MAIL-1.xml")
    assert Invoice.objects.get(dossier=world.active).number == "F-MAIL-1"
    # The message itself is archived, unchanged, beside the invoice it brought.
    assert b"F-MAIL-1" in open_content(mail.archived) and mail.archived.media_type == "message/rfc822"
    assert bytes(mail.raw) == b""


def test_lmtp_delivers_the_same_way(lmtp_listener, world, address):
    xml = purchase_ubl(world.active.siren, number="F-LMTP")
    send(lmtp_listener.port, message(address, attachments=[("f.xml", xml, "application/xml")]), lmtp=True)
    assert Invoice.objects.get().number == "F-LMTP"


def test_an_unknown_address_is_refused_at_rcpt_time(listener, world, address):
    for wrong in ("nobody@factures.test", address.replace("factures.test", "elsewhere.test")):
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            send(listener.port, message(wrong))
        assert refused.value.recipients[wrong][0] == 550
    assert not MailMessage.objects.exists()


def test_a_replaced_address_stops_working(listener, world, address):
    mailbox = mailbox_for(world.active)
    assert regenerate(mailbox, mailbox.code) and not regenerate(mailbox, address.split("@")[0])
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(listener.port, message(address))
    assert send(listener.port, message(f"{mailbox.code}@factures.test")) == {}


def test_one_message_to_two_dossiers_and_an_unknown_one(listener, world, address):
    other = f"{mailbox_for(world.invited).code}@factures.test"
    xml = purchase_cii(world.active.siren, number="F-2D")
    refused = send(listener.port, message(address, attachments=[("f.xml", xml, "text/xml")]),
                   to=[address, other, "zz@factures.test"])
    assert list(refused) == ["zz@factures.test"]
    assert sorted(MailMessage.objects.values_list("dossier__name", flat=True)) == sorted(
        [world.active.name, world.invited.name])


def test_a_message_handed_again_is_filed_once(listener, world, address):
    """The MTA timed out waiting for our answer and delivers the same message again (new trace headers)."""
    mail = message(address, attachments=[("f.xml", purchase_cii(world.active.siren, number="F-TWICE"), "text/xml")])
    raw = mail.as_bytes(policy=email.policy.SMTP)
    for trace in (b"", b"Received: from mx2.example by mx.example; Thu, 03 Dec 2026 10:20:00 +0100\r\n"):
        with smtplib.SMTP("127.0.0.1", listener.port) as client:
            client.sendmail("compta@fournisseur.fr", [address], trace + raw)
    assert MailMessage.objects.count() == 1 and IncomingFile.objects.count() == 1


def test_a_message_without_usable_attachment_is_listed(listener, world, address):
    send(listener.port, message(address, subject="Relance", attachments=[("notes.txt", b"hello", "text/plain")]))
    mail = MailMessage.objects.get()
    assert mail.outcome == "no_attachment" and mail.subject == "Relance"
    assert mail.archived is None and bytes(mail.raw) == b""  # listed; nothing of it kept
    assert list(mail.attachments.values_list("filename", "refusal")) == [("notes.txt", "unsupported")]
    assert not IncomingFile.objects.exists()


def test_the_deny_list_refuses_at_rcpt_and_the_allow_list_at_data(listener, world, address):
    mailbox = mailbox_for(world.active)
    mailbox.denied_senders = "spam.example\n"
    mailbox.save()
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(listener.port, message(address), sender="x@mail.spam.example")
    mailbox.denied_senders, mailbox.allowed_senders = "", "@fournisseur.fr"
    mailbox.save()
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(listener.port, message(address, sender="autre@inconnu.fr", subject="Pub"), sender="autre@inconnu.fr")
    assert refused.value.smtp_code == 550
    listed = MailMessage.objects.get()
    assert (listed.outcome, listed.subject, bytes(listed.raw), listed.archived) == ("sender_refused", "Pub", b"", None)
    # A forward: the envelope is the client's, the From header the supplier's, who is allowed.
    assert send(listener.port, message(address), sender="client@societe-active.fr") == {}


def test_a_message_over_the_size_limit_is_refused_by_the_listener(mail_settings, transactional_db, world):
    from facturier.mailbox.tests.conftest import start_listener

    mail_settings.MAILBOX_MAX_MESSAGE_BYTES = 20_000
    small = start_listener()
    try:
        to = f"{mailbox_for(world.active).code}@factures.test"
        with pytest.raises((smtplib.SMTPDataError, smtplib.SMTPSenderRefused, smtplib.SMTPServerDisconnected)):
            send(small.port, message(to, attachments=[("big.pdf", b"%PDF-1.7\n" + b"x" * 40_000, "application/pdf")]))
    finally:
        small.stop()
    assert not MailMessage.objects.exists()


def test_huge_headers_get_a_clear_refusal_and_the_listener_goes_on(listener, world, address):
    mail = message(address)
    for number in range(3000):
        mail[f"X-Filler-{number}"] = "y" * 90
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(listener.port, mail)
    assert refused.value.smtp_code == 552
    assert send(listener.port, message(address, subject="Après")) == {}
    assert list(MailMessage.objects.values_list("subject", flat=True)) == ["Après"]


def test_a_malformed_message_is_stored_and_listed_never_a_crash(listener, world, address):
    raw = (f"From: a@fournisseur.fr\r\nTo: {address}\r\nSubject: =?utf-8?q?cass=E9?=\r\n"
           "Content-Type: multipart/mixed; boundary=\"zz\"\r\n\r\n--zz\r\nContent-Type: application/pdf\r\n"
           "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"f.pdf\"\r\n\r\n"
           "!!!not base64\r\n").encode()
    with smtplib.SMTP("127.0.0.1", listener.port) as client:
        client.sendmail("a@fournisseur.fr", [address], raw)
    mail = MailMessage.objects.get()
    assert mail.state == "done" and mail.malformed and mail.outcome == "no_attachment"
    assert MailAttachment.objects.filter(message=mail, incoming__isnull=False).count() == 0


def test_control_characters_in_headers_and_names_are_stored_readable(listener, world, address):
    """PostgreSQL refuses NUL in text: a hostile header must not turn every delivery into a 451."""
    raw = (f"From: a\x00b@fournisseur.fr\r\nTo: {address}\r\nSubject: Fact\x00ure\x07 F-9\r\n"
           "Message-ID: <nul@fournisseur.fr>\r\nContent-Type: multipart/mixed; boundary=\"zz\"\r\n\r\n"
           "--zz\r\nContent-Type: text/plain\r\n\r\nci-joint\r\n--zz\r\nContent-Type: application/octet-stream\r\n"
           "Content-Disposition: attachment; filename=\"no\x00tes\x01.txt\"\r\n\r\nhello\r\n--zz--\r\n").encode()
    with smtplib.SMTP("127.0.0.1", listener.port) as client:
        client.sendmail("a@fournisseur.fr", [address], raw)
    mail = MailMessage.objects.get()
    assert mail.subject == "Fact ure F-9" and mail.attachments.get().filename == "no tes .txt"


def test_a_failure_of_ours_answers_451_and_the_listener_goes_on(listener, world, address, monkeypatch):
    from facturier.mailbox import delivery

    def broken(*args):
        raise RuntimeError("database unreachable")

    with monkeypatch.context() as patched:
        patched.setattr(delivery, "accept", broken)
        with pytest.raises(smtplib.SMTPDataError) as refused:
            send(listener.port, message(address, subject="Pendant la panne"))
        assert refused.value.smtp_code == 451  # the MTA keeps the message and tries again
    assert send(listener.port, message(address, subject="Pendant la panne")) == {}
    assert MailMessage.objects.get().subject == "Pendant la panne"
