"""Invoice rows for the screen, counter and task tests, made directly (no ingestion needed)."""

import datetime
from decimal import Decimal

from einvoice.read import read_invoice
from einvoice.tests.shared_files import shared_path
from facturier.archive.models import Kind
from facturier.archive.store import archive
from facturier.invoices.documents import row_fields
from facturier.invoices.models import Direction, Invoice, InvoiceState

CORPUS_EXAMPLE = ("corpus", "en16931", "cii-examples", "CII_example1.xml")


def make_invoice(dossier, direction=Direction.PURCHASE, number="F-1", **fields):
    values = {
        "dossier": dossier, "direction": direction, "number": number,
        "state": InvoiceState.ISSUED if direction == Direction.SALES else InvoiceState.RECEIVED,
        "issue_date": datetime.date(2026, 3, 1), "seller_name": "Fournisseur SA", "seller_siren": "356000000",
        "buyer_name": "Client SARL", "buyer_siren": "443061841", "total_excl_vat": Decimal("100.00"),
        "total_vat": Decimal("20.00"), "total_incl_vat": Decimal("120.00"), "amount_due": Decimal("120.00"),
    }
    values.update(fields)
    return Invoice.objects.create(**values)


def corpus_invoice(dossier, direction=Direction.PURCHASE, parts=CORPUS_EXAMPLE, **fields):
    """An invoice row read from a shared corpus file, its original archived as ingestion would."""
    path = shared_path(*parts)
    content = path.read_bytes()
    document = read_invoice(content)
    state = InvoiceState.ISSUED if direction == Direction.SALES else InvoiceState.RECEIVED
    invoice = Invoice.objects.create(dossier=dossier, direction=direction, state=state,
                                     **{**row_fields(document), **fields})
    kind = Kind.ORIGINAL_ISSUED if direction == Direction.SALES else Kind.ORIGINAL_RECEIVED
    invoice.original = archive(dossier, content, kind=kind, filename=path.name, media_type="application/xml",
                               period=invoice.issue_date, reference=invoice)
    invoice.save(update_fields=["original"])
    return invoice

