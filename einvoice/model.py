"""The EN 16931 semantic model of an invoice, independent of CII and UBL.

Every business group (BG-n) is a dataclass and every business term (BT-n) a
field, named in English with its BT/BG number in the comment so that readers,
writers, validators and renderers agree on one vocabulary. Money, quantities
and rates are ``Decimal``; dates are ``datetime.date``; an absent optional term
is ``None`` (or an empty list for repeatable groups).

What the French profiles add (billing frame BT-23, subject-coded notes,
EXTENDED-CTC-FR sub-lines and extra parties) lives in the same classes: those
terms are carried, never interpreted here.

``Invoice.compute_totals()`` derives the document totals (BG-22) and the VAT
breakdown (BG-23) from lines, allowances and charges following BR-CO-10..17,
so that an invoice built from a form is consistent by construction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")

# UNTDID 1001 document types that are credit notes (UBL CreditNote root).
CREDIT_NOTE_TYPE_CODES = frozenset({"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"})

# ISO 6523 ICD schemes of French identifiers.
SCHEME_SIREN = "0002"
SCHEME_SIRET = "0009"
SCHEME_ROUTING_CODE = "0224"
SCHEME_ELECTRONIC_ADDRESS = "0225"

# French note subject codes (UNTDID 4451) the reform makes mandatory or common.
NOTE_PAYMENT_TERMS_PENALTIES = "PMD"  # late payment penalties
NOTE_RECOVERY_FEE = "PMT"  # flat recovery fee (40 EUR)
NOTE_NO_DISCOUNT = "AAB"  # early payment discount terms
NOTE_BILLING_ADDRESS = "BAR"  # treatment of the invoice by the buyer's platform


def round_amount(value):
    """Round half up to two decimals, the way EN 16931 rounds every amount."""
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class Identifier:
    """An identifier with its optional scheme (ISO 6523 ICD such as 0002 SIREN,
    0009 SIRET, 0225 French electronic address, 0224 routing code, or EAS)."""

    value: str
    scheme: str | None = None
    scheme_version: str | None = None  # BT-158-2 (classification list version) only


@dataclass
class Note:  # BG-1
    text: str  # BT-22
    subject_code: str | None = None  # BT-21 (PMT, PMD, AAB, BAR, ...)


@dataclass
class PrecedingInvoice:  # BG-3
    number: str  # BT-25
    issue_date: datetime.date | None = None  # BT-26
    type_code: str | None = None  # EXTENDED-CTC-FR: type of the referenced invoice


@dataclass
class Address:  # BG-5, BG-8, BG-10 (EXTENDED), BG-12, BG-15
    line1: str | None = None  # BT-35 / BT-50 / BT-64 / BT-75
    line2: str | None = None  # BT-36 / BT-51 / BT-65 / BT-76
    line3: str | None = None  # BT-162 / BT-163 / BT-164 / BT-165
    city: str | None = None  # BT-37 / BT-52 / BT-66 / BT-77
    postcode: str | None = None  # BT-38 / BT-53 / BT-67 / BT-78
    country_subdivision: str | None = None  # BT-39 / BT-54 / BT-68 / BT-79
    country_code: str | None = None  # BT-40 / BT-55 / BT-69 / BT-80


@dataclass
class Contact:  # BG-6, BG-9
    name: str | None = None  # BT-41 / BT-56
    phone: str | None = None  # BT-42 / BT-57
    email: str | None = None  # BT-43 / BT-58
    department: str | None = None  # CII DepartmentName (also BT-41 / BT-56 in CII)


@dataclass
class Party:
    """Seller (BG-4), buyer (BG-7), payee (BG-10), tax representative (BG-11),
    or one of the extra parties of EXTENDED profiles."""

    name: str | None = None  # BT-27 / BT-44 / BT-59 / BT-62
    trading_name: str | None = None  # BT-28 / BT-45
    identifiers: list[Identifier] = field(default_factory=list)  # BT-29 / BT-46 / BT-60
    legal_registration: Identifier | None = None  # BT-30 / BT-47 / BT-61 (SIREN: scheme 0002)
    vat_id: str | None = None  # BT-31 / BT-48 / BT-63
    tax_registration_id: str | None = None  # BT-32 (seller, scheme FC)
    legal_information: str | None = None  # BT-33
    electronic_address: Identifier | None = None  # BT-34 / BT-49 (scheme 0225 in France)
    address: Address | None = None  # BG-5 / BG-8 / BG-12
    contact: Contact | None = None  # BG-6 / BG-9

    @property
    def siren(self):
        """The SIREN (BT-30/47 with scheme 0002), as French rules and registries need it."""
        registration = self.legal_registration
        return registration.value if registration and registration.scheme == SCHEME_SIREN else None

    @property
    def siret(self):
        return self.identifier(SCHEME_SIRET)

    @property
    def routing_code(self):
        return self.identifier(SCHEME_ROUTING_CODE)

    def identifier(self, scheme):
        """The first identifier (BT-29/46/60) of ``scheme``, or None."""
        return next((i.value for i in self.identifiers if i.scheme == scheme), None)


@dataclass
class ExtraParty:
    """A party only EXTENDED profiles carry (seller agent, invoicer, invoicee,
    payer, ...); ``role`` names its element, e.g. ``"invoicee"``."""

    role: str
    party: Party


@dataclass
class Period:  # BG-14, BG-26
    start: datetime.date | None = None  # BT-73 / BT-134
    end: datetime.date | None = None  # BT-74 / BT-135


@dataclass
class Delivery:  # BG-13
    party_name: str | None = None  # BT-70
    location_id: Identifier | None = None  # BT-71
    date: datetime.date | None = None  # BT-72
    address: Address | None = None  # BG-15


@dataclass
class CreditTransfer:  # BG-17
    account_id: str  # BT-84 (IBAN or other account)
    account_name: str | None = None  # BT-85
    service_provider_id: str | None = None  # BT-86 (BIC)
    proprietary_id: bool = False  # BT-84 given as a proprietary id rather than an IBAN (CII)


@dataclass
class Card:  # BG-18
    account_number: str  # BT-87 (last digits of the primary account number)
    holder_name: str | None = None  # BT-88
    network_id: str | None = None  # CII CardNetworkID / UBL NetworkID


@dataclass
class DirectDebit:  # BG-19
    mandate_reference: str | None = None  # BT-89
    creditor_id: str | None = None  # BT-90 (bank assigned creditor identifier)
    debited_account_id: str | None = None  # BT-91


@dataclass
class PaymentInstructions:  # BG-16
    means_code: str  # BT-81 (UNTDID 4461: 30, 58 credit transfer, 48 card, 59 direct debit, ...)
    means_text: str | None = None  # BT-82
    remittance_information: str | None = None  # BT-83
    credit_transfers: list[CreditTransfer] = field(default_factory=list)  # BG-17
    card: Card | None = None  # BG-18
    direct_debit: DirectDebit | None = None  # BG-19


@dataclass
class AllowanceCharge:
    """Document allowance (BG-20) or charge (BG-21), or line allowance (BG-27)
    or charge (BG-28); line ones carry no VAT category."""

    is_charge: bool
    amount: Decimal  # BT-92 / BT-99 / BT-136 / BT-141
    base_amount: Decimal | None = None  # BT-93 / BT-100 / BT-137 / BT-142
    percentage: Decimal | None = None  # BT-94 / BT-101 / BT-138 / BT-143
    vat_category: str | None = None  # BT-95 / BT-102 (document level only)
    vat_rate: Decimal | None = None  # BT-96 / BT-103 (document level only)
    reason: str | None = None  # BT-97 / BT-104 / BT-139 / BT-144
    reason_code: str | None = None  # BT-98 / BT-105 / BT-140 / BT-145
    # EXTENDED (document level): the VAT exemption reason of the allowance or charge.
    vat_exemption_reason: str | None = None
    vat_exemption_reason_code: str | None = None


@dataclass
class Totals:  # BG-22
    line_total: Decimal = Decimal(0)  # BT-106
    allowance_total: Decimal | None = None  # BT-107
    charge_total: Decimal | None = None  # BT-108
    tax_exclusive: Decimal = Decimal(0)  # BT-109
    tax_total: Decimal | None = None  # BT-110 (in BT-5 currency)
    tax_total_accounting: Decimal | None = None  # BT-111 (in BT-6 currency)
    tax_inclusive: Decimal = Decimal(0)  # BT-112
    prepaid: Decimal | None = None  # BT-113
    rounding: Decimal | None = None  # BT-114
    payable: Decimal = Decimal(0)  # BT-115


@dataclass
class VatBreakdown:  # BG-23
    taxable_amount: Decimal  # BT-116
    tax_amount: Decimal  # BT-117
    category: str  # BT-118 (UNCL 5305: S, Z, E, AE, K, G, O, L, M)
    rate: Decimal | None = None  # BT-119
    exemption_reason: str | None = None  # BT-120
    exemption_reason_code: str | None = None  # BT-121 (VATEX)


@dataclass
class Attachment:  # BG-24
    id: str  # BT-122
    description: str | None = None  # BT-123
    uri: str | None = None  # BT-124
    content: bytes | None = None  # BT-125
    mime_code: str | None = None  # BT-125-1
    filename: str | None = None  # BT-125-2


@dataclass
class ItemAttribute:  # BG-32
    name: str  # BT-160
    value: str  # BT-161


@dataclass
class Item:  # BG-31
    name: str  # BT-153
    description: str | None = None  # BT-154
    seller_id: str | None = None  # BT-155
    buyer_id: str | None = None  # BT-156
    standard_id: Identifier | None = None  # BT-157 (scheme: ISO 6523 ICD, e.g. 0160 GTIN)
    classifications: list[Identifier] = field(default_factory=list)  # BT-158 (scheme: UNTDID 7143)
    origin_country: str | None = None  # BT-159
    attributes: list[ItemAttribute] = field(default_factory=list)  # BG-32


@dataclass
class Price:  # BG-29
    net_price: Decimal  # BT-146
    discount: Decimal | None = None  # BT-147
    gross_price: Decimal | None = None  # BT-148
    base_quantity: Decimal | None = None  # BT-149
    base_quantity_unit: str | None = None  # BT-150


@dataclass
class Line:  # BG-25
    id: str  # BT-126
    quantity: Decimal  # BT-129
    unit_code: str  # BT-130 (UN/ECE rec 20)
    net_amount: Decimal  # BT-131
    price: Price  # BG-29
    item: Item  # BG-31
    vat_category: str  # BT-151
    vat_rate: Decimal | None = None  # BT-152
    note: str | None = None  # BT-127
    note_subject_code: str | None = None  # EXTENDED: subject of the line note
    object_identifier: Identifier | None = None  # BT-128
    order_line_reference: str | None = None  # BT-132
    accounting_reference: str | None = None  # BT-133
    period: Period | None = None  # BG-26
    allowances: list[AllowanceCharge] = field(default_factory=list)  # BG-27
    charges: list[AllowanceCharge] = field(default_factory=list)  # BG-28
    # EXTENDED / EXTENDED-CTC-FR: sub-lines and line status.
    parent_line_id: str | None = None
    line_status_code: str | None = None
    line_status_reason_code: str | None = None
    # EXTENDED: the line's VAT exemption reason (BT-X-96 / BT-X-97).
    vat_exemption_reason: str | None = None
    vat_exemption_reason_code: str | None = None

    def compute_net_amount(self):
        """BT-131 = quantity × (net price ÷ base quantity) − allowances + charges (BR-LIN-04)."""
        base = self.price.base_quantity or Decimal(1)
        amount = self.quantity * self.price.net_price / base
        amount += sum((c.amount for c in self.charges), Decimal(0))
        amount -= sum((a.amount for a in self.allowances), Decimal(0))
        return round_amount(amount)


@dataclass
class Invoice:
    number: str  # BT-1
    issue_date: datetime.date  # BT-2
    type_code: str = "380"  # BT-3 (UNTDID 1001: 380 invoice, 381 credit note, 384 corrective, 386 prepayment)
    currency: str = "EUR"  # BT-5
    tax_currency: str | None = None  # BT-6
    tax_point_date: datetime.date | None = None  # BT-7
    tax_point_date_code: str | None = None  # BT-8 (UNTDID 2005: 3 issue, 35 delivery, 432 paid — VAT on debits)
    due_date: datetime.date | None = None  # BT-9
    buyer_reference: str | None = None  # BT-10
    project_reference: str | None = None  # BT-11
    project_name: str | None = None  # CII ProjectName accompanying BT-11
    contract_reference: str | None = None  # BT-12
    purchase_order_reference: str | None = None  # BT-13
    sales_order_reference: str | None = None  # BT-14
    receiving_advice_reference: str | None = None  # BT-15
    despatch_advice_reference: str | None = None  # BT-16
    tender_reference: str | None = None  # BT-17
    invoiced_object_identifier: Identifier | None = None  # BT-18
    buyer_accounting_reference: str | None = None  # BT-19
    payment_terms: str | None = None  # BT-20
    notes: list[Note] = field(default_factory=list)  # BG-1
    business_process: str | None = None  # BT-23 (French billing frame: B1, S1, M1, ...)
    specification_id: str = "urn:cen.eu:en16931:2017"  # BT-24
    preceding_invoices: list[PrecedingInvoice] = field(default_factory=list)  # BG-3
    seller: Party = field(default_factory=Party)  # BG-4
    buyer: Party = field(default_factory=Party)  # BG-7
    payee: Party | None = None  # BG-10
    tax_representative: Party | None = None  # BG-11
    extra_parties: list[ExtraParty] = field(default_factory=list)  # EXTENDED-only parties
    delivery: Delivery | None = None  # BG-13
    invoicing_period: Period | None = None  # BG-14
    payment_instructions: PaymentInstructions | None = None  # BG-16
    allowances: list[AllowanceCharge] = field(default_factory=list)  # BG-20
    charges: list[AllowanceCharge] = field(default_factory=list)  # BG-21
    totals: Totals = field(default_factory=Totals)  # BG-22
    vat_breakdown: list[VatBreakdown] = field(default_factory=list)  # BG-23
    attachments: list[Attachment] = field(default_factory=list)  # BG-24
    lines: list[Line] = field(default_factory=list)  # BG-25
    # Where the invoice came from (not business terms: ignored by ==).
    source_syntax: str | None = field(default=None, compare=False)  # "CII", "UBL", "Factur-X"
    source_profile: str | None = field(default=None, compare=False)  # detect.Profile value

    @property
    def is_credit_note(self):
        return self.type_code in CREDIT_NOTE_TYPE_CODES

    def notes_with_subject(self, code):
        return [note.text for note in self.notes if note.subject_code == code]

    def compute_totals(self, *, exemption_reasons=None):
        """Recompute line amounts, BG-22 and BG-23 from lines, allowances and charges.

        Follows BR-CO-10..17 (and BR-CO-13/15/16): amounts are summed exactly and
        each VAT category/rate group's tax is its taxable amount × rate, rounded
        to two decimals. Prepaid (BT-113) and rounding (BT-114) amounts are kept.
        ``exemption_reasons`` maps a category code to ``(reason, reason_code)``
        for BT-120/121; by default those already on the breakdown are kept.
        """
        for line in self.lines:
            line.net_amount = line.compute_net_amount()
        totals = self.totals
        totals.line_total = sum((line.net_amount for line in self.lines), Decimal(0))
        totals.allowance_total = _sum_or_none(self.allowances)
        totals.charge_total = _sum_or_none(self.charges)
        totals.tax_exclusive = (
            totals.line_total - (totals.allowance_total or Decimal(0)) + (totals.charge_total or Decimal(0))
        )
        self.vat_breakdown = self._compute_vat_breakdown(exemption_reasons)
        totals.tax_total = sum((vat.tax_amount for vat in self.vat_breakdown), Decimal(0))
        totals.tax_inclusive = totals.tax_exclusive + totals.tax_total
        totals.payable = (
            totals.tax_inclusive - (totals.prepaid or Decimal(0)) + (totals.rounding or Decimal(0))
        )
        return totals

    def _compute_vat_breakdown(self, exemption_reasons):
        known = {(vat.category, _rate_key(vat.rate)): vat for vat in self.vat_breakdown}
        reasons = dict(exemption_reasons or {})
        groups = {}
        for line in self.lines:
            _add(groups, line.vat_category, line.vat_rate, line.net_amount)
        for allowance in self.allowances:
            _add(groups, allowance.vat_category, allowance.vat_rate, -allowance.amount)
        for charge in self.charges:
            _add(groups, charge.vat_category, charge.vat_rate, charge.amount)
        breakdown = []
        for (category, rate_key), (rate, taxable) in groups.items():
            previous = known.get((category, rate_key))
            reason, reason_code = reasons.get(
                category, (previous.exemption_reason, previous.exemption_reason_code) if previous else (None, None)
            )
            tax = round_amount(taxable * (rate or Decimal(0)) / 100)
            breakdown.append(VatBreakdown(round_amount(taxable), tax, category, rate, reason, reason_code))
        return breakdown


def _rate_key(rate):
    return None if rate is None else rate.normalize()


def _add(groups, category, rate, amount):
    key = (category, _rate_key(rate))
    previous_rate, total = groups.get(key, (rate, Decimal(0)))
    groups[key] = (previous_rate, total + amount)


def _sum_or_none(items):
    return sum((item.amount for item in items), Decimal(0)) if items else None
