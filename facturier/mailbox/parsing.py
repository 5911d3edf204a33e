"""A received message read into what the platform takes from it: headers, files, refusals.

Pure Python (the standard ``email`` package), no Django: the listener and the worker
both call it, and the tests feed it hostile messages directly. Nothing here raises on
bad input: a malformed message gives what could be read and says it was malformed.
"""

import email.utils
import hashlib
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser

from facturier.mailbox import content

MAX_DEPTH = 8  # multipart and forwarded-message nesting; deeper is refused whole
TEXT_BODIES = {"text/plain", "text/html", "text/enriched"}


@dataclass(frozen=True)
class Limits:
    attachment_bytes: int
    attachments: int
    zip: content.ZipLimits


@dataclass(frozen=True)
class Item:
    """One file of the message: taken (``data``) or refused (``refusal``, a Refusal code)."""

    filename: str
    size: int
    data: bytes = b""
    refusal: str = ""


@dataclass
class Reading:
    sender: str = ""
    subject: str = ""
    sent_at: object = None  # aware datetime of the Date header, or None
    message_id: str = ""
    items: list = field(default_factory=list)
    malformed: bool = False
    # The message as archived: its own bytes, or a copy whose parts not taken (programs, scripts, unknown
    # or refused files) are replaced by a note, so nothing the platform did not recognise is stored.
    archived: bytes = b""

    @property
    def files(self):
        return [item for item in self.items if not item.refusal]


def split_header(raw):
    """The header section of a raw message, and where its body starts."""
    for separator in (b"\r\n\r\n", b"\n\n"):
        end = raw.find(separator)
        if end != -1:
            return raw[:end], end + len(separator)
    return raw, len(raw)


def delivery_key(raw):
    """What makes a message the same message when the MTA hands it again: its Message-ID and its body.

    Trace headers (Received, Delivered-To, Return-Path) differ from one delivery to
    the next; the body and the sender's Message-ID do not.
    """
    header, body_start = split_header(raw)
    headers = BytesParser(policy=policy.compat32).parsebytes(header + b"\r\n\r\n", headersonly=True)
    message_id = str(headers.get("Message-ID", "")).strip()
    seed = message_id.encode("utf-8", "replace") if message_id else header_fingerprint(headers)
    return hashlib.sha256(seed + b"\x00" + hashlib.sha256(raw[body_start:]).digest()).hexdigest(), message_id


def header_fingerprint(headers):
    return "\x00".join(str(headers.get(name, "")) for name in ("From", "Date", "Subject")).encode("utf-8", "replace")


def header_addresses(raw):
    """The addresses of the From header, lower case (the allow and deny lists look at them)."""
    header, _ = split_header(raw)
    headers = BytesParser(policy=policy.compat32).parsebytes(header + b"\r\n\r\n", headersonly=True)
    return [address.lower() for _, address in email.utils.getaddresses(headers.get_all("From", [])) if address]


def read_headers(raw):
    """The sender, subject, date and Message-ID of ``raw``, from its header section alone (fast)."""
    header, _ = split_header(raw)
    reading = Reading()
    try:
        headers = BytesParser(policy=policy.default).parsebytes(header + b"\r\n\r\n", headersonly=True)
    except Exception:
        reading.malformed = True
        return reading
    _fill_headers(reading, headers)
    return reading


def _fill_headers(reading, message):
    reading.sender = _header(message, "From")
    reading.subject = _header(message, "Subject")
    reading.message_id = _header(message, "Message-ID")
    reading.sent_at = _date(_header(message, "Date"))


def read_message(raw, limits):
    """Everything the platform takes from ``raw``; never raises on bad input."""
    reading = Reading(archived=raw)
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception:  # the parser is lenient; this is a bug of it on some input, not a reason to crash
        reading.malformed = True
        return reading
    _fill_headers(reading, message)
    dropped = []  # the parts not taken whole: cut out of the archived copy
    try:
        for part in _leaves(message, 0):
            _take(part, reading, limits, dropped)
    except RecursionError:
        reading.items.append(Item("", 0, refusal="too_deep"))
    reading.malformed = reading.malformed or any(_is_serious(defect) for defect in message.defects)
    if dropped:
        reading.archived = _without(message, dropped, raw)
    return reading


def printable(value, length):
    """``value`` on one line, without control characters (PostgreSQL refuses NUL), cut to ``length``."""
    return " ".join("".join(char if char.isprintable() else " " for char in str(value or "")).split())[:length]


def _header(message, name):
    try:
        return printable(message.get(name, ""), 300)
    except Exception:  # an undecodable header reads as absent
        return ""


def _date(value):
    try:
        moment = email.utils.parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


def _is_serious(defect):
    return type(defect).__name__ in {"StartBoundaryNotFoundDefect", "CloseBoundaryNotFoundDefect",
                                     "MultipartInvariantViolationDefect", "InvalidBase64CharactersDefect",
                                     "InvalidBase64PaddingDefect", "InvalidBase64LengthDefect"}


def _leaves(part, depth):
    if depth > MAX_DEPTH:
        raise RecursionError("message nested too deep")
    payload = part.get_payload()
    if isinstance(payload, list):
        for sub in payload:
            yield from _leaves(sub, depth + 1)
    else:
        yield part


def _take(part, reading, limits, dropped):
    """File ``part`` of the message under ``reading``: taken, refused (and ``dropped``), or the message's text."""
    filename = _filename(part)
    kind = part.get_content_type()
    disposition = part.get_content_disposition()
    if not filename and disposition != "attachment" and (kind in TEXT_BODIES or part.get("Content-ID")):
        return  # the message's text, or a picture of its signature
    try:
        data = part.get_payload(decode=True) or b""
    except Exception:
        data = None
    if data == b"":
        return
    name = filename or "piece-jointe"
    refusal = _refusal(data, len(reading.items), limits)
    if refusal == content.ZIP:
        refusal = _take_zip(name, data, reading, limits)
    elif refusal:
        reading.items.append(Item(name, len(data or b""), refusal=refusal))
    else:
        reading.items.append(Item(name, len(data), data))
    if refusal:
        dropped.append((part, refusal))


def _refusal(data, taken, limits):
    """Why a part is not taken ("" when it is; ZIP when its members decide)."""
    if data is None:
        return "unreadable"
    if taken >= limits.attachments:
        return "too_many_files"
    if len(data) > limits.attachment_bytes:
        return "too_large"
    found = content.kind_of(data)
    if found in (content.EXECUTABLE, content.ZIP):
        return found
    return "unsupported" if found is None else ""


def _take_zip(name, data, reading, limits):
    """The ZIP's members taken or refused; the ZIP's own refusal, if any of it is not taken."""
    try:
        members = content.zip_members(data, limits.zip)
    except content.ArchiveRefused as refused:
        reading.items.append(Item(name, len(data), refusal=refused.code))
        return refused.code
    for member in members:
        reading.items.append(Item(f"{name}/{member.name}", len(member.data), member.data, member.refusal))
    refused = [member.refusal for member in members if member.refusal]
    return ("executable" if "executable" in refused else refused[0]) if refused else ""


def _filename(part):
    try:
        return printable(part.get_filename(), 200)
    except Exception:
        return ""


def _without(message, dropped, raw):
    """The message with each ``(part, refusal)`` of ``dropped`` replaced by a short note naming it."""
    try:
        for part, refusal in dropped:
            try:
                digest = hashlib.sha256(part.get_payload(decode=True) or b"").hexdigest()
            except Exception:
                digest = "?"
            part.set_content(f"[Pièce jointe non conservée ({refusal}) : {_filename(part) or 'sans nom'}, "
                             f"SHA-256 {digest}]\n", disposition="inline")
        return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
    except Exception:  # a message too broken to write back: keep its header and say the body was dropped
        header, _ = split_header(raw)
        return header + b"\r\n\r\n[Corps non conserve : des pieces jointes non reconnues et un message illisible.]\r\n"
