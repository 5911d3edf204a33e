"""Reading any supported invoice file into the EN 16931 model.

    >>> invoice = read_invoice(data)   # CII, UBL Invoice/CreditNote, or a Factur-X PDF

The syntax and the profile found by ``einvoice.detect`` are recorded on the
invoice (``source_syntax``, ``source_profile``). Optional parts that are absent
read as ``None`` or empty lists; a value of the wrong type (an amount that is
not a number, an impossible date) raises ``UnreadableError``.
"""

from einvoice.detect import Syntax, detect
from einvoice.read import cii, ubl


def read_invoice(data):
    """The ``Invoice`` held by ``data`` (bytes of an XML or PDF file)."""
    return read_detected(detect(data))


def read_detected(found):
    """The ``Invoice`` of an already detected file (one parse serves every layer)."""
    root = found.tree.getroot()
    invoice = ubl.read(root) if found.syntax is Syntax.UBL else cii.read(root)
    invoice.source_syntax = str(found.syntax)
    invoice.source_profile = str(found.profile)
    return invoice
