"""Recognition of unstructured invoices: field accuracy by field and by kind, time per page, supplier memory.

    python bench/recognition.py          (BENCH_QUICK=1: a handful of documents, seconds)

Invoices are generated with their truth (einvoice.recognition.specimens): text
PDFs in varied layouts with one to fifty lines, the same pages as noisy skewed
scans (image-only PDF, 150 dpi) and as phone photos (JPEG, some turned on their
side or upside down). Goals (issue 14, 2-core machine): text PDFs ≥ 98 % of
header fields and totals exact and ≤ 1 s per page; scans ≥ 90 % and ≤ 5 s per
page; the second invoice of a supplier after one correction ≥ 99 %. The time
counts reading and recognising, not making the specimen: wall time, and CPU time
(this process and its Tesseract runs), which other load on the machine does not
inflate.
"""

import random
import resource
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path

import support

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from einvoice.recognition import learn, read_document, recognise
from einvoice.recognition.specimens import (
    BUYER,
    BUYER_IDS,
    HEADER_FIELDS,
    LAYOUTS,
    TOTAL_FIELDS,
    exact_fields,
    lines_exact,
    make_seller,
    make_specimen,
    photo_jpeg,
    render_pdf,
    scan_pdf,
)

COUNTS = {"text PDF": support.size(40, 3), "scan": support.size(12, 1), "photo": support.size(8, 0)}
MEMORY_SUPPLIERS = support.size(8, 1)
LONG_PAGES = support.size(20, 0)


def document(kind, rng):
    """A specimen of ``kind`` and its bytes."""
    if kind == "text PDF":
        specimen = make_specimen(rng, layout=rng.choice(LAYOUTS))
        return specimen, render_pdf(specimen)
    specimen = make_specimen(rng, layout=rng.choice(LAYOUTS), lines=rng.choice((1, 2, 4, 8, 12)))
    pdf = render_pdf(specimen)
    if kind == "scan":
        return specimen, scan_pdf(pdf, rng)
    return specimen, photo_jpeg(pdf, rng, turn=rng.choice((0, 0, 90, 180)))


def cpu_seconds():
    """CPU time of this process and of the Tesseract processes it ran (unlike wall time, the machine's
    other load does not count)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def read(data, memory=None):
    began, cpu = time.perf_counter(), cpu_seconds()
    pages = read_document(data)
    result = recognise(pages, buyer_ids=BUYER_IDS, buyer_names=[BUYER["name"]],
                       memory_for=(lambda fields: memory) if memory else None)
    return pages, result, (time.perf_counter() - began, cpu_seconds() - cpu)


def measure_kind(kind, count, rng):
    by_field, lines, seconds, cpu, pages_read = defaultdict(list), [], 0.0, 0.0, 0
    for _ in range(count):
        specimen, data = document(kind, rng)
        pages, result, elapsed = read(data)
        for name, ok in exact_fields(result, specimen.truth).items():
            by_field[name].append(ok)
        lines.append(lines_exact(result, specimen.truth))
        seconds, cpu = seconds + elapsed[0], cpu + elapsed[1]
        pages_read += len(pages)
    return by_field, lines, (seconds / pages_read, cpu / pages_read), pages_read


def percent(values):
    return 100 * sum(values) / len(values) if values else 0.0


def measure_memory(rng):
    """Suppliers whose layout no label rule reads: one correction on the first invoice, the second measured."""
    before, after = [], []
    for _ in range(MEMORY_SUPPLIERS):
        seller = make_seller(rng)
        first = make_specimen(rng, seller=seller, layout="quirky", lines=rng.choice((1, 3, 8)))
        pages, result, _elapsed = read(render_pdf(first))
        scores = exact_fields(result, first.truth)
        before.extend(scores.values())
        memory = {name: learn(pages, name, first.truth[name]) for name, ok in scores.items() if not ok}
        second = make_specimen(rng, seller=seller, layout="quirky", lines=rng.choice((2, 5, 20)))
        _pages, result, _elapsed = read(render_pdf(second), {k: v for k, v in memory.items() if v})
        after.extend(exact_fields(result, second.truth).values())
    return percent(before), percent(after)


def long_pdf(rng):
    """Time to read a text PDF of ``LONG_PAGES`` pages (the worker's time; no request waits for it)."""
    specimen = make_specimen(rng, layout="classique", lines=1)
    specimen.truth["lines"] = specimen.truth["lines"] * (LONG_PAGES * 38)
    pages, _result, (elapsed, _cpu) = read(render_pdf(specimen))
    return len(pages), elapsed


def main():
    rng = random.Random(14)
    ocr = shutil.which("tesseract") is not None
    print(f"Recognition of generated invoices{' (quick run)' if support.QUICK else ''}")
    print(f"{'kind':<10} {'docs':>5} {'pages':>6} {'header+totals exact':>20} {'lines exact':>12} {'s/page':>8} "
          f"{'CPU s/page':>11}")
    results = {}
    for kind, count in COUNTS.items():
        if not count:
            continue
        if kind != "text PDF" and not ocr:
            print(f"{kind:<10} skipped: Tesseract is not installed (make ocr)")
            continue
        by_field, lines, per_page, pages = measure_kind(kind, count, rng)
        results[kind] = by_field
        everything = [ok for name in HEADER_FIELDS + TOTAL_FIELDS for ok in by_field[name]]
        print(f"{kind:<10} {count:>5} {pages:>6} {percent(everything):>19.1f}% {percent(lines):>11.1f}% "
              f"{per_page[0]:>8.2f} {per_page[1]:>11.2f}")
    print("\nexact by field (%):")
    print(f"{'field':<16}" + "".join(f"{kind:>10}" for kind in results))
    for name in HEADER_FIELDS + TOTAL_FIELDS:
        print(f"{name:<16}" + "".join(f"{percent(results[kind][name]):>10.1f}" for kind in results))
    before, after = measure_memory(rng)
    print(f"\nsupplier memory ({MEMORY_SUPPLIERS} suppliers, unusual labels): first invoice {before:.1f}% exact, "
          f"second after one correction {after:.1f}% exact")
    if LONG_PAGES:
        pages, elapsed = long_pdf(rng)
        print(f"a {pages}-page text PDF: read in {elapsed:.2f} s ({elapsed / pages:.3f} s per page)")


if __name__ == "__main__":
    main()
