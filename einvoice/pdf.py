"""Finding the invoice XML inside a PDF (Factur-X, ZUGFeRD 2.x, XRechnung).

A PDF is untrusted input: its size is limited, and so is every embedded file.
pypdf decompresses a stream only when asked, and its own limits (75 MB of
output per stream by default) are lowered for the whole extraction to the
attachment limit, so a decompression bomb stops after that many bytes with
pypdf's ``LimitReachedError``, reported as :class:`TooLargeError`.
"""

import io
import logging

from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError, PyPdfError

from einvoice.errors import TooLargeError, UnreadableError, UnsupportedFormatError

MAX_PDF_BYTES = 50 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

INVOICE_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")
UNSUPPORTED_NAMES = {"order-x.xml": "Order-X"}

logging.getLogger("pypdf").setLevel(logging.ERROR)


def looks_like_pdf(data):
    return data[:1024].lstrip().startswith(b"%PDF-")


def extract_invoice_xml(data, *, max_bytes=MAX_PDF_BYTES, max_attachment_bytes=MAX_ATTACHMENT_BYTES):
    """Return ``(name, xml_bytes)`` of the invoice embedded in a PDF."""
    if len(data) > max_bytes:
        raise TooLargeError(f"PDF of {len(data)} bytes exceeds the {max_bytes}-byte limit")
    try:
        with apply_configuration(**_decoding_limits(max_attachment_bytes)):
            return _extract(data, max_attachment_bytes)
    except LimitReachedError:
        raise TooLargeError(f"an embedded stream decompresses to more than {max_attachment_bytes} bytes") from None
    except PyPdfError as error:
        raise UnreadableError(f"corrupt PDF: {error}") from None
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError) as error:
        raise UnreadableError(f"corrupt PDF: {type(error).__name__}") from None


def _decoding_limits(limit):
    """pypdf settings capping what any one stream may decompress to."""
    return dict.fromkeys(
        (
            "zlib_maximum_output_length",
            "lzw_maximum_output_length",
            "run_length_maximum_output_length",
            "brotli_maximum_output_length",
            "jbig2_maximum_output_length",
            "array_based_stream_maximum_output_length",
        ),
        limit + 1,
    )


def _extract(data, max_attachment_bytes):
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise UnreadableError("encrypted PDF")
    attachments = _embedded_files(reader)
    by_name = {name.lower(): (name, spec) for name, spec in attachments.items()}
    for wanted in INVOICE_NAMES:
        if wanted in by_name:
            name, content = by_name[wanted]
            return name, _read(content, max_attachment_bytes)
    for wanted, label in UNSUPPORTED_NAMES.items():
        if wanted in by_name:
            raise UnsupportedFormatError(f"{label} PDF is not supported")
    raise UnsupportedFormatError("the PDF carries no structured invoice")


def _embedded_files(reader):
    """Map embedded file names to their (lazy) stream objects."""
    files = {}
    root = reader.trailer["/Root"]
    names = root.get("/Names")
    tree = names.get_object().get("/EmbeddedFiles") if names else None
    if tree is None:
        return files
    stack, seen = [tree.get_object()], 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > 10_000:
            raise UnreadableError("embedded file tree too deep")
        for kid in node.get("/Kids", []) or []:
            stack.append(kid.get_object())
        entries = node.get("/Names", []) or []
        for i in range(0, len(entries) - 1, 2):
            spec = entries[i + 1].get_object()
            name = str(spec.get("/UF") or spec.get("/F") or entries[i])
            stream = spec.get("/EF", {}).get("/F") if spec.get("/EF") else None
            if stream is not None:
                files[name] = stream
    return files


def _read(stream_ref, limit):
    stream = stream_ref.get_object()
    declared = stream.get("/Params", {}).get("/Size") if stream.get("/Params") else None
    if declared is not None and int(declared) > limit:
        raise TooLargeError(f"embedded file of {int(declared)} bytes exceeds the {limit}-byte limit")
    if int(stream.get("/Length", 0)) > limit:
        raise TooLargeError("embedded file exceeds the size limit")
    content = stream.get_data()
    if len(content) > limit:
        raise TooLargeError(f"embedded file of {len(content)} bytes exceeds the {limit}-byte limit")
    return content
