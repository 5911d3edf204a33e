"""Invoice rows made directly, as the dashboard reads them."""

import datetime
import itertools
from decimal import Decimal

from facturier.invoices.models import Direction, Invoice, InvoiceState

_numbers = itertools.count(1)


def make_invoice(dossier, direction=Direction.PURCHASE, *, amount="100.00", paid="0", due=None,
                 issued=datetime.date(2026, 11, 2), credit=False, draft=False, status=None, party="",
                 third_party=None):
    """An invoice of ``amount`` excluding VAT, 20 % VAT on top, ``paid`` of it paid."""
    excl = Decimal(amount)
    incl = excl * Decimal("1.2")
    state = InvoiceState.DRAFT if draft else (
        InvoiceState.ISSUED if direction == Direction.SALES else InvoiceState.RECEIVED
    )
    number = "" if draft else f"F-{next(_numbers):06d}"
    return Invoice.objects.create(
        dossier=dossier, direction=direction, state=state, number=number, issue_date=issued, due_date=due,
        is_credit_note=credit, type_code="381" if credit else "380",
        seller_name=party if direction == Direction.PURCHASE else dossier.name,
        buyer_name=party if direction == Direction.SALES else dossier.name,
        seller_siren="" if direction == Direction.PURCHASE else dossier.siren,
        total_excl_vat=excl, total_vat=incl - excl, total_incl_vat=incl, amount_due=incl,
        amount_paid=Decimal(paid), lifecycle_status=status, third_party=third_party,
    )
