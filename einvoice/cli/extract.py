"""``facturier extract FILE.pdf -o OUT.xml``: the invoice XML embedded in a PDF."""

import sys
from pathlib import Path

from einvoice import pdf
from einvoice.cli import write_output
from einvoice.errors import EInvoiceError


def add_parser(subparsers):
    parser = subparsers.add_parser("extract", help="extract the invoice XML from a Factur-X PDF")
    parser.add_argument("file", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.set_defaults(run=run)


def run(args):
    try:
        _, xml_bytes = pdf.extract_invoice_xml(args.file.read_bytes())
    except OSError as error:
        print(f"{args.file}: {error.strerror}", file=sys.stderr)
        return 1
    except EInvoiceError as error:
        print(f"{args.file}: {error.rule}: {error}", file=sys.stderr)
        return 1
    return write_output(args.output, xml_bytes)
