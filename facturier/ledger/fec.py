"""The FEC (fichier des écritures comptables, art. A47 A-1 LPF) and a CSV of the same entries, streamed.

The FEC is written as the BOFiP (BOI-CF-IOR-60-40-20) describes a flat file:
the 18 columns in order, a header line of their names, tab separated, one line
per entry line, CR LF line ends, dates AAAAMMJJ, amounts with a decimal comma
and no thousands separator, encoded in ISO 8859-15, one of the character sets
the article names (a character it cannot hold is written "?"). Tabs and line
breaks inside labels become spaces, so a label can never shift a column.

Entries are numbered (EcritureNum) in the file: continuously from 1 in each
journal, in chronological order (date, then booking order), as "AC000001".

Rows come from one ordered query read with ``.iterator()`` (a server-side cursor
on PostgreSQL) and leave as byte chunks of ``CHUNK_LINES`` lines, so memory does
not grow with the file.
"""

import codecs
import csv
import datetime
import io

from django.db import connections
from django.utils import timezone

from facturier.ledger.models import EntryLine
from facturier.spreadsheets import inert_row

COLUMNS = (
    "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum",
    "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
    "ValidDate", "Montantdevise", "Idevise",
)
CSV_COLUMNS = (
    "Journal", "Libellé journal", "N° écriture", "Date", "Compte", "Libellé compte", "Compte auxiliaire",
    "Libellé auxiliaire", "Pièce", "Date pièce", "Libellé", "Débit", "Crédit", "Lettrage", "Date lettrage",
    "Date validation", "Montant devise", "Devise",
)
FEC_ENCODING = "iso-8859-15"
CSV_ENCODING = "utf-8"
CHUNK_LINES = 2000
_FIELDS = (
    "entry_id", "entry__journal", "entry__journal_label", "entry__date", "account", "account_label",
    "auxiliary", "auxiliary_label", "entry__piece_ref", "entry__piece_date", "label", "debit", "credit",
    "entry__booked_at", "currency_amount", "entry__currency",
)
_SEPARATORS = str.maketrans({"\t": " ", "\r": " ", "\n": " "})


def export_lines(dossier, *, start=None, end=None, integrated_at=None):
    """The entry lines of an export, in FEC order: journal, date, entry, position."""
    lines = EntryLine.objects.filter(entry__dossier=dossier)
    if start is not None:
        lines = lines.filter(entry__date__gte=start)
    if end is not None:
        lines = lines.filter(entry__date__lte=end)
    if integrated_at is not None:
        lines = lines.filter(entry__invoice__integrated_at=integrated_at)
    return lines.order_by("entry__journal", "entry__date", "entry_id", "position")


def fec_chunks(lines):
    """The FEC file of ``lines`` (an ordered queryset), as encoded byte chunks.

    Unlike the CSV, its values are not made inert for spreadsheets (no apostrophe
    before ``=``, ``+``, ``-``, ``@``): the FEC is a legal record read by the tax
    administration's and accounting software, which must find each label exactly as
    booked (an altered EcritureLib would no longer match the books), and it is a
    tab-separated .txt file, not one a spreadsheet opens as cells by itself. Who
    wants the entries in a spreadsheet downloads the CSV.
    """
    buffer = ["\t".join(COLUMNS)]
    for row in _rows(lines, _fec_date):
        buffer.append("\t".join(row))
        if len(buffer) >= CHUNK_LINES:
            yield _encode(buffer)
            buffer = []
    if buffer:
        yield _encode(buffer)


def csv_chunks(lines):
    """The same entries for a spreadsheet: semicolons (quoted where a value holds one),
    decimal commas, dates JJ/MM/AAAA, UTF-8 with a byte-order mark. A label a
    spreadsheet would run as a formula (``=HYPERLINK(...)`` from a supplier) is made inert."""
    yield codecs.BOM_UTF8  # tells French Excel the file is UTF-8
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for count, row in enumerate(_rows(lines, _csv_date), 1):
        writer.writerow(inert_row(row))
        if count % CHUNK_LINES == 0:
            yield _drain(text)
    yield _drain(text)


def _encode(buffer):
    return ("\r\n".join(buffer) + "\r\n").encode(FEC_ENCODING, errors="replace")


def _drain(text):
    value = text.getvalue()
    text.seek(0)
    text.truncate()
    return value.encode(CSV_ENCODING)


def _rows(lines, date):
    numbers = {}
    current_entry, number = None, ""
    text = _Memo(_clean)
    dates = _Memo(date)
    valid = _Memo(lambda moment: date(timezone.localdate(_aware(moment))))
    for (entry_id, journal, journal_label, entry_date, account, account_label, auxiliary, auxiliary_label,
         piece_ref, piece_date, label, debit, credit, booked_at, currency_amount, currency) in _raw_rows(lines):
        if entry_id != current_entry:
            current_entry = entry_id
            numbers[journal] = numbers.get(journal, 0) + 1
            number = f"{journal}{numbers[journal]:06d}"
        foreign = currency != "EUR"
        yield (
            text[journal], text[journal_label], number, dates[entry_date], text[account], text[account_label],
            text[auxiliary], text[auxiliary_label], text[piece_ref], dates[piece_date], text[label],
            _amount(debit), _amount(credit), "", "", valid[booked_at],
            _amount(currency_amount) if foreign and currency_amount is not None else "",
            currency if foreign else "",
        )


def _raw_rows(lines):
    """The rows of ``lines`` as the database driver returns them, fetched in chunks
    through the cursor ``.iterator()`` uses (server-side on PostgreSQL).

    Django's per-value converters cost two thirds of the export time; the
    drivers already return dates, times and (PostgreSQL) decimals, and the
    values that need formatting repeat from line to line (``_Memo``).
    """
    queryset = lines.values_list(*_FIELDS)
    connection = connections[queryset.db]
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    server_side = not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    with connection.chunked_cursor() if server_side else connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK_LINES):
            yield from rows


def _aware(value):
    """SQLite's driver returns times naive, in UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)


class _Memo(dict):
    """Values already formatted: accounts, labels and dates repeat from line to line.
    Bounded, so memory stays flat however long the file."""

    MAX_SIZE = 10_000

    def __init__(self, function):
        super().__init__()
        self.function = function

    def __missing__(self, value):
        if len(self) >= self.MAX_SIZE:
            self.clear()
        result = self[value] = self.function(value)
        return result


def _clean(value):
    return value.translate(_SEPARATORS)


def _amount(value):
    """A Decimal (PostgreSQL) or the int/float SQLite stores a decimal column as, with a decimal comma."""
    return f"{value:.2f}".replace(".", ",")


def _fec_date(value: datetime.date):
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _csv_date(value: datetime.date):
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
