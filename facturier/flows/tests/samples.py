"""Files a dossier's software sends through the API: its sales invoices and lifecycle statuses."""

import datetime

from einvoice.facturx import to_facturx
from einvoice.lifecycle import LifecycleStatus, build_cdar, message_for_invoice, paid_amount
from einvoice.read import read_invoice
from einvoice.write import to_cii, to_ubl
from facturier.invoices.receiving.tests.receiving_samples import purchase_document

WRITERS = {"CII": to_cii, "UBL": to_ubl, "Factur-X": lambda document: to_facturx(document, "fr")}


def sales_document(seller, buyer_siren, *, number="API-2026-001"):
    """A valid invoice from the dossier ``seller`` to the company ``buyer_siren``."""
    return purchase_document(buyer_siren, number=number, seller_siren=seller.siren, seller_name=seller.name)


def sales_invoice(seller, buyer_siren, *, number="API-2026-001", syntax="CII"):
    return WRITERS[syntax](sales_document(seller, buyer_siren, number=number))


def invalid_invoice(seller, buyer_siren):
    """A CII the French rules refuse: no billing frame BT-23 and no buyer electronic address."""
    document = sales_document(seller, buyer_siren, number="API-BAD-1")
    document.buyer.electronic_address = None
    document.business_process = None
    return to_cii(document)


def status_message(invoice_file, status, *, set_by="buyer", reason_code=None, amount=None):
    """The CDAR of ``status`` on the invoice ``invoice_file``, as the party ``set_by`` sends it."""
    document = read_invoice(invoice_file)
    details = {"reason_code": reason_code} if reason_code else {}
    if amount is not None:
        details["characteristics"] = (paid_amount(amount, document.vat_breakdown[0].rate, document.currency),)
    message = message_for_invoice(document, LifecycleStatus(status), set_by=set_by,
                                  issued_at=datetime.datetime.now(datetime.UTC), **details)
    return build_cdar(message)
