"""Engine commands of ``facturier``: validate, convert, extract, render.

Each command is a module of this package with ``add_parser(subparsers)``
registering its arguments and a ``run(args)`` returning the exit code. Exit
codes: 0 success, 1 the input is invalid or could not be processed (or the
output could not be written), 2 usage. Errors are one line on stderr, never a
traceback.
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


def write_output(path, data):
    """Write a command's result to ``path``: 0, or 1 with a one-line message when it cannot be written."""
    try:
        path.write_bytes(data)
    except OSError as error:
        print(f"{path}: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0


def main(argv=None):
    parser = build_parser()
    try:
        args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exit:
        return int(exit.code or 0)
    return args.run(args)
