"""Converting an invoice file from one syntax to another through the model."""

from einvoice.errors import InvoiceWriteError
from einvoice.read import read_invoice
from einvoice.write import flavour_for, to_cii, to_ubl

TARGETS = ("cii", "ubl", "facturx")


def convert(data, to):
    """``data`` (bytes of a CII, UBL or Factur-X file) written as ``to``: "cii", "ubl" or "facturx".

    A CII is written in the flavour ``einvoice.write.flavour_for`` chooses from
    the invoice's profile, so an EXTENDED invoice stays in its EXTENDED profile.
    An invoice without lines (MINIMUM, BASIC WL) is refused as UBL, whose
    schema requires at least one: the conversion would make it invalid.
    """
    if to not in TARGETS:
        raise InvoiceWriteError(f"unknown target {to!r} (expected one of {', '.join(TARGETS)})")
    invoice = read_invoice(data)
    if to == "cii":
        return to_cii(invoice, flavour=flavour_for(invoice))
    if to == "ubl":
        if not invoice.lines:
            raise InvoiceWriteError("cannot write a UBL invoice without invoice lines (BG-25): UBL requires one")
        return to_ubl(invoice)
    try:
        from einvoice.facturx import to_facturx  # PDF rendering loads heavy libraries: only when asked
    except ModuleNotFoundError as missing:
        if missing.name != "einvoice.facturx":
            raise
        raise InvoiceWriteError("Factur-X output is not available in this installation") from None
    return to_facturx(invoice, lang="fr")
