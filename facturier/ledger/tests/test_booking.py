"""Entries per the French chart of accounts, from real archived documents."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from einvoice import model
from facturier.invoices.models import Direction, InvoiceState, ThirdParty
from facturier.ledger.booking import BookingError, UnbalancedEntry, book, check_balance
from facturier.ledger.models import Entry, EntryLine, LedgerSettings, LineAccount
from facturier.ledger.tests.conftest import customer, document, issue, line, receive, row, supplier

D = Decimal
pytestmark = pytest.mark.django_db


def booked(entry):
    """The entry's lines as (account, auxiliary, debit, credit), in order."""
    return [(row.account, row.auxiliary, row.debit, row.credit) for row in entry.lines.order_by("position")]


def assert_balanced(entry):
    lines = list(entry.lines.all())
    assert sum(row.debit for row in lines) == sum(row.credit for row in lines)
    assert all(isinstance(row.debit, Decimal) and (row.debit == 0 or row.credit == 0) for row in lines)


def test_purchase_invoice_debits_expense_and_deductible_vat_and_credits_the_supplier(dossier):
    invoice = receive(dossier, document("FA-001", [line("1", "100.00"), line("2", "50.00")]), supplier(dossier))
    entry = book(invoice)
    assert (entry.journal, entry.journal_label, entry.date, entry.piece_ref) == (
        "AC", "Achats", datetime.date(2026, 3, 14), "FA-001")
    assert entry.label == "Bio Buro SAS Facture FA-001"
    assert booked(entry) == [
        ("401000", "401BIOBUROS", D("0"), D("180.00")),
        ("607000", "", D("150.00"), D("0")),
        ("445662", "", D("30.00"), D("0")),
    ]
    labels = [row.account_label for row in entry.lines.order_by("position")]
    assert labels == ["Fournisseurs", "Achats de marchandises", "TVA déductible 20 %"]
    assert_balanced(entry)


def test_sales_invoice_debits_the_customer_and_credits_revenue_and_collected_vat(dossier):
    invoice = issue(dossier, document("F2026-0001", [line("1", "1000.00")], seller=("Société Active", "356000000"),
                                      buyer=("Client Durand", "552100554")), customer(dossier))
    entry = book(invoice)
    assert entry.journal == "VT"
    assert booked(entry) == [
        ("411000", "411CLIENTDU", D("1200.00"), D("0")),
        ("706000", "", D("0"), D("1000.00")),
        ("445712", "", D("0"), D("200.00")),
    ]
    assert_balanced(entry)


def test_multi_rate_vat_is_split_per_rate_on_its_sub_account(dossier):
    doc = document("FA-002", [line("1", "100.00", "20"), line("2", "200.00", "5.5"), line("3", "10.00", "10")])
    entry = book(receive(dossier, doc, supplier(dossier)))
    assert booked(entry)[2:] == [
        ("445662", "", D("20.00"), D("0")),
        ("445661", "", D("1.00"), D("0")),
        ("445663", "", D("11.00"), D("0")),
    ]
    assert booked(entry)[0][3] == D("342.00")
    assert_balanced(entry)


def test_a_rate_without_a_sub_account_goes_to_the_base_vat_account(dossier):
    settings = LedgerSettings.for_dossier(dossier)
    settings.deductible_vat_by_rate = {}
    settings.save()
    entry = book(receive(dossier, document("FA-003", [line("1", "100.00", "20")]), supplier(dossier)))
    assert booked(entry)[2] == ("44566", "", D("20.00"), D("0"))


def test_credit_note_swaps_debit_and_credit(dossier):
    doc = document("AV-001", [line("1", "100.00")], type_code="381")
    entry = book(receive(dossier, doc, supplier(dossier)))
    assert entry.label == "Bio Buro SAS Avoir AV-001"
    assert booked(entry) == [
        ("401000", "401BIOBUROS", D("120.00"), D("0")),
        ("607000", "", D("0"), D("100.00")),
        ("445662", "", D("0"), D("20.00")),
    ]
    assert_balanced(entry)


def test_sales_credit_note_credits_the_customer(dossier):
    doc = document("AV-V-1", [line("1", "50.00")], type_code="381", seller=("Société Active", "356000000"),
                   buyer=("Client Durand", "552100554"))
    entry = book(issue(dossier, doc, customer(dossier)))
    assert booked(entry) == [
        ("411000", "411CLIENTDU", D("0"), D("60.00")),
        ("706000", "", D("50.00"), D("0")),
        ("445712", "", D("10.00"), D("0")),
    ]


def test_document_allowance_and_charge_land_on_the_default_account(dossier):
    allowance = model.AllowanceCharge(is_charge=False, amount=D("30.00"), vat_category="S", vat_rate=D("20"),
                                      reason="Remise")
    charge = model.AllowanceCharge(is_charge=True, amount=D("5.00"), vat_category="S", vat_rate=D("20"),
                                   reason="Port")
    party = supplier(dossier, default_account="606300")
    doc = document("FA-004", [line("1", "200.00"), line("2", "100.00")], allowances=[allowance], charges=[charge])
    invoice = receive(dossier, doc, party)
    LineAccount.objects.create(invoice=invoice, line_id="2", account="615000")
    entry = book(invoice)
    # 300 − 30 + 5 = 275 excl. VAT (BT-109): line 2 on its override, the rest and the allowance/charge on 606300.
    assert booked(entry) == [
        ("401000", "401BIOBUROS", D("0"), D("330.00")),
        ("606300", "", D("175.00"), D("0")),
        ("615000", "", D("100.00"), D("0")),
        ("445662", "", D("55.00"), D("0")),
    ]
    assert_balanced(entry)


def test_line_vat_rounding_difference_is_put_on_the_vat_line(dossier):
    # Three lines of 0.33 at 20 %: VAT rounded per line (3 × 0.07 = 0.21) where the
    # document total says 0.20. BT-110/BT-112 are the truth; the VAT line absorbs it.
    lines = [line(str(i), "0.33") for i in range(1, 4)]
    breakdown = [model.VatBreakdown(D("0.99"), D("0.21"), "S", D("20"))]
    doc = document("FA-005", lines, breakdown=breakdown)
    invoice = receive(dossier, doc, supplier(dossier))
    invoice.total_vat, invoice.total_incl_vat = D("0.20"), D("1.19")  # the document totals of the row
    invoice.save()
    entry = book(invoice)
    assert booked(entry) == [
        ("401000", "401BIOBUROS", D("0"), D("1.19")),
        ("607000", "", D("0.99"), D("0")),
        ("445662", "", D("0.20"), D("0")),
    ]


def test_negative_line_goes_to_the_other_side(dossier):
    doc = document("FA-006", [line("1", "100.00"), line("2", "-40.00")])
    invoice = receive(dossier, doc, supplier(dossier))
    LineAccount.objects.create(invoice=invoice, line_id="2", account="609000")
    entry = book(invoice)
    assert ("609000", "", D("0"), D("40.00")) in booked(entry)
    assert_balanced(entry)


def test_third_party_default_account_of_the_wrong_class_is_ignored(dossier):
    party = supplier(dossier, default_account="706000")  # a revenue account on a supplier: not used
    entry = book(receive(dossier, document("FA-007", [line("1", "10.00")]), party))
    assert booked(entry)[1][0] == "607000"


def test_row_without_original_is_booked_from_its_totals_with_the_rate_found(dossier):
    entry = book(row(dossier, "R-1", ht="100.00", vat="5.50"))
    assert booked(entry) == [
        ("401000", "401FOURNISS", D("0"), D("105.50")),
        ("607000", "", D("100.00"), D("0")),
        ("445663", "", D("5.50"), D("0")),
    ]


def test_book_is_idempotent_and_follows_a_later_line_override(dossier):
    invoice = receive(dossier, document("FA-008", [line("1", "100.00")]), supplier(dossier))
    first = book(invoice)
    assert book(invoice).pk == first.pk
    assert Entry.objects.count() == 1 and EntryLine.objects.count() == 3
    LineAccount.objects.create(invoice=invoice, line_id="1", account="622600")
    assert booked(book(invoice))[1][0] == "622600"
    assert EntryLine.objects.count() == 3


def test_an_integrated_entry_is_never_changed(dossier):
    invoice = receive(dossier, document("FA-009", [line("1", "100.00")]), supplier(dossier))
    book(invoice)
    invoice.integrated_at = timezone.now()
    invoice.save()
    LineAccount.objects.create(invoice=invoice, line_id="1", account="622600")
    assert booked(book(invoice))[1][0] == "607000"


def test_only_approved_purchases_and_issued_sales_are_booked(dossier):
    with pytest.raises(BookingError):
        book(receive(dossier, document("FA-010", [line("1", "1.00")]), approved=False))
    with pytest.raises(BookingError):
        book(row(dossier, "DRAFT", direction=Direction.SALES, state=InvoiceState.DRAFT))


def test_auxiliary_accounts_are_generated_once_unique_and_kept(dossier):
    first = supplier(dossier, name="Bio Buro SAS", siren="443061841")
    homonym = supplier(dossier, name="Bio-Buro SA Services", siren="552100554")
    book(receive(dossier, document("FA-011", [line("1", "1.00")]), first))
    book(receive(dossier, document("FA-012", [line("1", "1.00")], seller=("Bio-Buro SA Services", "552100554")),
                 homonym))
    first.refresh_from_db()
    homonym.refresh_from_db()
    assert (first.auxiliary_account, homonym.auxiliary_account) == ("401BIOBUROS", "401BIOBUROS2")
    # Renamed by the firm: the stored code stays.
    ThirdParty.objects.filter(pk=first.pk).update(auxiliary_account="F0001")
    entry = book(receive(dossier, document("FA-013", [line("1", "1.00")]), ThirdParty.objects.get(pk=first.pk)))
    assert booked(entry)[0][1] == "F0001"


def test_siren_rule_and_prefix_swap_for_a_party_both_customer_and_supplier(dossier):
    settings = LedgerSettings.for_dossier(dossier)
    settings.auxiliary_rule = "siren"
    settings.save()
    party = supplier(dossier, is_customer=True)
    book(receive(dossier, document("FA-014", [line("1", "1.00")]), party))
    party.refresh_from_db()
    assert party.auxiliary_account == "401443061841"
    sale = issue(dossier, document("F-1", [line("1", "1.00")], seller=("Société Active", "356000000"),
                                   buyer=("Bio Buro SAS", "443061841")), party)
    assert booked(book(sale))[0][:2] == ("411000", "411443061841")


def test_journal_codes_and_accounts_follow_the_dossier_settings(dossier):
    settings = LedgerSettings.for_dossier(dossier)
    settings.purchase_journal, settings.default_purchase_account, settings.supplier_account = "HA", "604000", "401100"
    settings.save()
    entry = book(receive(dossier, document("FA-015", [line("1", "10.00")]), supplier(dossier)))
    assert entry.journal == "HA"
    assert [account for account, *_ in booked(entry)] == ["401100", "604000", "445662"]


def test_unreadable_original_is_a_clear_booking_error(dossier):
    from facturier.archive.models import Kind
    from facturier.archive.store import archive

    invoice = row(dossier, "BROKEN")
    invoice.original = archive(dossier, b"not an invoice", kind=Kind.ORIGINAL_RECEIVED, filename="x.xml")
    invoice.save()
    with pytest.raises(BookingError, match="illisible"):
        book(invoice)
    assert not Entry.objects.exists()


def test_check_balance_refuses_an_unbalanced_entry():
    with pytest.raises(UnbalancedEntry):
        check_balance([EntryLine(debit=D("1.00"), credit=D("0")), EntryLine(debit=D("0"), credit=D("0.99"))])


def test_set_line_account_rebooks_and_clears(dossier):
    from facturier.ledger.booking import set_line_account

    invoice = receive(dossier, document("FA-016", [line("1", "70.00"), line("2", "30.00")]), supplier(dossier))
    book(invoice)
    entry = set_line_account(invoice, "2", "626000")
    assert booked(entry)[1:3] == [("607000", "", D("70.00"), D("0")), ("626000", "", D("30.00"), D("0"))]
    entry = set_line_account(invoice, "2", "")
    assert booked(entry)[1] == ("607000", "", D("100.00"), D("0"))
    assert not LineAccount.objects.exists()
