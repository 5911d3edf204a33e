"""Hostile and ordinary messages read without Django: what is taken, what is refused and why."""

import email
import email.policy
import io
import zipfile

from facturier.mailbox import content, parsing
from facturier.mailbox.tests.conftest import message

LIMITS = parsing.Limits(attachment_bytes=2_000_000, attachments=20,
                        zip=content.ZipLimits(members=20, member_bytes=2_000_000, total_bytes=5_000_000, ratio=100))
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
XML = b'<?xml version="1.0"?>\n<rsm:CrossIndustryInvoice xmlns:rsm="urn:x"/>'
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WINDOWS_PROGRAM = b"MZ\x90\x00" + b"\x00" * 200


def raw(*attachments, **options):
    return message("abc@factures.test", attachments=attachments, **options).as_bytes(policy=email.policy.SMTP)


def zipped(*members, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def outcomes(reading):
    return [(item.filename, item.refusal or "taken") for item in reading.items]


def test_files_are_known_by_their_bytes_not_their_names():
    reading = parsing.read_message(raw(("facture.pdf", WINDOWS_PROGRAM, "application/pdf"),
                                       ("scan.jpg", PDF, "image/jpeg"), ("f.xml", XML, "text/xml"),
                                       ("photo.png", PNG, "image/png"),
                                       ("page.xml", b"<html><body/></html>", "text/xml"),
                                       ("script.sh", b"#!/bin/sh\nrm -rf /\n", "text/plain")), LIMITS)
    assert outcomes(reading) == [("facture.pdf", "executable"), ("scan.jpg", "taken"), ("f.xml", "taken"),
                                 ("photo.png", "taken"), ("page.xml", "unsupported"), ("script.sh", "executable")]


def test_what_is_not_taken_is_cut_out_of_the_archived_message():
    original = raw(("facture.pdf", PDF, "application/pdf"), ("setup.pdf", WINDOWS_PROGRAM, "application/pdf"))
    reading = parsing.read_message(original, LIMITS)
    assert b"TVqQAA" in original  # base64 of "MZ\x90\x00"
    assert b"TVqQAA" not in reading.archived
    archived = email.message_from_bytes(reading.archived, policy=email.policy.default)
    notes = [part.get_content() for part in archived.walk() if part.get_content_type() == "text/plain"]
    assert any(note.startswith("[Pièce jointe non conservée (executable) : setup.pdf, SHA-256 ") for note in notes)
    assert [item.data for item in reading.files] == [PDF]
    script = parsing.read_message(raw(("f.pdf", PDF, "application/pdf"),
                                      ("relance.vbs", b'CreateObject("WScript.Shell")', "text/plain")), LIMITS)
    kept = email.message_from_bytes(script.archived, policy=email.policy.default)
    texts = [part.get_content() for part in kept.walk() if part.get_content_maintype() == "text"]
    assert not any("WScript" in text for text in texts)
    assert any(text.startswith("[Pièce jointe non conservée (unsupported) : relance.vbs") for text in texts)
    clean = raw(("f.pdf", PDF, "application/pdf"))
    assert parsing.read_message(clean, LIMITS).archived == clean  # nothing to cut: archived as received


def test_a_zip_of_invoices_is_opened_one_level_deep():
    archive = zipped(("janvier/F-1.pdf", PDF), ("F-2.xml", XML), ("inner.zip", zipped(("x.pdf", PDF))),
                     ("virus.exe", WINDOWS_PROGRAM), ("readme.txt", b"hello"))
    reading = parsing.read_message(raw(("factures.zip", archive, "application/zip")), LIMITS)
    assert outcomes(reading) == [("factures.zip/F-1.pdf", "taken"), ("factures.zip/F-2.xml", "taken"),
                                 ("factures.zip/inner.zip", "nested_archive"), ("factures.zip/virus.exe", "executable"),
                                 ("factures.zip/readme.txt", "unsupported")]
    assert b"UEsDB" not in reading.archived  # the ZIP carried a program: it is not archived either


def test_a_zip_bomb_costs_a_bounded_read():
    bomb = zipped(*[(f"{n}.pdf", b"%PDF-" + b"\x00" * 1_900_000) for n in range(4)])  # 7.6 MB from a few KB
    assert len(bomb) < 100_000
    reading = parsing.read_message(raw(("bomb.zip", bomb, "application/zip")), LIMITS)
    assert outcomes(reading) == [("bomb.zip", "zip_bomb")]
    one = zipped(("big.pdf", b"%PDF-" + b"\x00" * 1_500_000))
    assert outcomes(parsing.read_message(raw(("one.zip", one, "application/zip")), LIMITS)) == [
        ("one.zip/big.pdf", "zip_bomb")]  # a ratio no invoice has


def test_a_zip_whose_header_lies_about_sizes_is_still_bounded():
    honest = zipped(("a.pdf", b"%PDF-" + b"a" * 3_000_000), compression=zipfile.ZIP_STORED)
    # Claim the member is tiny in the central directory: the read stops at the limit anyway.
    lying = honest.replace((3_000_005).to_bytes(4, "little"), (10).to_bytes(4, "little"))
    reading = parsing.read_message(raw(("lie.zip", lying, "application/zip")), LIMITS)
    assert all(item.refusal for item in reading.items)


def test_broken_and_encrypted_zips_are_refused_with_their_reason():
    broken = parsing.read_message(raw(("b.zip", b"PK\x03\x04garbage", "application/zip")), LIMITS)
    assert outcomes(broken) == [("b.zip", "unreadable_archive")]
    encrypted = bytearray(zipped(("a.pdf", PDF)))
    encrypted[6] |= 1  # the "encrypted" flag, local header
    central = encrypted.find(b"PK\x01\x02")
    encrypted[central + 8] |= 1
    assert outcomes(parsing.read_message(raw(("e.zip", bytes(encrypted), "application/zip")), LIMITS)) == [
        ("e.zip/a.pdf", "encrypted")]


def test_limits_on_size_and_count():
    small = parsing.Limits(attachment_bytes=100, attachments=2, zip=LIMITS.zip)
    reading = parsing.read_message(raw(("a.pdf", PDF, "application/pdf"),
                                       ("big.pdf", PDF + b"x" * 200, "application/pdf"),
                                       ("c.pdf", PDF, "application/pdf")), small)
    assert outcomes(reading) == [("a.pdf", "taken"), ("big.pdf", "too_large"), ("c.pdf", "too_many_files")]


def test_a_forwarded_message_gives_its_attachments_and_deep_nesting_is_refused():
    forwarded = message("abc@factures.test", subject="Fwd")
    forwarded.add_attachment(message("client@x.fr", attachments=[("F-9.pdf", PDF, "application/pdf")]))
    assert [item.filename for item in parsing.read_message(forwarded.as_bytes(), LIMITS).files] == ["F-9.pdf"]
    nested = b"Content-Type: multipart/mixed; boundary=b0\r\n\r\n"
    for depth in range(1, 40):
        nested += f"--b{depth - 1}\r\nContent-Type: multipart/mixed; boundary=b{depth}\r\n\r\n".encode()
    reading = parsing.read_message(b"From: a@b.fr\r\nSubject: deep\r\n" + nested, LIMITS)
    assert outcomes(reading) == [("", "too_deep")] and reading.subject == "deep"


def test_the_text_and_the_signature_picture_are_not_attachments():
    mail = message("abc@factures.test")
    mail.add_alternative("<p>Bonjour <img src='cid:logo'></p>", subtype="html")
    mail.get_payload()[1].add_related(PNG, maintype="image", subtype="png", cid="<logo>")
    assert parsing.read_message(mail.as_bytes(), LIMITS).items == []


def test_garbage_never_raises():
    for junk in (b"", b"\x00\xff" * 100, b"Subject: =?x?q?\xff?=\r\n\r\n", b"Content-Type: multipart/mixed\r\n\r\n--",
                 b"From: <<<@@@>>>\r\nDate: 99 Foo 99999 99:99\r\n\r\nbody"):
        reading = parsing.read_message(junk, LIMITS)
        assert reading.files == [] and reading.sent_at is None
        parsing.delivery_key(junk)
        parsing.header_addresses(junk)
