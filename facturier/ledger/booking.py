"""Booking an invoice: from an approved purchase or an issued sale to a balanced entry.

    entry = book(invoice)   # idempotent: the same invoice gives the same entry

Purchase (journal AC)            Sale (journal VT)
  6xx    debit   per account       411 aux  debit   BT-112
  44566x debit   per VAT rate      70x      credit  per account
  401 aux credit BT-112            44571x   credit  per VAT rate

A credit note swaps debit and credit; a negative amount goes to the other side.

Amounts come from the document, never from recomputed floats: the expense or
revenue lines are the line net amounts (BT-131) grouped by account, and whatever
separates their sum from BT-109 (document allowances BG-20 and charges BG-21)
goes to the invoice's default account; the VAT lines are the BG-23 tax amounts
per rate, and a difference between their sum and BT-112 − BT-109 (rounding) goes
on the largest VAT line; the third-party line is BT-112. The entry therefore
balances by construction, and ``check_balance`` proves it before anything is saved.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from einvoice.errors import EInvoiceError
from einvoice.read import read_invoice
from facturier.archive.exceptions import ArchiveIntegrityError
from facturier.archive.store import open_content
from facturier.invoices.models import Direction, Invoice, InvoiceState
from facturier.ledger import chart
from facturier.ledger.auxiliary import auxiliary_account
from facturier.ledger.models import VAT_RATES, Entry, EntryLine, LedgerSettings, LineAccount

ZERO = Decimal("0")
CENT = Decimal("0.01")

# Approved purchase invoices and issued sales invoices are booked.
ELIGIBLE = Q(direction=Direction.PURCHASE, approved_at__isnull=False) | Q(
    direction=Direction.SALES, state=InvoiceState.ISSUED
)


class BookingError(Exception):
    """The invoice cannot be booked; the message says why, in the user's language."""


class UnbalancedEntry(BookingError):
    pass


@dataclass
class Amount:
    """One line of an entry before it is saved; ``amount`` > 0 on the natural side."""

    account: str
    account_label: str
    amount: Decimal
    natural_debit: bool
    auxiliary: str = ""
    auxiliary_label: str = ""


def is_eligible(invoice):
    if invoice.direction == Direction.PURCHASE:
        return invoice.approved_at is not None
    return invoice.direction == Direction.SALES and invoice.state == InvoiceState.ISSUED


def awaiting_integration(dossier):
    """The dossier's invoices booked or bookable and not yet exported ("Attente intégration")."""
    return Invoice.objects.filter(ELIGIBLE, dossier=dossier, integrated_at__isnull=True)


def awaiting_integration_count():
    """The "Attente intégration" counter of each dossier, for ``Dossier`` querysets:
    ``Dossier.objects.annotate(awaiting_integration=awaiting_integration_count())``."""
    waiting = (Invoice.objects.filter(ELIGIBLE, dossier=OuterRef("pk"), integrated_at__isnull=True)
               .order_by().values("dossier").annotate(count=Count("pk")).values("count"))
    return Coalesce(Subquery(waiting, output_field=IntegerField()), 0)


@transaction.atomic
def book(invoice, original=None, remake=True):
    """The invoice's entry, made or remade; an exported (integrated) entry is never changed.

    ``original`` is the engine's reading of the archived original when the caller
    already has it (an invoice just issued from a file): reading a Factur-X PDF
    again is a good part of what booking costs. ``remake=False`` keeps an entry
    the invoice already has as it is.
    """
    if not is_eligible(invoice):
        raise BookingError(
            _("Seules les factures d'achat approuvées et les factures de vente émises sont comptabilisées."))
    # The invoice's row, locked and read afresh: two bookings of one invoice (its signal and an
    # export) run one after the other, and an entry exported meanwhile is never remade.
    integrated_at = Invoice.objects.select_for_update().values_list("integrated_at", flat=True).get(pk=invoice.pk)
    entry = Entry.objects.filter(invoice=invoice).first()
    if entry is not None and (integrated_at is not None or not remake):
        return entry
    if invoice.issue_date is None:
        raise BookingError(_("La facture %(number)s n'a pas de date.") % {"number": invoice.number})
    settings = LedgerSettings.for_dossier(invoice.dossier)
    amounts = entry_amounts(invoice, settings, original)
    lines = [_line(amount, invoice.is_credit_note, position) for position, amount in enumerate(amounts, 1)]
    check_balance(lines)
    purchase = invoice.direction == Direction.PURCHASE
    fields = {
        "dossier": invoice.dossier,
        "journal": settings.purchase_journal if purchase else settings.sales_journal,
        "journal_label": settings.purchase_journal_label if purchase else settings.sales_journal_label,
        "date": invoice.issue_date,
        "piece_ref": invoice.number,
        "piece_date": invoice.issue_date,
        "label": _entry_label(invoice, amounts[0].auxiliary_label),
        "currency": invoice.currency,
    }
    if entry is None:
        entry = Entry.objects.create(invoice=invoice, **fields)
    else:
        Entry.objects.filter(pk=entry.pk).update(booked_at=timezone.now(), **fields)
        entry.lines.all().delete()
    for line in lines:
        line.entry = entry
        line.label = fields["label"]
        if invoice.currency != "EUR":
            line.currency_amount = line.debit or line.credit
    EntryLine.objects.bulk_create(lines)
    return entry


@transaction.atomic
def set_line_account(invoice, line_id, account):
    """Book line ``line_id`` (BT-126) of ``invoice`` on ``account`` (empty: the default again).

    The entry follows at once while the invoice waits for integration; an
    integrated entry keeps what was exported.
    """
    if account:
        LineAccount.objects.update_or_create(invoice=invoice, line_id=line_id, defaults={"account": account})
    else:
        LineAccount.objects.filter(invoice=invoice, line_id=line_id).delete()
    if is_eligible(invoice) and invoice.integrated_at is None:
        return book(invoice)
    return None


def check_balance(lines):
    debit = sum((line.debit for line in lines), ZERO)
    credit = sum((line.credit for line in lines), ZERO)
    if debit != credit:
        raise UnbalancedEntry(_("Écriture déséquilibrée : débit %(debit)s, crédit %(credit)s.")
                              % {"debit": debit, "credit": credit})


def entry_amounts(invoice, settings, original=None):
    """The third-party line, then the expense or revenue lines, then the VAT lines."""
    purchase = invoice.direction == Direction.PURCHASE
    document = original if original is not None else _document(invoice)
    default = _default_account(invoice, settings)
    code, name = auxiliary_account(invoice, settings)
    collective = settings.supplier_account if purchase else settings.customer_account
    third = Amount(collective, chart.account_label(collective), invoice.total_incl_vat, not purchase, code, name)
    return [third, *_base_amounts(invoice, document, default, purchase),
            *_vat_amounts(invoice, document, settings, purchase)]


def _base_amounts(invoice, document, default, purchase):
    by_account = defaultdict(lambda: ZERO)
    if document is not None:
        overrides = dict(LineAccount.objects.filter(invoice=invoice).values_list("line_id", "account"))
        for line in document.lines:
            if line.parent_line_id:
                continue  # EXTENDED sub-lines detail their parent line, already counted
            by_account[overrides.get(line.id, default)] += line.net_amount
    # Document allowances and charges (and anything the lines do not explain) on the default account.
    residual = invoice.total_excl_vat - sum(by_account.values(), ZERO)
    if residual:
        by_account[default] += residual
    return [Amount(account, chart.account_label(account), amount, purchase)
            for account, amount in sorted(by_account.items()) if amount]


def _vat_amounts(invoice, document, settings, purchase):
    base = settings.deductible_vat_account if purchase else settings.collected_vat_account
    per_rate = settings.deductible_vat_by_rate if purchase else settings.collected_vat_by_rate
    by_rate = defaultdict(lambda: ZERO)
    if document is not None:
        for vat in document.vat_breakdown:
            by_rate[chart.rate_key(vat.rate) if vat.rate else None] += vat.tax_amount
    else:
        by_rate[_guess_rate(invoice)] += invoice.total_vat
    amounts = [
        Amount(per_rate.get(rate, base) if rate else base,
               chart.vat_label(purchase, Decimal(rate) if rate else None), tax, purchase)
        for rate, tax in sorted(by_rate.items(), key=lambda item: -Decimal(item[0] or 0))
        if tax
    ]
    rounding = invoice.total_incl_vat - invoice.total_excl_vat - sum((a.amount for a in amounts), ZERO)
    if rounding and amounts:
        max(amounts, key=lambda a: abs(a.amount)).amount += rounding
    elif rounding:
        amounts.append(Amount(base, chart.vat_label(purchase, None), rounding, purchase))
    return [amount for amount in amounts if amount.amount]


def _guess_rate(invoice):
    """The one French rate that explains an invoice row's totals, when there is no document to read."""
    for rate in VAT_RATES:
        if invoice.total_excl_vat and abs(invoice.total_excl_vat * Decimal(rate) / 100 - invoice.total_vat) < CENT:
            return rate
    return None


def _default_account(invoice, settings):
    """The third party's own account when it fits the direction, else the dossier's."""
    purchase = invoice.direction == Direction.PURCHASE
    party_account = invoice.third_party.default_account if invoice.third_party_id else ""
    if party_account and party_account.startswith("6" if purchase else "7"):
        return party_account
    return settings.default_purchase_account if purchase else settings.default_sales_account


def _document(invoice):
    """The archived original read by the engine, or None for a row without one."""
    if invoice.original_id is None:
        return None
    try:
        return read_invoice(open_content(invoice.original))
    except (ArchiveIntegrityError, EInvoiceError) as error:
        raise BookingError(_("L'original archivé de la facture %(number)s est illisible : %(error)s")
                           % {"number": invoice.number, "error": error}) from error


def _line(amount, is_credit_note, position):
    debit_side = amount.natural_debit != is_credit_note
    value = amount.amount
    if value < 0:
        debit_side, value = not debit_side, -value
    return EntryLine(
        position=position, account=amount.account, account_label=amount.account_label[:100],
        auxiliary=amount.auxiliary, auxiliary_label=amount.auxiliary_label[:200],
        debit=value if debit_side else ZERO, credit=ZERO if debit_side else value,
    )


def _entry_label(invoice, party_name):
    with translation.override("fr"):  # the FEC is French, whoever approved the invoice
        kind = _("Avoir") if invoice.is_credit_note else _("Facture")
    return f"{party_name} {kind} {invoice.number}".strip()[:200]
