"""The cost of checking conversions over the whole corpus, target by target.

    python bench/conversion_corpus.py          (needs ../shared, or FACTURIER_SHARED)

``einvoice/tests/test_convert_corpus.py`` converts every corpus invoice to CII
and UBL, but only a sample of them to Factur-X: this prints what each target
costs over the whole corpus (conversion, then the engine's French rules and
CEN's stylesheets on the output), so the choice can be revisited with figures.
"""

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from einvoice.convert import convert  # noqa: E402
from einvoice.errors import InvoiceWriteError  # noqa: E402
from einvoice.tests.samples import corpus_samples  # noqa: E402
from einvoice.tests.test_convert_corpus import fired  # noqa: E402


def main():
    paths = [param.values[0] for param in corpus_samples() if param.values[0] is not None]
    if not paths:  # nothing to measure without the corpus, which is not part of the repository
        print("shared corpus not found (set FACTURIER_SHARED): nothing measured")
        return
    fired(paths[0].read_bytes())  # compile every stylesheet before timing
    started = time.perf_counter()
    for path in paths:
        fired(path.read_bytes())
    print(f"{len(paths)} corpus invoices, checking the inputs: {time.perf_counter() - started:.1f} s")
    for target in ("cii", "ubl", "facturx"):
        started, converted = time.perf_counter(), 0
        for path in paths:
            try:
                fired(convert(path.read_bytes(), target))
            except InvoiceWriteError:  # lineless invoices are refused as UBL
                continue
            converted += 1
        print(f"to {target}: {converted} outputs converted and checked in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
