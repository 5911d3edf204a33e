"""Parsing untrusted XML safely.

Invoices come from strangers: the parser loads no DTD, expands no entity,
touches no network or file, and refuses documents that carry a DOCTYPE at all
(an invoice never needs one). Size is checked before parsing.
"""

from lxml import etree

from einvoice.errors import HostileInputError, TooLargeError, UnreadableError

MAX_XML_BYTES = 50 * 1024 * 1024

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=False,
)


def parse(data, *, max_bytes=MAX_XML_BYTES):
    """Parse ``data`` (bytes) into an lxml element tree, or raise an engine error."""
    if not isinstance(data, bytes):
        raise TypeError("parse() takes bytes")
    if len(data) > max_bytes:
        raise TooLargeError(f"XML document of {len(data)} bytes exceeds the {max_bytes}-byte limit")
    prolog = _prolog(data)
    if "<!DOCTYPE" in prolog.upper() or "<!ENTITY" in prolog.upper():
        raise HostileInputError("XML with a DOCTYPE or entity declarations is refused")
    if not prolog.lstrip("\ufeff \t\r\n").startswith("<"):
        raise UnreadableError("not an XML document")
    try:
        tree = etree.fromstring(data, _PARSER).getroottree()
    except etree.XMLSyntaxError as error:
        raise UnreadableError(f"malformed XML: {error}") from None
    # A DOCTYPE hidden past the prolog check was parsed but not acted on: refuse it now.
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise HostileInputError("XML with a DOCTYPE is refused")
    return tree


def _prolog(data):
    """The first 64 kB as text: enough to see a DOCTYPE, whichever encoding family the file uses."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data[:131072].decode("utf-16", errors="replace")
    return data[:65536].removeprefix(b"\xef\xbb\xbf").decode("latin-1")
