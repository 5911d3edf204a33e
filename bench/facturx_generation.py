"""Factur-X generation and rendering times.

    python bench/facturx_generation.py

Prints the cold first call (a fresh process: imports, font set-up, stylesheet
parsing included), warm medians for a one-page invoice (goal ≤ 300 ms) and a
500-line invoice (goal ≤ 3 s), and the HTML rendering times. Wall-clock times
are shown with the process CPU time beside them: on a shared machine the
difference is time spent waiting for a core.
"""

import io
import statistics
import subprocess
import sys
import time
from pathlib import Path

import support

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COLD = """
import time
start = time.perf_counter()
from einvoice.facturx import to_facturx
from einvoice.tests.invoice_samples import one_page_invoice
invoice = one_page_invoice()
ready, ready_cpu = time.perf_counter(), time.process_time()
to_facturx(invoice)
print(ready - start, time.perf_counter() - ready, time.process_time() - ready_cpu)
"""


def timed(function, runs):
    """Median wall-clock and CPU seconds of ``runs`` calls, and the last result."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def pages(pdf):
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def main():
    from einvoice.facturx import to_facturx
    from einvoice.render import render_html
    from einvoice.tests.invoice_samples import (
        catalogue_invoice,
        one_page_invoice,
        rich_invoice,
    )

    done = subprocess.run([sys.executable, "-c", COLD], cwd=ROOT, capture_output=True, text=True, check=True)
    imports, first, first_cpu = map(float, done.stdout.split())
    print(f"cold process: imports {imports * 1000:.0f} ms, then first Factur-X of a one-page invoice "
          f"{first * 1000:.0f} ms (CPU {first_cpu * 1000:.0f} ms; WeasyPrint is imported in this call)")

    lines = support.size(500, 5)
    one_page, catalogue, rich = one_page_invoice(), catalogue_invoice(lines), rich_invoice(lines=lines - 1)
    to_facturx(one_page)  # warm-up
    runs = support.size(9, 1)
    wall, cpu, pdf = timed(lambda: to_facturx(one_page), runs)
    print(f"Factur-X, one-page invoice ({pages(pdf)} page): median {wall * 1000:.0f} ms "
          f"(CPU {cpu * 1000:.0f} ms) of {runs} runs — goal ≤ 300 ms")
    runs = support.size(3, 1)
    for name, invoice in ((f"{lines} catalogue lines", catalogue), (f"{lines} lines with full details", rich)):
        wall, cpu, pdf = timed(lambda invoice=invoice: to_facturx(invoice), runs)
        print(f"Factur-X, {name} ({pages(pdf)} pages, {len(pdf) // 1024} KiB): median {wall:.2f} s "
              f"(CPU {cpu:.2f} s) of {runs} runs — goal ≤ 3 s")
    wall, _, _ = timed(lambda: render_html(one_page), support.size(21, 1))
    long_wall, _, _ = timed(lambda: render_html(catalogue), support.size(5, 1))
    print(f"HTML view: one-page invoice {wall * 1000:.1f} ms, {lines} lines {long_wall * 1000:.0f} ms")


if __name__ == "__main__":
    main()
