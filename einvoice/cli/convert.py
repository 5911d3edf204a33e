"""``facturier convert FILE --to cii|ubl|facturx -o OUT``: one syntax to another."""

import sys
from pathlib import Path

from einvoice.convert import TARGETS, convert
from einvoice.errors import EInvoiceError


def add_parser(subparsers):
    parser = subparsers.add_parser("convert", help="convert an invoice to CII, UBL or Factur-X")
    parser.add_argument("file", type=Path)
    parser.add_argument("--to", required=True, choices=TARGETS)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.set_defaults(run=run)


def run(args):
    try:
        data = args.file.read_bytes()
    except OSError as error:
        print(f"{args.file}: {error.strerror}", file=sys.stderr)
        return 1
    try:
        result = convert(data, args.to)
    except EInvoiceError as error:
        print(f"{args.file}: {error.rule}: {error}", file=sys.stderr)
        return 1
    try:
        args.output.write_bytes(result)
    except OSError as error:
        print(f"{args.output}: {error.strerror}", file=sys.stderr)
        return 1
    return 0
