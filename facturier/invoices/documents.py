"""From an engine invoice to the columns of an Invoice row."""

from einvoice.model import Invoice as Document
from facturier import identifiers


def siren_of(party):
    """The SIREN of a party: its legal registration (scheme 0002), its SIRET/SIREN identifiers, its VAT number."""
    candidates = [party.legal_registration] if party.legal_registration else []
    candidates += party.identifiers
    for identifier in candidates:
        if identifier.scheme in (None, "0002") and (siren := identifiers.siren(identifier.value)):
            return siren
        if identifier.scheme == "0009" and (siren := identifiers.siren_of_siret(identifier.value)):
            return siren
    return identifiers.siren_of_vat(party.vat_id)


def row_fields(document: Document):
    """The searchable, countable terms of ``document`` for an Invoice row."""
    totals = document.totals
    return {
        "number": document.number,
        "issue_date": document.issue_date,
        "due_date": document.due_date,
        "type_code": document.type_code,
        "is_credit_note": document.is_credit_note,
        "currency": document.currency,
        "billing_frame": (document.business_process or "")[:50],
        "seller_name": document.seller.name or "",
        "seller_siren": siren_of(document.seller),
        "seller_vat": (document.seller.vat_id or "").replace(" ", "").upper(),
        "buyer_name": document.buyer.name or "",
        "buyer_siren": siren_of(document.buyer),
        "buyer_vat": (document.buyer.vat_id or "").replace(" ", "").upper(),
        "total_excl_vat": totals.tax_exclusive,
        "total_vat": totals.tax_total or 0,
        "total_incl_vat": totals.tax_inclusive,
        "amount_due": totals.payable,
    }
