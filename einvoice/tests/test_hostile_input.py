"""Hostile or broken input gives an engine error (or an ``unreadable`` report), never a traceback."""

import socket
import zlib

import pytest

from einvoice import pdf, xml
from einvoice.detect import detect
from einvoice.errors import HostileInputError, TooLargeError, UnreadableError, UnsupportedFormatError
from einvoice.validate import validate

MINIMAL_CII = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"'
    b' xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">'
    b"<rsm:ExchangedDocument><ram:ID>F1</ram:ID></rsm:ExchangedDocument></rsm:CrossIndustryInvoice>"
)


def pdf_with_attachment(name, payload, *, declared_size=None):
    """A small valid PDF whose name tree embeds ``payload`` (Flate-compressed) as ``name``."""
    stream = zlib.compress(payload, 9)
    params = b" /Params << /Size %d >>" % declared_size if declared_size is not None else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 5 0 R >> >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
        b"<< /Type /Filespec /F (%s) /UF (%s) /EF << /F 4 0 R >> >>" % (name, name),
        b"<< /Type /EmbeddedFile /Filter /FlateDecode /Length %d%s >>\nstream\n%s\nendstream"
        % (len(stream), params, stream),
        b"<< /Names [(%s) 3 0 R] >>" % name,
    ]
    out = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def test_the_pdf_builder_makes_a_readable_factur_x():
    name, content = pdf.extract_invoice_xml(pdf_with_attachment(b"factur-x.xml", MINIMAL_CII))
    assert (name, content) == ("factur-x.xml", MINIMAL_CII)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<lolz>&lol4;</lolz>"""


@pytest.mark.parametrize("data", [
    BILLION_LAUGHS,
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
    b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd"><r/>',
    b'<?xml version="1.0"?><!doctype r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x">%p;]><r/>',
    # A DOCTYPE pushed past the first 64 kB by a long comment is still refused.
    b'<?xml version="1.0"?><!--' + b"x" * 70_000 + b'--><!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>',
], ids=["billion-laughs", "xxe-file", "external-dtd", "parameter-entity", "late-doctype"])
def test_dtds_and_entities_are_refused_before_processing(data):
    with pytest.raises(HostileInputError):
        detect(data)
    report = validate(data)
    assert not report.valid and [issue.rule for issue in report.errors] == ["unreadable"]


def test_undeclared_entity_is_malformed():
    with pytest.raises(UnreadableError):
        detect(b"<r>&secret;</r>")


def test_deeply_nested_xml_is_unreadable():
    depth = 100_000
    with pytest.raises(UnreadableError):
        detect(b"<a>" * depth + b"</a>" * depth)


@pytest.mark.parametrize("data", [
    b"",
    b"   \n",
    b"\xff\xfe\x00garbage\x80\x81",
    b"<r>\xff\xfe invalid utf-8</r>",
    b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 64,  # a zip, renamed .pdf or .xml
    b"<unclosed",
], ids=["empty", "blank", "binary", "bad-utf8", "zip", "truncated-xml"])
def test_garbage_is_unreadable(data):
    with pytest.raises(UnreadableError):
        detect(data)
    assert validate(data).errors[0].rule == "unreadable"


def test_xml_over_the_size_limit_is_too_large_and_reported_as_unreadable():
    with pytest.raises(TooLargeError):
        xml.parse(MINIMAL_CII, max_bytes=100)
    data = MINIMAL_CII.replace(b"F1", b"F" * (xml.MAX_XML_BYTES + 1))
    report = validate(data)
    assert [issue.rule for issue in report.errors] == ["unreadable"]
    assert "limit" in report.errors[0].message


def test_pdf_over_the_size_limit_is_too_large():
    with pytest.raises(TooLargeError):
        pdf.extract_invoice_xml(pdf_with_attachment(b"factur-x.xml", MINIMAL_CII), max_bytes=100)


def test_a_decompression_bomb_stops_at_the_attachment_limit():
    bomb = pdf_with_attachment(b"factur-x.xml", MINIMAL_CII + b" " * 5_000_000)
    assert len(bomb) < 20_000
    with pytest.raises(TooLargeError, match="decompresses to more than 1000000 bytes"):
        pdf.extract_invoice_xml(bomb, max_attachment_bytes=1_000_000)


def test_an_attachment_declaring_a_huge_size_is_refused_unread():
    declared = pdf_with_attachment(b"factur-x.xml", MINIMAL_CII, declared_size=10**12)
    with pytest.raises(TooLargeError):
        pdf.extract_invoice_xml(declared)


def test_a_hostile_xml_inside_a_pdf_is_refused():
    with pytest.raises(UnreadableError):
        detect(pdf_with_attachment(b"factur-x.xml", BILLION_LAUGHS))


@pytest.mark.parametrize("cut", [20, 200, 400])
def test_a_truncated_pdf_is_unreadable_or_unsupported(cut):
    data = pdf_with_attachment(b"factur-x.xml", MINIMAL_CII)[:cut]
    with pytest.raises((UnreadableError, UnsupportedFormatError)):
        detect(data)
    assert validate(data).errors[0].rule in ("unreadable", "unsupported-format")


def test_a_pdf_without_invoice_is_unsupported():
    with pytest.raises(UnsupportedFormatError):
        detect(pdf_with_attachment(b"photo.jpg", b"\xff\xd8\xff"))


def test_a_pdf_header_on_a_zip_is_unreadable():
    with pytest.raises((UnreadableError, UnsupportedFormatError)):
        detect(b"%PDF-1.7\nPK\x03\x04" + b"\x00" * 500)


def test_schema_locations_in_the_invoice_are_not_fetched():
    """An xsi:schemaLocation pointing at a local server: XSD and Schematron layers never connect."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.setblocking(False)
        port = server.getsockname()[1]
        data = MINIMAL_CII.replace(
            b"<rsm:ExchangedDocument>",
            b'<rsm:ExchangedDocument xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            b'xsi:schemaLocation="urn:x http://127.0.0.1:%d/x.xsd">' % port,
        ).replace(b"<ram:ID>F1</ram:ID>",
                  b'<?xml-stylesheet href="http://127.0.0.1:%d/s.xsl"?><ram:ID>F1</ram:ID>' % port)
        report = validate(data)
        assert report.syntax == "CII"
        with pytest.raises(BlockingIOError):
            server.accept()


def test_a_utf16_invoice_is_read_and_its_doctype_refused():
    text = MINIMAL_CII.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    found = detect(text.encode("utf-16"))
    assert found.syntax == "CII"
    hostile = text.replace("<rsm:Cross", '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rsm:Cross', 1)
    with pytest.raises(HostileInputError):
        detect(hostile.encode("utf-16"))
    assert validate(text.encode("utf-16"), rules="en16931").syntax == "CII"


def test_a_utf8_byte_order_mark_is_fine():
    assert detect(b"\xef\xbb\xbf" + MINIMAL_CII).syntax == "CII"
