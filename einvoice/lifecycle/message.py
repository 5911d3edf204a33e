"""What a lifecycle message says, independent of its CDAR encoding."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from einvoice.errors import EInvoiceError
from einvoice.lifecycle.statuses import (
    B2G_REFUSAL_REASONS,
    CHARACTERISTIC_TYPES,
    GUIDELINE,
    PARTY_ROLES,
    PROCESSING,
    REASONS,
    REASONS_BY_STATUS,
    REQUESTED_ACTIONS,
    TRANSMISSION,
    LifecycleStatus,
)

PAID_AMOUNT = "MEN"  # MDT-207 type of the amount received, one per VAT rate (status 212)


class InvalidLifecycleMessage(EInvoiceError, ValueError):
    """The message breaks a French lifecycle rule and would be refused downstream."""

    rule = "invalid-lifecycle-message"


@dataclass(frozen=True)
class CdarParty:
    """A party of the message header: who creates it, who sets the status, who receives it."""

    role: str  # UNCL 3035: SE seller, BY buyer, WK platform, DFH PPF data hub, ...
    id: str | None = None  # MDT-38 / MDT-57 (GlobalID)
    id_scheme: str | None = "0002"  # ISO 6523: 0002 SIREN, 0238 platform number
    name: str | None = None
    electronic_address: str | None = None  # MDT-73
    electronic_address_scheme: str = "0225"


@dataclass(frozen=True)
class Characteristic:
    """A detail of the status (MDG-43): an amount received, a value in dispute, ..."""

    type_code: str  # MDT-207: MEN amount received, MPA amount paid, DIV disputed value, DVA expected value...
    amount: Decimal | None = None  # MDT-215
    currency: str = "EUR"
    percent: Decimal | None = None  # MDT-224 (the VAT rate of an amount received)
    business_term: str | None = None  # e.g. "BT-152"
    name: str | None = None
    location: str | None = None  # XPath of the term in the invoice
    value_changed: bool = False
    date: datetime.date | None = None


def paid_amount(amount, vat_rate, currency="EUR"):
    """The amount received at one VAT rate, as status 212 (Encaissée) carries it."""
    return Characteristic(PAID_AMOUNT, Decimal(amount), currency, Decimal(vat_rate))


@dataclass(frozen=True)
class LifecycleMessage:
    """One status of one invoice, sent by ``issuer`` to ``recipients``.

    Times are timezone-aware; CDAR carries them without zone, as UTC.
    """

    invoice_number: str  # BT-1 / MDT-87
    invoice_issue_date: datetime.date | None  # BT-2 / MDT-100 (may lack only for 501)
    status: LifecycleStatus  # MDT-105
    seller_id: str | None  # BT-30 / MDT-129: the seller's SIREN
    issuer: CdarParty  # MDT-38..40: who sets the status
    recipients: tuple[CdarParty, ...]  # MDG-14
    issued_at: datetime.datetime  # MDT-8: when the message was created
    sender: CdarParty = CdarParty("WK", id=None)  # MDT-21: the platform creating the message
    status_at: datetime.datetime | None = None  # MDT-78: when the status was set
    invoice_received_at: datetime.datetime | None = None  # MDT-95
    invoice_type_code: str = "380"  # BT-3 / MDT-91
    seller_id_scheme: str = "0002"
    reason_code: str | None = None  # MDT-113
    reason_text: str | None = None  # MDT-114
    requested_action_code: str | None = None  # MDT-121
    requested_action: str | None = None
    note: str | None = None  # MDT-126
    characteristics: tuple[Characteristic, ...] = field(default_factory=tuple)  # MDG-43
    message_id: str | None = None  # MDT-4 (derived from invoice, status and time when absent)
    name: str | None = None  # MDT-5
    business_process: str = "REGULATED"  # MDT-2
    guideline: str = GUIDELINE  # MDT-3

    @property
    def phase(self):
        """MDT-77: the status's own phase, or for a status of unknown meaning the setter's (a platform: 305)."""
        return LifecycleStatus(self.status).phase or (TRANSMISSION if self.issuer.role == "WK" else PROCESSING)

    @property
    def amount(self):
        """The total amount received (status 212), or ``None`` when the message carries none."""
        paid = [c.amount for c in self.characteristics if c.type_code == PAID_AMOUNT and c.amount is not None]
        return sum(paid, Decimal("0")) if paid else None

    @property
    def buyer(self):
        return next((p for p in (self.issuer, *self.recipients) if p.role == "BY"), None)

    @property
    def buyer_id(self):
        return self.buyer.id if self.buyer else None

    @property
    def reason_label(self):
        return self.reason_text or REASONS.get(self.reason_code or "")


def check(message):
    """Raise :class:`InvalidLifecycleMessage` when ``message`` breaks a French rule."""
    status = LifecycleStatus(message.status)
    if status.requires_reason and not message.reason_code:
        raise InvalidLifecycleMessage(
            f"status {status.value} ({status.label}) requires a reason code (BR-FR-CDV-15)")
    if message.reason_code:
        _check_reason(message, status)
    if message.requested_action_code and message.requested_action_code not in REQUESTED_ACTIONS:
        raise InvalidLifecycleMessage(f"unknown requested action {message.requested_action_code!r} (BR-FR-CDV-CL-10)")
    if status is LifecycleStatus.ENCAISSEE:
        paid = [c for c in message.characteristics if c.type_code == PAID_AMOUNT]
        if not paid or any(c.amount is None or c.percent is None for c in paid):
            raise InvalidLifecycleMessage(
                "status 212 (Encaissée) requires the amount received and its VAT rate (BR-FR-CDV-14)")
    for characteristic in message.characteristics:
        if characteristic.type_code not in CHARACTERISTIC_TYPES:
            raise InvalidLifecycleMessage(f"unknown characteristic type {characteristic.type_code!r} (BR-FR-CDV-CL-11)")
    _check_parties(message, status)
    if message.invoice_issue_date is None and status is not LifecycleStatus.IRRECEVABLE:
        raise InvalidLifecycleMessage("the invoice issue date is required (BR-FR-CDV-11)")
    if not message.seller_id and status is not LifecycleStatus.IRRECEVABLE:
        raise InvalidLifecycleMessage("the seller's SIREN is required (BR-FR-CDV-13)")


def _check_reason(message, status):
    if message.reason_code not in REASONS:
        raise InvalidLifecycleMessage(f"unknown reason code {message.reason_code!r} (BR-FR-CDV-CL-09)")
    allowed = REASONS_BY_STATUS.get(status)
    if status is LifecycleStatus.REFUSEE and message.sender.id_scheme == "0238" and message.sender.id == "9999":
        allowed = B2G_REFUSAL_REASONS
    if allowed is not None and message.reason_code not in allowed:
        raise InvalidLifecycleMessage(
            f"reason {message.reason_code} is not allowed for status {status.value} ({status.label}) (BR-FR-CDV-CL-09)")


def _check_parties(message, status):
    parties = (message.sender, message.issuer, *message.recipients)
    if not message.recipients:
        raise InvalidLifecycleMessage("a lifecycle message needs at least one recipient")
    for party in parties:
        if party.role not in PARTY_ROLES:
            raise InvalidLifecycleMessage(f"unknown party role {party.role!r} (BR-FR-CDV-CL-04)")
    if message.phase == PROCESSING:
        if message.issuer.role in ("WK", "DFH") or not message.issuer.id:
            raise InvalidLifecycleMessage(
                f"status {status.value} is set by an identified seller or buyer, not a platform (BR-FR-CDV-07)")
    elif message.sender.role != "WK" or message.issuer.role != "WK":
        raise InvalidLifecycleMessage(
            f"status {status.value} is set by a platform: sender and issuer role WK (BR-FR-CDV-CL-02/03)")
    for party in message.recipients:
        if party.role not in ("WK", "DFH") and not party.electronic_address:
            raise InvalidLifecycleMessage(
                f"recipient {party.name or party.id or party.role} needs an electronic address (BR-FR-CDV-08)")


def message_for_invoice(invoice, status, *, set_by, issued_at, recipients=None, **details):
    """A message about ``invoice`` (the engine's ``Invoice``), its parties taken from the invoice.

    ``set_by`` is ``"seller"``, ``"buyer"`` or ``"platform"``; by default the
    message goes to the other party (to both for a platform). ``details`` are
    further ``LifecycleMessage`` fields (reason_code, characteristics, ...).
    """
    seller, buyer = party_of(invoice.seller, "SE"), party_of(invoice.buyer, "BY")
    issuer = {"seller": seller, "buyer": buyer, "platform": CdarParty("WK")}[set_by]
    if recipients is None:
        recipients = {"seller": (buyer,), "buyer": (seller,), "platform": (seller, buyer)}[set_by]
    registration = invoice.seller.legal_registration
    return LifecycleMessage(
        invoice_number=invoice.number, invoice_issue_date=invoice.issue_date, invoice_type_code=invoice.type_code,
        status=LifecycleStatus(status), seller_id=registration.value if registration else None,
        seller_id_scheme=(registration.scheme or "0002") if registration else "0002",
        issuer=issuer, recipients=tuple(recipients), issued_at=issued_at, **details,
    )


def party_of(party, role):
    """The CDAR header party for an invoice party (BG-4 / BG-7): SIREN and electronic address."""
    registration, address = party.legal_registration, party.electronic_address
    return CdarParty(
        role, id=registration.value if registration else None,
        id_scheme=(registration.scheme or "0002") if registration else "0002", name=party.name,
        electronic_address=address.value if address else None,
        electronic_address_scheme=(address.scheme or "0225") if address else "0225",
    )
