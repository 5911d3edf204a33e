"""Converting an invoice file from one syntax to another through the model."""

from einvoice.errors import InvoiceWriteError
from einvoice.read import read_invoice
from einvoice.write import EXTENDED_CTC_FR, to_cii, to_ubl

TARGETS = ("cii", "ubl", "facturx")


def convert(data, to):
    """``data`` (bytes of a CII, UBL or Factur-X file) written as ``to``: "cii", "ubl" or "facturx".

    A CII keeps the EXTENDED-CTC-FR flavour when the source claimed it, so the
    French extensions survive; otherwise it is written as EN 16931.
    """
    if to not in TARGETS:
        raise InvoiceWriteError(f"unknown target {to!r} (expected one of {', '.join(TARGETS)})")
    invoice = read_invoice(data)
    if to == "cii":
        return to_cii(invoice, flavour=cii_flavour(invoice))
    if to == "ubl":
        return to_ubl(invoice)
    try:
        from einvoice.facturx import to_facturx  # PDF rendering loads heavy libraries: only when asked
    except ModuleNotFoundError as missing:
        if missing.name != "einvoice.facturx":
            raise
        raise InvoiceWriteError("Factur-X output is not available in this installation") from None
    return to_facturx(invoice, lang="fr")


def cii_flavour(invoice):
    return EXTENDED_CTC_FR if "extended-ctc-fr" in (invoice.specification_id or "") else "en16931"
