"""The ledger's test world: the shared two-firm world, plus invoices built from real documents.

``receive``/``issue`` archive a CII document written by the engine and make its
Invoice row from it, the way ingestion and issuing do, so booking reads the
lines and the VAT breakdown back from the archived original.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from einvoice import model
from einvoice.write.cii import to_cii
from facturier.archive.models import Kind
from facturier.archive.store import archive
from facturier.invoices.documents import row_fields
from facturier.invoices.models import Direction, Invoice, InvoiceState, ThirdParty

D = Decimal


@pytest.fixture(autouse=True)
def archive_dir(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "archive": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": tmp_path / "archive", "file_permissions_mode": 0o440}},
    }
    settings.ARCHIVE_STORAGE = "archive"
    return tmp_path / "archive"


@pytest.fixture
def dossier(world):
    return world.active


def line(line_id, amount, rate="20", name="Article"):
    amount = D(amount)
    return model.Line(id=line_id, quantity=D("1"), unit_code="C62", net_amount=amount,
                      price=model.Price(net_price=amount), item=model.Item(name=name), vat_category="S",
                      vat_rate=D(rate))


def document(number, lines, *, seller=("Bio Buro SAS", "443061841"), buyer=("Société Active", "356000000"),
             issue_date=datetime.date(2026, 3, 14), type_code="380", allowances=(), charges=(), breakdown=None):
    doc = model.Invoice(
        number=number, issue_date=issue_date, type_code=type_code,
        seller=model.Party(name=seller[0], legal_registration=model.Identifier(seller[1], "0002"),
                           address=model.Address(city="Paris", postcode="75001", country_code="FR")),
        buyer=model.Party(name=buyer[0], legal_registration=model.Identifier(buyer[1], "0002"),
                          address=model.Address(city="Paris", postcode="75002", country_code="FR")),
        lines=list(lines), allowances=list(allowances), charges=list(charges),
    )
    doc.compute_totals()
    if breakdown is not None:  # a document whose per-rate VAT was rounded line by line
        doc.vat_breakdown = breakdown
        doc.totals.tax_total = sum((vat.tax_amount for vat in breakdown), D("0"))
        doc.totals.tax_inclusive = doc.totals.tax_exclusive + doc.totals.tax_total
        doc.totals.payable = doc.totals.tax_inclusive
    return doc


def _store(dossier, doc, direction, third_party, **fields):
    content = to_cii(doc)
    kind = Kind.ORIGINAL_RECEIVED if direction == Direction.PURCHASE else Kind.ORIGINAL_ISSUED
    record = archive(dossier, content, kind=kind, filename=f"{doc.number}.xml", media_type="application/xml",
                     period=doc.issue_date)
    return Invoice.objects.create(dossier=dossier, direction=direction, third_party=third_party, original=record,
                                  syntax="CII", is_valid=True, **row_fields(doc), **fields)


def supplier(dossier, name="Bio Buro SAS", siren="443061841", **fields):
    return ThirdParty.objects.create(dossier=dossier, is_supplier=True, name=name, siren=siren, **fields)


def customer(dossier, name="Client Durand", siren="552100554", **fields):
    return ThirdParty.objects.create(dossier=dossier, is_customer=True, name=name, siren=siren, **fields)


def receive(dossier, doc, third_party=None, *, approved=True):
    """An approved (or not yet approved) purchase invoice of ``dossier``."""
    return _store(dossier, doc, Direction.PURCHASE, third_party, state=InvoiceState.RECEIVED,
                  approved_at=timezone.now() if approved else None)


def issue(dossier, doc, third_party=None):
    """An issued sales invoice of ``dossier``."""
    return _store(dossier, doc, Direction.SALES, third_party, state=InvoiceState.ISSUED)


def row(dossier, number, *, direction=Direction.PURCHASE, ht="100.00", vat="20.00", issue_date=None,
        third_party=None, **fields):
    """An invoice row without an archived original (as the e2e and the counters tests build them)."""
    ht, vat = D(ht), D(vat)
    purchase = direction == Direction.PURCHASE
    values = {
        "dossier": dossier, "direction": direction, "number": number,
        "issue_date": issue_date or datetime.date(2026, 3, 14),
        "state": InvoiceState.RECEIVED if purchase else InvoiceState.ISSUED,
        "approved_at": timezone.now() if purchase else None, "third_party": third_party,
        "seller_name": "Fournisseur Row" if purchase else "Société Active", "buyer_name": "Société Active",
        "total_excl_vat": ht, "total_vat": vat, "total_incl_vat": ht + vat, "amount_due": ht + vat,
    }
    values.update(fields)
    return Invoice.objects.create(**values)
