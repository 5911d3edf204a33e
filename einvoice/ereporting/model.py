"""The content of a flux 10 report, in the terms of the specification (TT-/TG- numbers).

Plain frozen dataclasses, Decimal money, ``datetime.date`` dates: the writer
turns them into the XML the schemas describe.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

# TT-4: an initial transmission, or one that rectifies (replaces) a previous one.
INITIAL = "IN"
RECTIFYING = "RE"
# TT-10 / TT-15: who sends (an accredited platform) and for whom (the seller or the buyer).
ROLE_PLATFORM = "WK"
ROLE_SELLER = "SE"
ROLE_BUYER = "BY"
# TT-28/29: the profile every 10.1 invoice declares.
EREPORTING_PROFILE = "urn.cpro.gouv.fr:1p0:ereporting"
# TT-81: the categories of B2C daily totals.
CATEGORIES = {
    "TLB1": "goods (livraisons de biens)",
    "TPS1": "services (prestations de services)",
    "TNT1": "not taxable in France",
    "TMA1": "margin scheme",
}


@dataclass(frozen=True)
class Party:
    """An identified company: an id and its scheme (0002 SIREN, 0223 EU outside France, 0227 outside the EU)."""

    id: str
    scheme: str
    name: str = ""
    vat_id: str = ""
    country: str = ""


@dataclass(frozen=True)
class VatAmount:
    """One line of a VAT breakdown (TG-23 / TG-32): base and tax at one rate and category."""

    rate: Decimal
    taxable_amount: Decimal
    tax_amount: Decimal
    category: str = "S"
    exemption_reason: str = ""
    exemption_reason_code: str = ""


@dataclass(frozen=True)
class ReportedInvoice:
    """TG-8: one B2B international invoice (10.1)."""

    number: str
    issue_date: datetime.date
    type_code: str
    currency: str
    billing_frame: str
    seller: Party
    buyer: Party
    total_excl_vat: Decimal
    total_vat: Decimal
    vat: tuple[VatAmount, ...]
    due_date: datetime.date | None = None
    total_vat_eur: Decimal | None = None  # BT-111: the VAT total in euros of an invoice in another currency
    tax_due_date_code: str = ""  # TT-24: "72" when VAT is due on payment, "5" on the invoice date
    preceding: tuple[tuple[str, datetime.date | None], ...] = ()  # TG-11: (number, date) of invoices corrected


@dataclass(frozen=True)
class DailyTransactions:
    """TG-31: the B2C sales of one day and one category (10.3), per VAT rate."""

    date: datetime.date
    category: str
    vat: tuple[VatAmount, ...]
    count: int | None = None
    currency: str = "EUR"
    tax_due_date_code: str = ""

    @property
    def total_excl_vat(self):
        return sum((row.taxable_amount for row in self.vat), Decimal(0))

    @property
    def total_vat(self):
        return sum((row.tax_amount for row in self.vat), Decimal(0))


@dataclass(frozen=True)
class InvoicePayment:
    """TG-34: an amount received on one invoice (10.2), per VAT rate: {rate: amount incl. VAT}."""

    invoice_number: str
    invoice_date: datetime.date
    date: datetime.date
    amounts: tuple[tuple[Decimal, Decimal], ...]


@dataclass(frozen=True)
class DailyPayment:
    """TG-37: the B2C amounts received on one day (10.4), per VAT rate: {rate: amount incl. VAT}."""

    date: datetime.date
    amounts: tuple[tuple[Decimal, Decimal], ...]


@dataclass(frozen=True)
class Report:
    """One transmission: the header (TB-1) and either transactions (TB-2) or payments (TB-3)."""

    id: str
    issued_at: datetime.datetime
    sender: Party  # the accredited platform (scheme 0238, its 4-character number)
    declarant: Party  # the company (scheme 0002, its SIREN)
    declarant_role: str  # SE for sales reports, BY for purchases
    period_start: datetime.date
    period_end: datetime.date
    type_code: str = INITIAL
    name: str = ""
    invoices: tuple[ReportedInvoice, ...] = ()
    daily_transactions: tuple[DailyTransactions, ...] = ()
    invoice_payments: tuple[InvoicePayment, ...] = ()
    daily_payments: tuple[DailyPayment, ...] = ()
    payments: bool = False  # a payments report (TB-3), even when the period received nothing
    sender_role: str = ROLE_PLATFORM
