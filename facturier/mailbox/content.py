"""What a file is, told from its bytes, and the members of a ZIP read without trusting it.

A mail attachment's name and declared type are the sender's word: a ``facture.pdf``
may be a Windows program. Only the first bytes decide what a file is, and only
PDF, invoice XML and images (JPEG, PNG, TIFF) are kept. A ZIP is opened one level
deep, within limits on its members' number, sizes and compression ratio, so a
zip bomb costs a bounded read and never fills memory or disk.
"""

import io
import re
import zipfile
from dataclasses import dataclass

PDF, XML, IMAGE, ZIP, EXECUTABLE = "pdf", "xml", "image", "zip", "executable"

IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*")
# Windows PE (MZ), ELF, Mach-O (both orders, fat), Java class, DEX, scripts (#!), OLE2 (MSI installers,
# Office files with macros), WebAssembly.
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
                    b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"dex\n", b"#!", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
                    b"\x00asm")
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# The first element of an XML file, after its prolog, comments and processing instructions.
FIRST_ELEMENT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
ACTIVE_XML_ROOTS = {b"html", b"svg", b"xsl", b"stylesheet", b"transform"}


def kind_of(data):
    """PDF, XML, IMAGE, ZIP, EXECUTABLE, or None for anything else."""
    head = data[:1024]
    if head.startswith(EXECUTABLE_MAGIC):
        return EXECUTABLE
    if head.startswith(ZIP_MAGIC):
        return ZIP
    if head.startswith(IMAGE_MAGIC):
        return IMAGE
    if b"%PDF-" in head:  # readers accept the header anywhere in the first 1,024 bytes
        return PDF
    return _xml_kind(head)


def _xml_kind(head):
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith(b"<") or b"<!DOCTYPE" in head.upper() or b"<script" in head.lower():
        return None
    element = FIRST_ELEMENT.search(re.sub(rb"<\?.*?\?>|<!--.*?-->", b"", text, flags=re.S))
    if element is None or element.group(2).lower() in ACTIVE_XML_ROOTS:
        return None
    return XML


@dataclass(frozen=True)
class ZipLimits:
    members: int  # files in one archive
    member_bytes: int  # one member, unpacked
    total_bytes: int  # all members, unpacked
    ratio: int  # unpacked / packed size of a member beyond 1 MB


@dataclass(frozen=True)
class Member:
    name: str
    data: bytes = b""
    refusal: str = ""  # a Refusal code when the member is not taken


class ArchiveRefused(Exception):
    """The ZIP as a whole is refused; ``code`` says why (a Refusal code)."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def zip_members(data, limits):
    """The files of a ZIP, each with its bytes or why it is refused; ArchiveRefused for the whole."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise ArchiveRefused("unreadable_archive") from None
    if len(infos) > limits.members:
        raise ArchiveRefused("too_many_files")
    if sum(info.file_size for info in infos) > limits.total_bytes:
        raise ArchiveRefused("zip_bomb")
    members, total = [], 0
    for info in infos:
        member = _member(archive, info, limits)
        total += len(member.data)
        if total > limits.total_bytes:
            raise ArchiveRefused("zip_bomb")  # the declared sizes lied
        members.append(member)
    return members


def _member(archive, info, limits):
    name = info.filename.replace("\\", "/").rsplit("/", 1)[-1] or "document"
    if info.flag_bits & 0x1:
        return Member(name, refusal="encrypted")
    try:
        with archive.open(info) as stream:
            data = stream.read(limits.member_bytes + 1)  # never more than the limit, whatever the header says
    except Exception:  # zlib.error, NotImplementedError (unknown method), BadZipFile (CRC): the bytes are bad
        return Member(name, refusal="unreadable_archive")
    if len(data) > limits.member_bytes:
        return Member(name, refusal="too_large")
    if len(data) > 1024 * 1024 and len(data) > limits.ratio * max(info.compress_size, 1):
        return Member(name, refusal="zip_bomb")
    kind = kind_of(data)
    if kind == ZIP:
        return Member(name, refusal="nested_archive")
    if kind == EXECUTABLE:
        return Member(name, refusal="executable")
    if kind is None:
        return Member(name, refusal="unsupported")
    return Member(name, data)
