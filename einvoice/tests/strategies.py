"""Hypothesis strategies for EN 16931 invoices, reusable by every engine test.

``invoices()`` draws complete invoices whose every term both CII and UBL can
carry (no EXTENDED-only terms); ``invoices(extended=True)`` adds the
EXTENDED-CTC-FR ones. Text is already trimmed and free of characters XML
cannot hold, so a faithful writer/reader pair gives back an equal model.
Totals and the VAT breakdown come from ``Invoice.compute_totals()``.
"""

import datetime
import string
from decimal import Decimal

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from einvoice.model import (
    Address,
    AllowanceCharge,
    Attachment,
    Card,
    Contact,
    CreditTransfer,
    Delivery,
    DirectDebit,
    ExtraParty,
    Identifier,
    Invoice,
    Item,
    ItemAttribute,
    Line,
    Note,
    Party,
    PaymentInstructions,
    Period,
    PrecedingInvoice,
    Price,
    Totals,
)

_ALPHABET = string.ascii_letters + string.digits + " -_.,;:/'&<>\"()éèàçôÉœ€"
EXTRA_ROLES = ("SalesAgent", "BuyerAgent", "Invoicee", "Payer")  # in the order CII holds them
FRENCH_NOTE_CODES = ("PMT", "PMD", "AAB", "BAR", "AAI", "REG", "ABL", "TXD", "SUR")
BILLING_FRAMES = ("B1", "S1", "M1", "B2", "S2", "M2", "S3", "B4", "S4", "M4", "S5", "S6", "B7", "S7")
VAT_RATES = {"S": ("20", "10", "5.5", "2.1"), "Z": ("0",), "E": ("0",), "AE": ("0",), "K": ("0",), "G": ("0",)}
EXEMPT = {"E": ("Exonération", "VATEX-EU-132"), "AE": ("Autoliquidation", "VATEX-EU-AE"),
          "K": ("Livraison intracommunautaire", "VATEX-EU-IC"), "G": ("Exportation", "VATEX-EU-G")}


# Invoices are big: shrinking a failure would take minutes, and the model diff
# already names the terms that changed.
INVOICE_SETTINGS = settings(
    max_examples=30, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def text(max_size=40):
    """Non-empty text without leading/trailing blanks (readers trim), not starting with '#'."""
    return (
        st.text(_ALPHABET, min_size=1, max_size=max_size)
        .map(str.strip)
        .filter(lambda value: value and not value.startswith("#"))
    )


def code(max_size=8):
    return st.text(string.ascii_uppercase + string.digits, min_size=1, max_size=max_size)


def optional(strategy):
    return st.none() | strategy


def decimals(places=2, low="-10000", high="100000"):
    return st.decimals(Decimal(low), Decimal(high), places=places, allow_nan=False, allow_infinity=False)


dates = st.dates(datetime.date(2000, 1, 1), datetime.date(2099, 12, 31))
schemes = st.sampled_from(("0002", "0009", "0225", "0224", "0088", "0060", "0160"))


def identifiers(scheme=None):
    return st.builds(Identifier, code(14), scheme if scheme is not None else optional(schemes))


def schemed_identifiers(scheme_values=("0009", "0224", "0088")):
    return st.builds(Identifier, code(14), st.sampled_from(scheme_values))


addresses = st.builds(
    Address, optional(text()), optional(text()), optional(text()), optional(text()), optional(code(5)),
    optional(text()), st.sampled_from(("FR", "DE", "BE", "IT")),
)
contacts = st.builds(Contact, optional(text()), optional(code(12)), optional(text())).filter(
    lambda contact: contact.name or contact.phone or contact.email
)


def parties(seller=False):
    """A seller, buyer or EXTENDED party; only a seller has a tax registration (BT-32)."""
    return st.builds(
        Party,
        name=text(),
        trading_name=optional(text()),
        identifiers=st.lists(schemed_identifiers(), max_size=3),
        legal_registration=optional(identifiers(st.just("0002"))),
        vat_id=optional(code(13).map(lambda value: "FR" + value)),
        tax_registration_id=optional(code(10)) if seller else st.none(),
        legal_information=optional(text()),
        electronic_address=optional(identifiers(st.just("0225"))),
        address=addresses,
        contact=optional(contacts),
    )


payees = st.builds(
    Party, name=text(), identifiers=st.lists(schemed_identifiers(), max_size=2),
    legal_registration=optional(identifiers(st.just("0002"))),
)
tax_representatives = st.builds(Party, name=text(), vat_id=code(13).map(lambda v: "FR" + v), address=addresses)
notes = st.builds(Note, text(120), optional(st.sampled_from(FRENCH_NOTE_CODES)))
periods = st.builds(Period, optional(dates), optional(dates)).filter(lambda p: p.start or p.end)
deliveries = st.builds(
    Delivery, optional(text()), optional(identifiers()), optional(dates), optional(addresses)
).filter(lambda delivery: delivery.party_name or delivery.location_id or delivery.date or delivery.address)


@st.composite
def payment_instructions(draw):
    means_code = draw(st.sampled_from(("30", "58", "48", "59", "42")))
    return PaymentInstructions(
        means_code=means_code,
        means_text=draw(optional(text())),
        remittance_information=draw(optional(text())),
        credit_transfers=draw(st.lists(
            st.builds(CreditTransfer, code(27), optional(text()), optional(code(11))), max_size=2,
        )) if means_code in ("30", "58", "42") else [],
        card=draw(optional(st.builds(Card, code(6), optional(text())))) if means_code == "48" else None,
        direct_debit=draw(st.builds(DirectDebit, code(20), optional(code(15)), optional(code(27))))
        if means_code == "59" else None,
    )


def vat_choices():
    return st.sampled_from(sorted(VAT_RATES)).flatmap(
        lambda category: st.tuples(st.just(category), st.sampled_from(VAT_RATES[category]).map(Decimal))
    )


def document_allowance_charges(is_charge):
    return st.builds(
        lambda vat, amount, base, percent, reason, reason_code: AllowanceCharge(
            is_charge, amount, base, percent, vat[0], vat[1], reason, reason_code),
        vat_choices(), decimals(low="0", high="1000"), optional(decimals(low="0", high="10000")),
        optional(decimals(low="0", high="100")), optional(text()),
        optional(st.sampled_from(("95", "100", "FC", "ABL"))),
    )


def line_allowance_charges(is_charge):
    return st.builds(
        AllowanceCharge, st.just(is_charge), decimals(low="0", high="100"), optional(decimals(low="0", high="1000")),
        optional(decimals(low="0", high="100")), st.none(), st.none(), optional(text()),
        optional(st.sampled_from(("95", "100", "FC"))),
    )


@st.composite
def prices(draw):
    net = draw(decimals(4, "0", "10000"))
    discount = draw(optional(decimals(4, "0", "100")))
    base_quantity = draw(optional(st.sampled_from((Decimal(1), Decimal(10), Decimal(100)))))
    return Price(
        net_price=net,
        discount=discount,
        gross_price=None if discount is None else net + discount,
        base_quantity=base_quantity,
        base_quantity_unit=None if base_quantity is None else draw(optional(st.sampled_from(("C62", "H87", "KGM")))),
    )


items = st.builds(
    Item,
    name=text(),
    description=optional(text(200)),
    seller_id=optional(code()),
    buyer_id=optional(code()),
    standard_id=optional(identifiers(st.just("0160"))),
    classifications=st.lists(st.builds(Identifier, code(), st.sampled_from(("STI", "CV", "SK")), optional(code(3))),
                             max_size=2),
    origin_country=optional(st.sampled_from(("FR", "CN", "DE"))),
    attributes=st.lists(st.builds(ItemAttribute, text(), text()), max_size=2),
)


@st.composite
def lines(draw, line_id, extended=False):
    category, rate = draw(vat_choices())
    line = Line(
        id=line_id,
        quantity=draw(decimals(4, "-100", "1000")),
        unit_code=draw(st.sampled_from(("C62", "H87", "HUR", "DAY", "KGM"))),
        net_amount=Decimal(0),
        price=draw(prices()),
        item=draw(items),
        vat_category=category,
        vat_rate=rate,
        note=draw(optional(text(120))),
        object_identifier=draw(optional(st.builds(Identifier, code(), optional(st.sampled_from(("AAB", "ABZ")))))),
        order_line_reference=draw(optional(code())),
        accounting_reference=draw(optional(code())),
        period=draw(optional(periods)),
        allowances=draw(st.lists(line_allowance_charges(False), max_size=2)),
        charges=draw(st.lists(line_allowance_charges(True), max_size=1)),
    )
    if extended:
        line.note_subject_code = draw(optional(code(3))) if line.note else None
        line.line_status_code = draw(optional(st.sampled_from(("TYPE_LINE",))))
    return line


@st.composite
def attachments(draw):
    content = draw(optional(st.binary(min_size=1, max_size=64)))
    return Attachment(
        id=draw(code(12)),
        description=draw(optional(text())),
        uri=draw(optional(st.just("https://example.org/annex.pdf"))),
        content=content,
        mime_code="application/pdf" if content is not None else None,
        filename="annexe.pdf" if content is not None else None,
    )


@st.composite
def invoices(draw, extended=False):
    """A consistent invoice (totals computed); EXTENDED-CTC-FR terms only when ``extended``."""
    type_code = draw(st.sampled_from(("380", "381", "384", "386", "389")))
    currency = draw(st.sampled_from(("EUR", "USD")))
    tax_currency = "EUR" if currency != "EUR" else None
    line_count = draw(st.integers(1, 4))
    invoice = Invoice(
        number=draw(code(12)),
        issue_date=draw(dates),
        type_code=type_code,
        currency=currency,
        tax_currency=tax_currency,
        tax_point_date=draw(optional(dates)),
        tax_point_date_code=draw(optional(st.sampled_from(("3", "35", "432")))),
        due_date=draw(optional(dates)),
        buyer_reference=draw(optional(code())),
        project_reference=draw(optional(code())),
        contract_reference=draw(optional(code())),
        purchase_order_reference=draw(optional(code())),
        sales_order_reference=draw(optional(code())),
        receiving_advice_reference=draw(optional(code())),
        despatch_advice_reference=draw(optional(code())),
        tender_reference=draw(optional(code())),
        invoiced_object_identifier=draw(optional(st.builds(Identifier, code(), optional(st.just("AAB"))))),
        buyer_accounting_reference=draw(optional(code())),
        payment_terms=draw(optional(text(120))),
        notes=draw(st.lists(notes, max_size=4)),
        business_process=draw(st.sampled_from(BILLING_FRAMES)),
        specification_id="urn:cen.eu:en16931:2017",
        preceding_invoices=draw(st.lists(st.builds(PrecedingInvoice, code(12), optional(dates)), max_size=2)),
        seller=draw(parties(seller=True)),
        buyer=draw(parties()),
        payee=draw(optional(payees)),
        tax_representative=draw(optional(tax_representatives)),
        delivery=draw(optional(deliveries)),
        invoicing_period=draw(optional(periods)),
        payment_instructions=draw(optional(payment_instructions())),
        allowances=draw(st.lists(document_allowance_charges(False), max_size=2)),
        charges=draw(st.lists(document_allowance_charges(True), max_size=2)),
        totals=Totals(prepaid=draw(optional(decimals(low="0", high="100"))),
                      rounding=draw(optional(decimals(low="-0.99", high="0.99")))),
        attachments=draw(st.lists(attachments(), max_size=2)),
        lines=[draw(lines(str(index + 1), extended)) for index in range(line_count)],
    )
    if invoice.project_reference:
        invoice.project_name = draw(text())  # CII pairs BT-11 with a project name
    invoice.compute_totals(exemption_reasons=EXEMPT)
    if tax_currency:
        invoice.totals.tax_total_accounting = draw(decimals(low="0", high="100000"))
    if extended:
        invoice.specification_id = "urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr"
        for preceding in invoice.preceding_invoices:
            preceding.type_code = draw(optional(st.sampled_from(("380", "386"))))
        roles = st.sampled_from(EXTRA_ROLES)
        extras = draw(st.lists(st.builds(ExtraParty, roles, parties()), max_size=2, unique_by=lambda e: e.role))
        invoice.extra_parties = sorted(extras, key=lambda extra: EXTRA_ROLES.index(extra.role))
    return invoice
