"""Client lists from a spreadsheet (seed annex 1): read, map columns, check rows.

Reading knows nothing of dossiers; mapping pairs each target field with a
column; validation turns each row into a ``DossierDraft`` or ``RowError``\\ s,
with everything it needs from the database fetched once, not per row.
Creating the dossiers is ``facturier.dossiers.importing``'s business.
"""

import datetime
import functools
import gettext
import io
import json
import posixpath
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import olefile
import openpyxl
import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from python_calamine import CalamineWorkbook

from facturier.accounts.models import Language
from facturier.dossiers.models import Dossier, Month, VatRegime
from facturier.dossiers.validators import clean_bic, clean_iban, clean_siren, clean_vat_number
from facturier.firms.models import Firm, FirmMembership
from facturier.formats import number as written_number
from facturier.identifiers import french_vat_number

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# Limits on what the file unpacks to, checked before the sheet is read: a few hundred
# kilobytes of zipped, repeated cells (or two cells a million rows apart) would
# otherwise cost a minute and gigabytes to parse.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_SHEET_ROWS = 2 * MAX_ROWS  # blank rows included
MAX_COLUMNS = 50
MAX_CELLS = 25 * MAX_ROWS
EXTENSIONS = {".xlsx", ".xls"}
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 compound document


class SpreadsheetError(Exception):
    """The file cannot be used at all; the message is for the user."""


@dataclass(frozen=True)
class Sheet:
    headers: list
    rows: list  # (row number as Excel shows it, tuple of raw cell values)


# Reading ------------------------------------------------------------------------

def read_spreadsheet(data, filename):
    """The first sheet of an .xlsx or .xls file given as bytes, headers on row 1.

    The sheet's true extent is measured from the file's own records before
    calamine reads it: calamine holds the sheet as one dense grid, rows by columns.
    """
    if len(data) > MAX_FILE_BYTES:
        raise SpreadsheetError(_("Le fichier dépasse 10 Mo."))
    if Path(filename or "").suffix.lower() not in EXTENSIONS:
        raise SpreadsheetError(_("Choisissez un fichier Excel (.xlsx ou .xls)."))
    if data.startswith(XLSX_MAGIC):
        measure = xlsx_extent
    elif data.startswith(XLS_MAGIC):
        measure = xls_extent
    else:
        raise SpreadsheetError(_("Ce fichier n'est pas un classeur Excel (.xlsx ou .xls)."))
    try:
        check_extent(*measure(data))
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return sheet_from_rows(iter(workbook.get_sheet_by_index(0).iter_rows()))
    except SpreadsheetError:
        raise
    except Exception as error:  # Parsers of untrusted files fail in many ways; all mean "unreadable".
        raise SpreadsheetError(_("Le fichier est illisible ou endommagé.")) from error


def check_extent(rows, columns, cells):
    if cells > MAX_CELLS:
        raise SpreadsheetError(_("La feuille compte plus de %(max)s cellules.") % {"max": written_number(MAX_CELLS)})
    if rows > MAX_SHEET_ROWS:
        raise SpreadsheetError(_("La feuille compte plus de %(max)s lignes, lignes vides comprises.")
                               % {"max": written_number(MAX_SHEET_ROWS)})
    if columns > MAX_COLUMNS:
        raise SpreadsheetError(_("La feuille compte plus de %(max)s colonnes.") % {"max": MAX_COLUMNS})


XLSX_REFERENCE = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")


def xlsx_extent(data):
    """(rows, columns, cells) of the first sheet of an .xlsx, read from its XML without parsing it.

    Cell and row elements are counted as well as their references, since the
    references are optional: the extent holds whatever the file claims.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(entry.file_size for entry in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise SpreadsheetError(_("Le fichier est trop volumineux une fois décompressé."))
        xml = archive.read(first_sheet_path(archive))  # zipfile stops at the declared size
    cells = count_elements(xml, b"c")
    if cells > MAX_CELLS:
        return 0, 0, cells
    rows = count_elements(xml, b"row")
    columns = 0
    for match in XLSX_REFERENCE.finditer(xml):
        rows = max(rows, int(match[2]))
        columns = max(columns, openpyxl.utils.column_index_from_string(match[1].decode()))
    return rows, max(columns, 1 if cells else 0), cells


def count_elements(xml, name):
    """At least how many ``name`` elements ``xml`` holds, prefixed or not.

    Every tag starting with the name counts (``<c`` counts ``<col`` too): an upper
    bound is all a limit needs, and bytes.count goes through a million cells in a
    tenth of a second where a regular expression takes a second.
    """
    return xml.count(b"<" + name) + xml.count(b":" + name)


def first_sheet_path(archive):
    """The member holding the workbook's first sheet, as the workbook's relationships name it."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheet = next(element for element in workbook.iter() if element.tag.endswith("}sheet"))
    relation = next(value for name, value in sheet.attrib.items() if name.endswith("}id"))
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next(element.get("Target") for element in relations if element.get("Id") == relation)
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


BIFF_BOUNDSHEET, BIFF_EOF = 0x0085, 0x000A
BIFF_CELLS = {0x0006, 0x00D6, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E}  # formula, text, number, blank...
BIFF_CELL_RUNS = {0x00BD, 0x00BE}  # MULRK, MULBLANK: one row, a run of columns


def xls_extent(data):
    """(rows, columns, cells) of the first sheet of an .xls, from its BIFF cell records."""
    with olefile.OleFileIO(data) as container:
        stream = container.openstream("Workbook" if container.exists("Workbook") else "Book").read()
    offset = 0
    for record, payload in biff_records(stream, 0):
        if record == BIFF_BOUNDSHEET:
            offset = struct.unpack_from("<I", payload)[0]
            break
    rows = columns = cells = 0
    for record, payload in biff_records(stream, offset):
        if record == BIFF_EOF:
            break
        if record in BIFF_CELLS:
            row, column = struct.unpack_from("<HH", payload)
            last = column
            cells += 1
        elif record in BIFF_CELL_RUNS:
            row, column = struct.unpack_from("<HH", payload)
            last = struct.unpack_from("<H", payload, len(payload) - 2)[0]
            cells += max(last - column + 1, 0)
        else:
            continue
        rows, columns = max(rows, row + 1), max(columns, last + 1)
    return rows, columns, cells


def biff_records(stream, offset):
    while offset + 4 <= len(stream):
        record, size = struct.unpack_from("<HH", stream, offset)
        yield record, stream[offset + 4: offset + 4 + size]
        offset += 4 + size


def sheet_from_rows(rows):
    header = next(rows, None)
    if header is None or all(is_blank(value) for value in header):
        if header is None or all(all(is_blank(v) for v in row) for row in rows):
            raise SpreadsheetError(_("La feuille est vide."))
        raise SpreadsheetError(_("La première ligne doit contenir les en-têtes des colonnes."))
    if any(isinstance(value, (int, float, datetime.date)) or "@" in str(value or "") for value in header):
        raise SpreadsheetError(_("La première ligne doit contenir les en-têtes des colonnes, pas des données."))
    headers = column_headers(header)
    body = []
    for number, row in enumerate(rows, start=2):
        if all(is_blank(value) for value in row):
            continue
        if len(body) == MAX_ROWS:
            raise SpreadsheetError(_("Le fichier dépasse %(max)s lignes.") % {"max": written_number(MAX_ROWS)})
        body.append((number, tuple(row)))
    if not body:
        raise SpreadsheetError(_("Aucune ligne de données sous les en-têtes."))
    return Sheet(headers=headers, rows=body)


# Keeping a read sheet between the steps of an import, as JSON: the file is parsed once.

def sheet_to_json(sheet):
    return json.dumps({"headers": sheet.headers, "rows": sheet.rows}, default=_tagged, ensure_ascii=False)


def sheet_from_json(text):
    data = json.loads(text, object_hook=_untagged)
    return Sheet(headers=data["headers"], rows=[(number, tuple(values)) for number, values in data["rows"]])


_TIME_TYPES = {"datetime": datetime.datetime, "date": datetime.date, "time": datetime.time}


def _tagged(value):
    """Dates and durations, the cell values JSON has no type for."""
    for tag, kind in _TIME_TYPES.items():  # datetime first: it is a date too
        if isinstance(value, kind):
            return {"$type": tag, "value": value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"$type": "timedelta", "value": value.total_seconds()}
    raise TypeError(f"{type(value).__name__} is not a cell value")


def _untagged(data):
    tag = data.get("$type")
    if tag == "timedelta":
        return datetime.timedelta(seconds=data["value"])
    if tag in _TIME_TYPES:
        return _TIME_TYPES[tag].fromisoformat(data["value"])
    return data


def column_headers(header):
    last = max(i for i, value in enumerate(header) if not is_blank(value))
    return [text(value) or _("Colonne %(letter)s") % {"letter": openpyxl.utils.get_column_letter(i + 1)}
            for i, value in enumerate(header[: last + 1])]


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def text(value):
    """A cell as the text the user typed: 123456789.0 read from Excel is 123456789."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# Mapping ------------------------------------------------------------------------

@dataclass(frozen=True)
class TargetField:
    key: str
    label: str
    required: bool
    synonyms: tuple = ()


TARGET_FIELDS = (
    TargetField("name", gettext_lazy("Nom client"), True, ("RAISON SOCIALE", "Nom", "Dénomination", "Société")),
    TargetField("address", gettext_lazy("Adresse"), True, ("ADRESSES RUE", "Adresse rue", "Rue")),
    TargetField("postal_code", gettext_lazy("Code postal"), True, ("CODE POSTAL", "CP")),
    TargetField("city", gettext_lazy("Ville"), True, ("VILLE", "Commune")),
    TargetField("country", gettext_lazy("Pays"), True, ("PAYS",)),
    TargetField("siren", gettext_lazy("Numéro d'entreprise"), True, ("SIREN", "N° SIREN", "Numéro SIREN")),
    TargetField("vat_number", gettext_lazy("TVA"), True,
                ("NUM TVA", "Numéro de TVA", "N° TVA", "TVA intracommunautaire")),
    TargetField("iban", gettext_lazy("IBAN"), False, ("IBAN",)),
    TargetField("bic", gettext_lazy("BIC"), False, ("BIC",)),
    TargetField("language", gettext_lazy("Langue"), True, ("LANGUE",)),
    TargetField("fiscal_year_end_month", gettext_lazy("Mois de clôture"), True, ("Mois clôture", "Clôture")),
    TargetField("vat_regime", gettext_lazy("Régime de TVA"), False, ("REGIME TVA", "Régime", "Régime d'imposition")),
    TargetField("representative_name", gettext_lazy("Nom du contact"), True, ("INTERLOCUTEUR", "Contact")),
    TargetField("representative_language", gettext_lazy("Langue contact"), False, ("LANGUE DU CONTACT",)),
    TargetField("representative_email", gettext_lazy("E-mail du contact"), True, ("EMAIL CONTACT", "Mail contact")),
    TargetField("assignees", gettext_lazy("E-mails des destinataires"), False, ("AFFECTATIONS", "Collaborateurs")),
)
FIELDS_BY_KEY = {f.key: f for f in TARGET_FIELDS}


def comparable(value):
    """Headers and values compared without accents, case, spaces or punctuation: "E-mail" == "EMAIL"."""
    plain = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def suggest_mapping(headers):
    """Each target field paired with the column whose header names it, if any.

    Headers name fields in the reader's language or in French: a firm's
    spreadsheet keeps the French headers whatever language its people read.
    """
    columns = {}
    for index, header in enumerate(headers):
        columns.setdefault(comparable(header), index)
    with translation.override("fr"):
        french_labels = {target.key: str(target.label) for target in TARGET_FIELDS}
    mapping = {}
    for target in TARGET_FIELDS:
        names = (target.label, french_labels[target.key], *target.synonyms)
        mapping[target.key] = next((columns[comparable(n)] for n in names if comparable(n) in columns), None)
    return mapping


# Normalising values ------------------------------------------------------------

@functools.cache
def country_codes():
    """Country names (English, French), ISO alpha-2 and alpha-3 codes -> alpha-2."""
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    codes = {}
    for country in pycountry.countries:
        names = {country.alpha_2, country.alpha_3, country.name, french.gettext(country.name),
                 getattr(country, "common_name", ""), getattr(country, "official_name", "")}
        for name in filter(None, names):
            codes.setdefault(comparable(name), country.alpha_2)
    codes.update({"angleterre": "GB", "uk": "GB", "usa": "US", "etatsunis": "US"})
    return codes


def normalise_country(value):
    code = country_codes().get(comparable(text(value)))
    if code is None:
        raise ValidationError(_("Pays inconnu : « %(value)s ».") % {"value": text(value)})
    return code


LANGUAGES = {"fr": Language.FRENCH, "fra": Language.FRENCH, "francais": Language.FRENCH, "french": Language.FRENCH,
             "en": Language.ENGLISH, "eng": Language.ENGLISH, "anglais": Language.ENGLISH,
             "english": Language.ENGLISH, "gb": Language.ENGLISH, "uk": Language.ENGLISH}


def normalise_language(value):
    language = LANGUAGES.get(comparable(text(value)))
    if language is None:
        raise ValidationError(_("Langue inconnue : « %(value)s » (Français ou English).") % {"value": text(value)})
    return language


MONTHS = {
    **dict(zip(["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
                "novembre", "decembre"], range(1, 13), strict=True)),
    **dict(zip(["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december"], range(1, 13), strict=True)),
    **dict(zip(["janv", "fevr", "mars", "avr", "mai", "juin", "juil", "aout", "sept", "oct", "nov", "dec"],
               range(1, 13), strict=True)),
    "fev": 2, "jan": 1, "feb": 2, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
}


CLOSING_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def normalise_month(value):
    """"Décembre", "dec.", "12", 12 or a closing date such as 31/12/2024 -> 12."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.month
    closing_date = parse_closing_date(text(value))
    if closing_date is not None:
        return closing_date.month
    key = comparable(text(value))
    month = int(key) if key.isdigit() else MONTHS.get(key)
    if month is None or not 1 <= month <= 12:
        raise ValidationError(_("Mois de clôture inconnu : « %(value)s ».") % {"value": text(value)})
    return month


def parse_closing_date(value):
    """A closing date typed as text ("31/12/2024", "2024-12-31"), or None."""
    for date_format in CLOSING_DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip(), date_format).date()
        except ValueError:
            continue
    return None


# How firms write a VAT regime in their spreadsheets (compared with ``comparable``).
VAT_REGIMES = {
    **dict.fromkeys(("reelnormalmensuel", "rnmensuel", "rnm", "mensuel", "normalmonthly"), VatRegime.NORMAL_MONTHLY),
    **dict.fromkeys(("reelnormaltrimestriel", "rntrimestriel", "rnt", "trimestriel", "normalquarterly"),
                    VatRegime.NORMAL_QUARTERLY),
    **dict.fromkeys(("reelsimplifie", "simplifie", "rsi", "simplified"), VatRegime.SIMPLIFIED),
    **dict.fromkeys(("franchiseenbase", "franchise", "fb", "franchisebasedevat"), VatRegime.FRANCHISE),
}


def normalise_vat_regime(value):
    """"Réel normal mensuel", "RN mensuel", "RSI", "Franchise en base"… -> a VatRegime value."""
    regime = VAT_REGIMES.get(comparable(text(value)))
    if regime is None:
        raise ValidationError(_("Régime de TVA inconnu : « %(value)s » (réel normal mensuel, réel normal "
                                "trimestriel, réel simplifié ou franchise en base).") % {"value": text(value)})
    return regime


def normalise_postal_code(value, country):
    code = text(value).replace(" ", "")
    if country == "FR":
        if code.isdigit() and len(code) == 4:  # Excel drops the leading zero of 01000.
            code = "0" + code
        if not (code.isdigit() and len(code) == 5):
            raise ValidationError(_("Un code postal français comporte 5 chiffres."))
    return code


def normalise_email(value):
    email = text(value).lower()
    validate_email(email)
    return email


def split_emails(value):
    return [e for e in re.split(r"[,;\s]+", text(value).lower()) if e]


# Checking rows -----------------------------------------------------------------

# Empty cells the registry fills in the background, for a French company with a valid SIREN.
FROM_REGISTRY = ("name", "address", "postal_code", "city")
MAX_LENGTHS = {"name": 200, "address": 300, "postal_code": 16, "city": 100, "representative_name": 200}


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    reason: str


@dataclass
class DossierDraft:
    row: int
    values: dict  # Dossier fields
    assignee_ids: list = field(default_factory=list)
    from_registry: tuple = ()  # fields left empty by the sheet, to complete from SIRENE

    @property
    def month_label(self):
        return Month(self.values["fiscal_year_end_month"]).label


@dataclass
class Validation:
    drafts: list
    errors: list
    rows: int

    @property
    def invalid_rows(self):
        return sorted({error.row for error in self.errors})


class RowCells:
    """One row's cells by target field, and the errors found reading them."""

    def __init__(self, number, cells):
        self.number = number
        self.cells = cells
        self.errors = []

    def blank(self, key):
        return is_blank(self.cells.get(key))

    def text(self, key):
        return text(self.cells.get(key))

    def fail(self, key, reason):
        self.errors.append(RowError(self.number, str(FIELDS_BY_KEY[key].label), reason))

    def take(self, key, normalise, *args):
        """The cell normalised, or None: blank (an error when required) or refused."""
        if self.blank(key):
            if FIELDS_BY_KEY[key].required:
                self.fail(key, _("Ce champ est obligatoire."))
            return None
        try:
            return normalise(self.cells[key], *args)
        except ValidationError as error:
            self.fail(key, error.messages[0])
            return None


class RowChecker:
    """Checks the rows of one sheet against one firm's data, fetched once."""

    def __init__(self, firm):
        self.firm_sirens = set(Dossier.objects.filter(firm=firm).exclude(siren="").values_list("siren", flat=True))
        # A company without SIREN is known by its VAT number: it too may be a client only once.
        self.firm_vat_numbers = set(Dossier.objects.filter(firm=firm, siren="").exclude(vat_number="")
                                    .values_list("vat_number", flat=True))
        self.registered_firms = set(Firm.objects.values_list("siren", flat=True))
        staff = FirmMembership.objects.filter(firm=firm, has_delegation=True).values_list("user__email", "user_id")
        self.staff = {email.lower(): user_id for email, user_id in staff}
        self.seen = {}

    def check(self, sheet, mapping):
        self.seen = {}  # SIREN, or VAT number without SIREN -> the first row holding it
        drafts, errors = [], []
        for number, values in sheet.rows:
            row = RowCells(number, {key: values[index] if index is not None and index < len(values) else None
                                    for key, index in mapping.items()})
            draft = self.check_row(row)
            errors.extend(row.errors)
            if not row.errors:
                drafts.append(draft)
        return Validation(drafts=drafts, errors=errors, rows=len(sheet.rows))

    def check_row(self, row):
        country = row.take("country", normalise_country)
        siren = self.check_siren(row, country)
        completed = tuple(key for key in FROM_REGISTRY if row.blank(key)) if siren and country == "FR" else ()
        values = {key: row.text(key) for key in ("name", "address", "city", "representative_name")
                  if key not in completed}
        for key, value in values.items():
            if not value:
                row.fail(key, _("Ce champ est obligatoire."))
            elif len(value) > MAX_LENGTHS[key]:
                row.fail(key, _("Ce texte dépasse %(max)s caractères.") % {"max": MAX_LENGTHS[key]})
        if "postal_code" not in completed:
            values["postal_code"] = row.take("postal_code", normalise_postal_code, country)
        for key in completed:  # the SIREN stands for the name until the registry gives it
            values[key] = siren if key == "name" else ""
        values["vat_number"] = self.check_vat(row, country, siren)
        if not siren and values["vat_number"]:
            self.refuse_duplicate_vat(row, values["vat_number"])
        values["iban"] = row.take("iban", clean_iban) or ""
        values["bic"] = row.take("bic", clean_bic) or ""
        values["language"] = row.take("language", normalise_language)
        values["representative_language"] = row.take("representative_language", normalise_language) \
            or values["language"]
        values["fiscal_year_end_month"] = row.take("fiscal_year_end_month", normalise_month)
        values["vat_regime"] = row.take("vat_regime", normalise_vat_regime) or VatRegime.NOT_SET
        values["representative_email"] = row.take("representative_email", normalise_email)
        values.update(siren=siren or "", country=country)
        return DossierDraft(row.number, values, self.check_assignees(row), completed)

    def check_siren(self, row, country):
        if row.blank("siren"):
            if country in ("FR", None):
                row.fail("siren", _("Ce champ est obligatoire."))
            return None
        try:
            siren = clean_siren(row.text("siren"))
        except ValidationError as error:
            row.fail("siren", error.messages[0])
            return None
        if siren in self.registered_firms:
            row.fail("siren", _("Ce SIREN est celui d'un cabinet : un cabinet crée son compte via ComptExpert."))
        elif siren in self.firm_sirens:
            row.fail("siren", _("Ce client existe déjà dans le cabinet."))
        elif siren in self.seen:
            row.fail("siren", _("Ce SIREN figure déjà à la ligne %(row)s du fichier.") % {"row": self.seen[siren]})
        self.seen.setdefault(siren, row.number)
        return siren

    def check_vat(self, row, country, siren):
        if row.blank("vat_number"):
            if siren and country == "FR":
                return french_vat_number(siren)  # the number France gives every SIREN
            if country is not None:
                row.fail("vat_number", _("Ce champ est obligatoire."))
            return ""
        return row.take("vat_number", clean_vat_number, siren if country == "FR" else "") or ""

    def refuse_duplicate_vat(self, row, vat_number):
        if vat_number in self.firm_vat_numbers:
            row.fail("vat_number", _("Ce client existe déjà dans le cabinet."))
        elif ("vat", vat_number) in self.seen:
            row.fail("vat_number", _("Ce numéro de TVA figure déjà à la ligne %(row)s du fichier.")
                     % {"row": self.seen["vat", vat_number]})
        self.seen.setdefault(("vat", vat_number), row.number)

    def check_assignees(self, row):
        emails = split_emails(row.cells.get("assignees"))
        unknown = [email for email in emails if email not in self.staff]
        if unknown:
            row.fail("assignees", _("Pas un collaborateur du cabinet avec la délégation : %(emails)s.")
                     % {"emails": ", ".join(unknown)})
        return list(dict.fromkeys(self.staff[email] for email in emails if email in self.staff))
