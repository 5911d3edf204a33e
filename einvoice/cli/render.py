"""``facturier render FILE -o OUT.html|OUT.pdf [--lang fr|en]``: a readable view of an invoice."""

import sys
from pathlib import Path

from einvoice.errors import EInvoiceError

FORMATS = (".html", ".pdf")


def add_parser(subparsers):
    parser = subparsers.add_parser("render", help="render an invoice as readable HTML or PDF")
    parser.add_argument("file", type=Path, help="CII, UBL or Factur-X invoice")
    parser.add_argument("-o", "--output", type=Path, required=True, help="OUT.html or OUT.pdf")
    parser.add_argument("--lang", choices=("fr", "en"), default="fr")
    parser.set_defaults(run=run, parser=parser)


def run(args):
    suffix = args.output.suffix.lower()
    if suffix not in FORMATS:
        args.parser.print_usage(sys.stderr)
        print(f"facturier render: error: the output must end in .html or .pdf, not {args.output.name!r}",
              file=sys.stderr)
        return 2
    from einvoice.read import read_invoice
    from einvoice.render import render_html, render_pdf

    try:
        invoice = read_invoice(args.file.read_bytes())
    except OSError as error:
        print(f"{args.file}: {error.strerror}", file=sys.stderr)
        return 1
    except EInvoiceError as error:
        print(f"{args.file}: {error.rule}: {error}", file=sys.stderr)
        return 1
    if suffix == ".html":
        args.output.write_text(render_html(invoice, args.lang), encoding="utf-8")
    else:
        args.output.write_bytes(render_pdf(invoice, args.lang))
    return 0
