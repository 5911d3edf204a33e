"""From a draft (the issuing form's data) to the engine's invoice.

A draft is the JSON the form saves on ``Invoice.draft``: plain strings and
lists, so a half-filled form survives a round trip and a later session.
The seller is always the dossier itself; the buyer is the customer as the
dossier keeps it. Totals are never taken from the form: the engine computes
them (``Invoice.compute_totals``) the way EN 16931 does.

Two terms the form leaves implicit are stated: the delivery date (BT-72) is
the invoice date unless another one is typed (French law asks for the date of
the supply only when it differs from the invoice date, so an invoice without
one states a supply on that date), which also gives CII's mandatory delivery
element content; and an invoice filed under an "already paid" billing frame
(B2, S2, M2) has been paid in full (BT-113 = BT-112, BR-FR-CO-09).
"""

import datetime
from decimal import Decimal

from einvoice.model import (
    Address,
    AllowanceCharge,
    Contact,
    CreditTransfer,
    Delivery,
    Identifier,
    Item,
    Line,
    Note,
    Party,
    PaymentInstructions,
    PrecedingInvoice,
    Price,
)
from einvoice.model import (
    Invoice as Document,
)
from facturier.formats import parse_decimal
from facturier.invoices.issuing.terms import EXEMPTIONS, VAT_ON_DEBITS_CODE, split_vat

PLACEHOLDER_NUMBER = "BROUILLON"
ALREADY_PAID_FRAMES = frozenset({"B2", "S2", "M2"})
LARGEST = Decimal("1e15")  # beyond any invoice; keeps a typo from overflowing the totals


def build_document(draft, *, dossier, customer, number=None, preceding=None):
    """The engine invoice a draft describes; ``number`` is BT-1 once allocated."""
    lines = [_line(index, data) for index, data in enumerate(draft.get("lines", []), start=1)]
    only_out_of_scope = bool(lines) and all(line.vat_category == "O" for line in lines)
    issue_date = _date(draft.get("issue_date")) or datetime.date.today()
    document = Document(
        number=number or PLACEHOLDER_NUMBER,
        issue_date=issue_date,
        type_code=draft.get("type_code") or "380",
        due_date=_date(draft.get("due_date")),
        tax_point_date_code=VAT_ON_DEBITS_CODE if draft.get("vat_on_debits") else None,
        buyer_reference=draft.get("buyer_reference") or None,
        purchase_order_reference=draft.get("purchase_order_reference") or None,
        payment_terms=draft.get("payment_terms") or None,
        notes=[Note(draft[key], code) for key, code in (("note_pmt", "PMT"), ("note_pmd", "PMD"),
                                                         ("note_aab", "AAB")) if draft.get(key)],
        business_process=draft.get("billing_frame") or None,
        seller=seller_party(dossier, with_vat=not only_out_of_scope),
        buyer=buyer_party(customer, with_vat=not only_out_of_scope) if customer else Party(),
        delivery=_delivery(draft, issue_date),
        payment_instructions=_payment(draft, dossier),
        lines=lines,
    )
    if preceding is not None:
        document.preceding_invoices = [PrecedingInvoice(preceding.number, preceding.issue_date)]
    for data in draft.get("adjustments", []):
        adjustment = _adjustment(data)
        (document.charges if adjustment.is_charge else document.allowances).append(adjustment)
    totals = document.compute_totals(exemption_reasons=exemption_reasons(draft))
    if document.business_process in ALREADY_PAID_FRAMES:
        totals.prepaid, totals.payable = totals.tax_inclusive, totals.payable - totals.tax_inclusive
    return document


def seller_party(dossier, *, with_vat=True):
    """BG-4: the dossier, identified by its SIREN (BT-30, 0002) and electronic address (BT-34, 0225)."""
    siren = dossier.siren or None
    return Party(
        name=dossier.name,
        legal_registration=Identifier(siren, "0002") if siren else None,
        legal_information=dossier.legal_mentions or None,
        vat_id=(dossier.vat_number or None) if with_vat else None,
        electronic_address=Identifier(siren, "0225") if siren else None,
        contact=seller_contact(dossier),
        address=Address(dossier.address or None, city=dossier.city or None, postcode=dossier.postal_code or None,
                        country_code=dossier.country or "FR"),
    )


def seller_contact(dossier):
    """BG-6, from the company's billing contact (its "Société" page), when it has one."""
    if not (dossier.contact_name or dossier.contact_phone or dossier.contact_email):
        return None
    return Contact(name=dossier.contact_name or None, phone=dossier.contact_phone or None,
                   email=dossier.contact_email or None)


def buyer_party(customer, *, with_vat=True):
    """BG-7: the customer; its electronic address (BT-49) defaults to its SIREN under scheme 0225."""
    siren = customer.siren or None
    address = customer.electronic_address or siren
    scheme = customer.electronic_address_scheme or "0225"
    return Party(
        name=customer.name,
        legal_registration=Identifier(siren, "0002") if siren else None,
        vat_id=(customer.vat_number or None) if with_vat else None,
        electronic_address=Identifier(address, scheme) if address else None,
        address=Address(customer.address or None, city=customer.city or None,
                        postcode=customer.postal_code or None, country_code=customer.country or "FR"),
    )


def exemption_reasons(draft):
    """BT-120/121 per category: implied by AE, K, G, O; the seller's own words for E."""
    reasons = {category: (str(text), code) for category, (text, code) in EXEMPTIONS.items()}
    for data in draft.get("lines", []):
        category, _rate = split_vat(data.get("vat") or "S:20")
        if category == "E" and data.get("exemption_reason"):
            reasons.setdefault("E", (data["exemption_reason"], None))
    return reasons


def _line(index, data):
    category, rate = split_vat(data.get("vat") or "S:20")
    return Line(
        id=str(index),
        quantity=_decimal(data.get("quantity"), "1"),
        unit_code=data.get("unit") or "C62",
        net_amount=Decimal("0"),
        price=Price(_decimal(data.get("unit_price"))),
        item=Item(name=data.get("description") or ""),
        vat_category=category,
        vat_rate=rate,
    )


def _adjustment(data):
    category, rate = split_vat(data.get("vat") or "S:20")
    return AllowanceCharge(
        is_charge=data.get("kind") == "charge",
        amount=_decimal(data.get("amount")),
        vat_category=category,
        vat_rate=rate,
        reason=data.get("reason") or None,
    )


def _delivery(draft, issue_date):
    address = None
    if draft.get("delivery_address"):
        address = Address(draft["delivery_address"], city=draft.get("delivery_city") or None,
                          postcode=draft.get("delivery_postal_code") or None,
                          country_code=draft.get("delivery_country") or "FR")
    return Delivery(party_name=draft.get("delivery_name") or None,
                    date=_date(draft.get("delivery_date")) or issue_date, address=address)


def _payment(draft, dossier):
    means = draft.get("payment_means") or "58"
    transfers = []
    if means in ("58", "30") and dossier.iban:
        transfers = [CreditTransfer("".join(dossier.iban.split()).upper(), dossier.name, dossier.bic or None)]
    return PaymentInstructions(means, credit_transfers=transfers)


def _date(value):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _decimal(value, default="0"):
    """A decimal as typed ("100,50", "1 000.5"); what is not a sensible number counts as ``default``."""
    try:
        number = parse_decimal(value if value not in (None, "") else default)
    except ValueError:
        return Decimal(default)
    return number if abs(number) < LARGEST else Decimal(default)
