"""Engine commands of ``facturier`` (validate, convert, extract, render)."""

import sys


def main(argv):
    print("engine commands are not built yet", file=sys.stderr)
    return 2
