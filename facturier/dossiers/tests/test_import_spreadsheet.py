"""Reading client lists, pairing columns and checking rows (seed annex 1)."""

import datetime
import io
import time
import tracemalloc
import zipfile

import pytest

from facturier.dossiers.models import Dossier
from facturier.dossiers.spreadsheet import (
    MAX_ROWS,
    RowChecker,
    SpreadsheetError,
    normalise_country,
    normalise_language,
    normalise_month,
    read_spreadsheet,
    sheet_from_json,
    sheet_to_json,
    suggest_mapping,
)
from facturier.dossiers.tests.import_helpers import (
    SEED_HEADERS,
    client_row,
    far_apart_cells_xls,
    far_apart_cells_xlsx,
    member,
    million_cells_xlsx,
    xls_bytes,
    xlsx_bytes,
)
from facturier.firms.models import Firm


def check(firm, rows, headers=SEED_HEADERS):
    sheet = read_spreadsheet(xlsx_bytes(rows, headers), "clients.xlsx")
    return RowChecker(firm).check(sheet, suggest_mapping(sheet.headers))


def reasons(validation):
    return [(e.row, e.field, e.reason) for e in validation.errors]


# Reading --------------------------------------------------------------------

def test_reads_xlsx_and_xls_alike():
    rows = [client_row(), client_row("732829320", "BETA")]
    for data, name in ((xlsx_bytes(rows), "clients.xlsx"), (xls_bytes(rows), "clients.xls")):
        sheet = read_spreadsheet(data, name)
        assert sheet.headers == SEED_HEADERS
        assert [number for number, _ in sheet.rows] == [2, 3]
        assert sheet.rows[1][1][0] == "BETA"


def test_blank_rows_are_skipped_but_row_numbers_kept():
    sheet = read_spreadsheet(xlsx_bytes([client_row(), {}, client_row("732829320")]), "c.xlsx")
    assert [number for number, _ in sheet.rows] == [2, 4]


@pytest.mark.parametrize("data, name, message", [
    (b"SIREN;NOM\n552100554;ACME\n", "clients.csv", "Choisissez un fichier Excel (.xlsx ou .xls)."),
    (b"SIREN;NOM\n552100554;ACME\n", "clients.xlsx", "Ce fichier n'est pas un classeur Excel (.xlsx ou .xls)."),
    (b"%PDF-1.7 not a sheet", "clients.xls", "Ce fichier n'est pas un classeur Excel (.xlsx ou .xls)."),
    (b"PK\x03\x04" + b"\x00" * 200, "clients.xlsx", "Le fichier est illisible ou endommagé."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "clients.xls", "Le fichier est illisible ou endommagé."),
])
def test_unusable_files_are_refused_clearly(data, name, message):
    with pytest.raises(SpreadsheetError) as raised:
        read_spreadsheet(data, name)
    assert str(raised.value) == message


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(SpreadsheetError, match="illisible"):
        read_spreadsheet(buffer.getvalue(), "clients.xlsx")


def test_truncated_workbook_is_refused():
    data = xlsx_bytes([client_row()])
    with pytest.raises(SpreadsheetError, match="illisible"):
        read_spreadsheet(data[: len(data) // 2], "clients.xlsx")


def test_empty_sheet():
    with pytest.raises(SpreadsheetError, match=r"La feuille est vide\."):
        read_spreadsheet(xlsx_bytes([], headers=None), "clients.xlsx")


def test_headers_without_rows():
    with pytest.raises(SpreadsheetError, match="Aucune ligne de données"):
        read_spreadsheet(xlsx_bytes([]), "clients.xlsx")


def test_missing_header_row():
    with pytest.raises(SpreadsheetError, match="en-têtes"):
        read_spreadsheet(xlsx_bytes([["ACME", "12 rue", 75002, "jeanne@acme.test"]], headers=None), "c.xlsx")
    with pytest.raises(SpreadsheetError, match="en-têtes"):
        read_spreadsheet(xlsx_bytes([[None, None], ["ACME", "Paris"]], headers=None), "c.xlsx")


def test_too_many_rows():
    rows = [["ACME"]] * (MAX_ROWS + 1)
    with pytest.raises(SpreadsheetError, match="20\u202f000 lignes"):
        read_spreadsheet(xlsx_bytes(rows, headers=["RAISON SOCIALE"]), "c.xlsx")


def test_zip_bomb_is_refused_before_parsing(monkeypatch):
    from facturier.dossiers import spreadsheet

    data = xlsx_bytes([client_row()] * 50)
    monkeypatch.setattr(spreadsheet, "MAX_UNPACKED_BYTES", 20_000)
    with pytest.raises(SpreadsheetError, match="trop volumineux une fois décompressé"):
        read_spreadsheet(data, "clients.xlsx")


@pytest.mark.parametrize("make, name, message", [
    (million_cells_xlsx, "clients.xlsx", "La feuille compte plus de 500\u202f000 cellules."),
    (far_apart_cells_xlsx, "clients.xlsx", "La feuille compte plus de 40\u202f000 lignes, lignes vides comprises."),
    (far_apart_cells_xls, "clients.xls", "La feuille compte plus de 40\u202f000 lignes, lignes vides comprises."),
])
def test_spreadsheet_bombs_are_refused_quickly_in_little_memory(make, name, message):
    data = make()
    assert len(data) < 700 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(SpreadsheetError) as refusal:
            read_spreadsheet(data, name)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(refusal.value) == message
    assert elapsed < 2
    assert peak < 200 * 1024 * 1024


def test_too_many_columns():
    data = xlsx_bytes([["ACME"] * 51], headers=[f"Colonne {n}" for n in range(51)])
    with pytest.raises(SpreadsheetError, match="plus de 50 colonnes"):
        read_spreadsheet(data, "c.xlsx")


def test_a_read_sheet_survives_its_json_round_trip():
    closing = datetime.datetime(2024, 12, 31)
    sheet = read_spreadsheet(xlsx_bytes([["ACME", 552100554, closing, None]], headers=["Nom", "SIREN", "Clôture", "X"]),
                             "c.xlsx")
    assert sheet_from_json(sheet_to_json(sheet)) == sheet
    assert sheet_from_json(sheet_to_json(sheet)).rows[0][1][2] == closing.date()


def test_too_large_file():
    with pytest.raises(SpreadsheetError, match="10 Mo"):
        read_spreadsheet(b"PK\x03\x04" + b"\x00" * (10 * 1024 * 1024), "c.xlsx")


# Mapping --------------------------------------------------------------------

def test_seed_headers_are_recognised():
    mapping = suggest_mapping(SEED_HEADERS)
    assert mapping == {
        "name": 0, "address": 1, "postal_code": 2, "city": 3, "country": 4, "siren": 5, "vat_number": 6, "bic": 7,
        "iban": 8, "language": 9, "fiscal_year_end_month": 10, "representative_name": 11,
        "representative_language": 12, "representative_email": 13, "assignees": 14,
        "vat_regime": None,  # the seed's file has no VAT regime column: the regime is set later
    }


def test_field_labels_match_without_accents_or_case():
    mapping = suggest_mapping(["nom client", "E-MAIL DU CONTACT", "Numero d'entreprise", "mois de cloture", "Autre"])
    assert (mapping["name"], mapping["representative_email"], mapping["siren"], mapping["fiscal_year_end_month"]) \
        == (0, 1, 2, 3)
    assert mapping["city"] is None


# Normalising ----------------------------------------------------------------

@pytest.mark.parametrize("value, code", [("France", "FR"), ("FR", "FR"), ("fra", "FR"), (" france ", "FR"),
                                         ("Belgique", "BE"), ("Allemagne", "DE"), ("Royaume-Uni", "GB")])
def test_countries(value, code):
    assert normalise_country(value) == code


@pytest.mark.parametrize("value, code", [("Français", "fr"), ("FRANCAIS", "fr"), ("FR", "fr"), ("English", "en"),
                                         ("anglais", "en"), ("EN", "en")])
def test_languages(value, code):
    assert normalise_language(value) == code


@pytest.mark.parametrize("value, month", [("Décembre", 12), ("decembre", 12), ("12", 12), (12, 12), (3.0, 3),
                                          ("03", 3), ("févr.", 2), ("March", 3), (datetime.datetime(2024, 6, 30), 6),
                                          ("31/12/2024", 12), ("2024-12-31", 12), ("30/06/24", 6),
                                          (" 31.03.2025 ", 3)])
def test_months(value, month):
    assert normalise_month(value) == month


@pytest.mark.parametrize("value", ["Décembree", "13", "0", ""])
def test_unknown_months(value):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        normalise_month(value)


# Checking rows --------------------------------------------------------------

def test_valid_row_is_normalised(firm):
    staff = member(firm, "paul@cabinet.test")
    validation = check(firm, [client_row(" 552 100 554 ", **{"CODE POSTAL": 1000, "AFFECTATIONS": "PAUL@cabinet.test",
                                                            "LANGUE DU CONTACT": "English", "Mois de clôture": 6})])
    assert validation.errors == []
    [draft] = validation.drafts
    assert draft.values == {
        "name": "ACME INDUSTRIE", "address": "12 rue de la Paix", "city": "Paris",
        "representative_name": "Jeanne Martin",
        "postal_code": "01000", "vat_number": "FR96552100554", "iban": "FR7630006000011234567890189", "bic": "BNPAFRPP",
        "language": "fr", "representative_language": "en", "fiscal_year_end_month": 6,
        "representative_email": "jeanne.martin@acme.test", "siren": "552100554", "country": "FR",
        "vat_regime": "",
    }
    assert draft.assignee_ids == [staff.pk] and draft.from_registry == ()


@pytest.mark.parametrize(("value", "regime"), [("Réel normal mensuel", "normal_monthly"), ("RN trimestriel",
                                                "normal_quarterly"), ("RSI", "simplified"),
                                               ("Franchise en base", "franchise")])
def test_the_vat_regime_column_is_read(firm, value, regime):
    validation = check(firm, [client_row(**{"Régime TVA": value})], headers=[*SEED_HEADERS, "Régime TVA"])
    assert validation.errors == []
    assert validation.drafts[0].values["vat_regime"] == regime


def test_an_unknown_vat_regime_is_reported(firm):
    validation = check(firm, [client_row(**{"Régime TVA": "Micro-BNC"})], headers=[*SEED_HEADERS, "Régime TVA"])
    assert [(error.field, "Régime de TVA inconnu" in error.reason) for error in validation.errors] == [
        ("Régime de TVA", True)]


def test_each_invalid_value_is_reported_with_row_and_field(firm):
    invalid = {"NUM TVA": "FR00732829320", "IBAN": "FR76 1234", "PAYS": "Atlantide",
               "EMAIL CONTACT": "pas-un-email", "LANGUE": "Klingon",
               "Mois de clôture": "Treizième", "INTERLOCUTEUR": ""}
    rows = [client_row(), client_row("552100555", **invalid)]
    validation = check(firm, rows)
    assert [d.row for d in validation.drafts] == [2]
    assert validation.invalid_rows == [3]
    fields = [field for _, field, _ in reasons(validation)]
    assert fields == ["Pays", "Numéro d'entreprise", "Nom du contact", "TVA", "IBAN", "Langue", "Mois de clôture",
                      "E-mail du contact"]
    assert (3, "Numéro d'entreprise", "Ce SIREN n'est pas valide (clé de contrôle incorrecte).") in reasons(validation)


def test_vat_must_match_the_siren(firm):
    validation = check(firm, [client_row(**{"NUM TVA": "FR44732829320"})])
    assert reasons(validation) == [(2, "TVA", "Ce numéro de TVA ne correspond pas au SIREN 552100554.")]


def test_duplicates_in_sheet_in_firm_and_firm_sirens(firm):
    Dossier.objects.create(firm=firm, siren="732829320", name="BETA", fiscal_year_end_month=12, address="x",
                           postal_code="75001", city="Paris", representative_name="x", representative_email="x@x.test")
    Firm.objects.create(siren="542065479", name="Autre cabinet")
    validation = check(firm, [client_row(), client_row(), client_row("732829320"), client_row("542065479"),
                              client_row("443061841")])
    assert reasons(validation) == [
        (3, "Numéro d'entreprise", "Ce SIREN figure déjà à la ligne 2 du fichier."),
        (4, "Numéro d'entreprise", "Ce client existe déjà dans le cabinet."),
        (5, "Numéro d'entreprise", "Ce SIREN est celui d'un cabinet : un cabinet crée son compte via ComptExpert."),
        (6, "Numéro d'entreprise", "Ce SIREN est celui d'un cabinet : un cabinet crée son compte via ComptExpert."),
    ]


def test_duplicate_foreign_vat_numbers_without_siren_are_refused(firm):
    Dossier.objects.create(firm=firm, siren="", country="BE", vat_number="BE0417497106", name="BELGE",
                           fiscal_year_end_month=12, address="x", postal_code="1000", city="Bruxelles",
                           representative_name="x", representative_email="x@x.test")
    foreign = {"PAYS": "Allemagne", "CODE POSTAL": "10115", "VILLE": "Berlin"}
    validation = check(firm, [client_row("", "EINS", **foreign, **{"NUM TVA": "DE 136695976"}),
                              client_row("", "ZWEI", **foreign, **{"NUM TVA": "DE136695976"}),
                              client_row("", "BELGE", **{**foreign, "PAYS": "Belgique", "CODE POSTAL": "1000"},
                                         **{"NUM TVA": "BE 0417.497.106"})])
    assert reasons(validation) == [
        (3, "TVA", "Ce numéro de TVA figure déjà à la ligne 2 du fichier."),
        (4, "TVA", "Ce client existe déjà dans le cabinet."),
    ]


def test_assignees_must_be_firm_staff_with_delegation(firm):
    member(firm, "paul@cabinet.test")
    member(firm, "sans.delegation@cabinet.test", has_delegation=False)
    other_firm = Firm.objects.create(siren="542065479", name="Autre cabinet")
    member(other_firm, "ailleurs@autre.test")
    assignees = "paul@cabinet.test, sans.delegation@cabinet.test;ailleurs@autre.test"
    validation = check(firm, [client_row(AFFECTATIONS=assignees)])
    assert reasons(validation) == [(2, "E-mails des destinataires",
                                    ("Pas un collaborateur du cabinet avec la délégation : "
                                     "sans.delegation@cabinet.test, ailleurs@autre.test."))]


def test_missing_identity_is_completed_from_the_registry_for_french_companies(firm):
    validation = check(firm, [client_row(**{"RAISON SOCIALE": "", "ADRESSES RUE": None, "VILLE": ""})])
    [draft] = validation.drafts
    assert draft.from_registry == ("name", "address", "city")
    assert draft.values["name"] == "552100554" and draft.values["address"] == ""


def test_foreign_company_is_identified_by_vat(firm):
    validation = check(firm, [client_row("", **{"PAYS": "Belgique", "NUM TVA": "BE0403170701", "CODE POSTAL": "1000",
                                                "RAISON SOCIALE": ""})])
    assert reasons(validation) == [(2, "Nom client", "Ce champ est obligatoire.")]
    validation = check(firm, [client_row("", **{"PAYS": "Belgique", "NUM TVA": "", "CODE POSTAL": "1000"})])
    assert reasons(validation) == [(2, "TVA", "Ce champ est obligatoire.")]
    validation = check(firm, [client_row("", **{"PAYS": "BE", "NUM TVA": "BE0403170701", "CODE POSTAL": "1000"})])
    assert validation.drafts[0].values["siren"] == "" and validation.drafts[0].values["country"] == "BE"
