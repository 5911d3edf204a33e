"""Spreadsheet bombs against the client import's reader: seconds and peak memory to refuse each,
and to read a legitimate list of 20,000 clients.

    python bench/spreadsheet_bombs.py

Goal: a bomb refused in under 2 s and 200 MB (the figures the tests also assert).
"""

import io
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(DJANGO_SETTINGS_MODULE="facturier.settings", FACTURIER_DATA_DIR=tempfile.mkdtemp(),
                  FACTURIER_LOG_LEVEL="WARNING")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402

from facturier.dossiers.spreadsheet import SpreadsheetError, read_spreadsheet  # noqa: E402
from facturier.dossiers.tests.import_helpers import (  # noqa: E402
    SEED_HEADERS,
    far_apart_cells_xls,
    far_apart_cells_xlsx,
    million_cells_xlsx,
)


def legitimate_list(rows=20_000):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(SEED_HEADERS)
    for n in range(rows):
        sheet.append([f"Client {n}", f"{n} rue de la Paix", "75002", "Paris", "France", "552100554", "",
                      "BNPAFRPP", "FR76 3000 6000 0112 3456 7890 189", "Français", "Décembre", f"Jeanne {n}", "FR",
                      f"j{n}@acme.test", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def measure(name, data, filename, memory):
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        outcome = f"{len(read_spreadsheet(data, filename).rows)} rows read"
    except SpreadsheetError as error:
        outcome = f"refused: {error}"
    elapsed = time.perf_counter() - started
    peak = f"{tracemalloc.get_traced_memory()[1] / 2**20:.0f} MiB" if memory else "-"
    tracemalloc.stop()
    print(f"{name:<28} {len(data) / 1024:>7.0f} KB {elapsed:>7.2f} s {peak:>8}  {outcome}")


if __name__ == "__main__":
    print(f"{'file':<28} {'size':>10} {'time':>9} {'peak':>8}")
    measure("million repeated cells", million_cells_xlsx(), "c.xlsx", memory=True)
    measure("two cells far apart .xlsx", far_apart_cells_xlsx(), "c.xlsx", memory=True)
    measure("two cells far apart .xls", far_apart_cells_xls(), "c.xls", memory=True)
    legitimate = legitimate_list()
    measure("20 000 clients (time)", legitimate, "c.xlsx", memory=False)
    measure("20 000 clients (memory)", legitimate, "c.xlsx", memory=True)
