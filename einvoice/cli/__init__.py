"""Engine commands of ``facturier``: validate, convert, extract, render.

Each command is a module of this package with ``add_parser(subparsers)``
registering its arguments and a ``run(args)`` returning the exit code. Exit
codes: 0 success, 1 the input is invalid or could not be processed, 2 usage.
"""

import argparse
import importlib
import sys

COMMANDS = ("validate", "convert", "extract", "render")


def build_parser():
    parser = argparse.ArgumentParser(prog="facturier", description="Facturier invoice engine")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(f"einvoice.cli.{name}").add_parser(subparsers)
    return parser


def main(argv=None):
    parser = build_parser()
    try:
        args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exit:
        return int(exit.code or 0)
    return args.run(args)
