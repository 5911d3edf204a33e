"""From an engine invoice to the columns of an Invoice row."""

from einvoice.model import Invoice as Document


def siren_of(party):
    """The SIREN of a party: its legal registration (scheme 0002) or its SIRET/SIREN identifiers."""
    candidates = [party.legal_registration] if party.legal_registration else []
    candidates += party.identifiers
    for identifier in candidates:
        value = "".join((identifier.value or "").split())
        if identifier.scheme in (None, "0002") and len(value) == 9 and value.isdigit():
            return value
        if identifier.scheme == "0009" and len(value) == 14 and value.isdigit():
            return value[:9]
    vat = (party.vat_id or "").replace(" ", "").upper()
    if vat.startswith("FR") and len(vat) == 13 and vat[4:].isdigit():
        return vat[4:]
    return ""


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
