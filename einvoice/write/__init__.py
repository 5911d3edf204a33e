"""Writing the model as CII or UBL XML.

    to_cii(invoice, flavour="en16931" | "extended" | "extended-ctc-fr") -> bytes
    flavour_for(invoice) -> the flavour that keeps what the invoice's profile carries
    facturx_flavour_for(invoice) -> the same, among the flavours a Factur-X carries
    to_ubl(invoice) -> bytes   # Invoice, or CreditNote for credit note type codes

Writers put every term the target can carry in the schema's element order and
leave out what is absent; they do not validate (``einvoice.validate`` does).
"""

from einvoice.write.cii import (
    EN16931,
    EXTENDED,
    EXTENDED_CTC_FR,
    facturx_flavour_for,
    flavour_for,
    to_cii,
)
from einvoice.write.ubl import to_ubl

__all__ = ["EN16931", "EXTENDED", "EXTENDED_CTC_FR", "facturx_flavour_for", "flavour_for", "to_cii", "to_ubl"]
