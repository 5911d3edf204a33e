"""Import of a 5,000-row client list: parse + check + create, registry look-ups excluded.

    python bench/import_clients.py [rows]

Runs on a throwaway SQLite database; prints seconds per step and rows/s (goal: 10 s).
"""

import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import support

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="facturier-bench-")
os.environ.update(DJANGO_SETTINGS_MODULE="facturier.settings", FACTURIER_DATA_DIR=WORKDIR, FACTURIER_TASKS="immediate",
                  DATABASE_URL=f"sqlite:///{WORKDIR}/bench.sqlite3", FACTURIER_LOG_LEVEL="WARNING")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from stdnum import luhn  # noqa: E402

from facturier.accounts.models import User  # noqa: E402
from facturier.dossiers.importing import import_dossiers  # noqa: E402
from facturier.dossiers.models import Assignment, Dossier  # noqa: E402
from facturier.dossiers.spreadsheet import RowChecker, read_spreadsheet, suggest_mapping  # noqa: E402
from facturier.firms.models import Firm, FirmMembership, Role  # noqa: E402

HEADERS = ["RAISON SOCIALE", "ADRESSES RUE", "CODE POSTAL", "VILLE", "PAYS", "SIREN", "NUM TVA", "BIC", "IBAN",
           "LANGUE", "Mois de clôture", "INTERLOCUTEUR", "LANGUE DU CONTACT", "EMAIL CONTACT", "AFFECTATIONS"]
MONTHS = ["Janvier", "Février", "Mars", "Avril", "Mai", "Juin", "Juillet", "Août", "Septembre", "Octobre",
          "Novembre", "Décembre"]


def sirens(count):
    """Distinct valid SIRENs: eight digits and their Luhn key."""
    for number in range(100_000_01, 100_000_01 + count):
        yield f"{number}{luhn.calc_check_digit(str(number))}"


def workbook(rows, staff):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Clients")
    sheet.append(HEADERS)
    for i, siren in enumerate(sirens(rows)):
        sheet.append([f"Client {i:05d} SAS", f"{i % 200 + 1} rue de la République", f"{75001 + i % 20}", "Paris",
                      "France", siren, "", "BNPAFRPP", "FR76 3000 6000 0112 3456 7890 189", "Français",
                      MONTHS[i % 12], f"Contact {i}", "FR", f"contact{i}@client{i}.test",
                      ", ".join(staff[i % len(staff): i % len(staff) + 2])])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main(rows):
    call_command("migrate", verbosity=0)
    firm = Firm.objects.create(siren="443061841", name="Cabinet Bench", terms_accepted_at=timezone.now())
    accountant = User.objects.create_user("expert@bench.test", sso_subject="expert")
    FirmMembership.objects.create(firm=firm, user=accountant, role=Role.CHARTERED_ACCOUNTANT, has_delegation=True)
    staff = []
    for n in range(5):
        user = User.objects.create_user(f"collab{n}@bench.test", sso_subject=f"collab{n}")
        FirmMembership.objects.create(firm=firm, user=user, has_delegation=True)
        staff.append(user.email)
    data = workbook(rows, staff)

    started = time.perf_counter()
    sheet = read_spreadsheet(data, "clients.xlsx")
    parsed = time.perf_counter()
    validation = RowChecker(firm).check(sheet, suggest_mapping(sheet.headers))
    checked = time.perf_counter()
    import_dossiers(firm, accountant, validation, source="bench.xlsx")
    imported = time.perf_counter()

    assert not validation.errors, validation.errors[:3]
    assert Dossier.objects.filter(firm=firm).count() == rows
    total = imported - started
    print(f"rows: {rows} ({len(data) / 1024:.0f} KiB .xlsx), assignments: {Assignment.objects.count()}")
    print(f"parse:  {parsed - started:6.2f} s")
    print(f"check:  {checked - parsed:6.2f} s")
    print(f"import: {imported - checked:6.2f} s")
    print(f"total:  {total:6.2f} s  ({rows / total:,.0f} rows/s; goal <= 10 s)")


if __name__ == "__main__":
    try:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else support.size(5000, 20))
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)
