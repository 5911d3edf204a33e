"""Read / write / convert throughput of the invoice model.

    python bench/engine_model.py [path/to/shared/corpus]

Prints per-invoice times over the CEN examples, then for one generated
5,000-line invoice: build + compute_totals, write CII, read it back, write UBL.
"""

import datetime
import sys
import time
from decimal import Decimal
from pathlib import Path

import support

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from einvoice.model import Invoice, Item, Line, Party, Price
from einvoice.read import read_invoice
from einvoice.tests.samples import CORPUS
from einvoice.write import EXTENDED_CTC_FR, to_cii, to_ubl

BIG_INVOICE_LINES = support.size(5000, 50)


def timed(function, *args, repeat=1):
    start = time.perf_counter()
    for _ in range(repeat):
        result = function(*args)
    return result, (time.perf_counter() - start) / repeat


def corpus_figures(corpus):
    files = sorted((corpus / "en16931" / "cii-examples").glob("*.xml")) + sorted(
        (corpus / "en16931" / "ubl-examples").glob("*.xml")
    )
    blobs = [path.read_bytes() for path in files]
    invoices, read_time = timed(lambda: [read_invoice(blob) for blob in blobs])
    _, cii_time = timed(lambda: [to_cii(invoice) for invoice in invoices])
    _, ubl_time = timed(lambda: [to_ubl(invoice) for invoice in invoices])
    count = len(blobs)
    print(f"CEN examples ({count} files):")
    print(f"  read        {1000 * read_time / count:7.2f} ms/invoice  ({count / read_time:6.0f} invoices/s)")
    print(f"  write CII   {1000 * cii_time / count:7.2f} ms/invoice")
    print(f"  write UBL   {1000 * ubl_time / count:7.2f} ms/invoice")


def big_invoice(lines):
    invoice = Invoice(number="BIG-1", issue_date=datetime.date(2026, 1, 1), seller=Party(name="S"),
                      buyer=Party(name="B"), business_process="B1")
    for index in range(lines):
        invoice.lines.append(Line(
            id=str(index + 1), quantity=Decimal(index % 7 + 1), unit_code="C62", net_amount=Decimal(0),
            price=Price(Decimal("12.3456")), item=Item(name=f"Article {index}", seller_id=f"REF{index}"),
            vat_category="S", vat_rate=Decimal(20) if index % 3 else Decimal("5.5"),
        ))
    invoice.compute_totals()
    return invoice


def big_figures(lines=BIG_INVOICE_LINES):
    invoice, build = timed(big_invoice, lines)
    cii, write_cii = timed(to_cii, invoice, EXTENDED_CTC_FR)
    back, read = timed(read_invoice, cii)
    _, write_ubl = timed(to_ubl, back)
    assert back.totals.payable == invoice.totals.payable
    print(f"Generated {lines}-line invoice ({len(cii) / 1e6:.1f} MB of CII):")
    print(f"  build + compute_totals {build:6.2f} s")
    print(f"  write CII              {write_cii:6.2f} s")
    print(f"  read CII               {read:6.2f} s")
    print(f"  write UBL              {write_ubl:6.2f} s")


if __name__ == "__main__":
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS
    if corpus.is_dir():
        corpus_figures(corpus)
    else:
        print(f"(no corpus at {corpus}: CEN figures skipped)")
    big_figures()
