"""``facturier validate [--format text|json] [--rules en16931|fr|fr-warning] FILE...``

Other tools parse this command's output; its contract:

- ``--format json`` prints JSON Lines on stdout, one object per FILE in the
  order given: ``{"file", "syntax": "CII"|"UBL"|"Factur-X"|null, "profile",
  "valid", "errors": [{"rule", "severity", "message", "location"}],
  "warnings": [...]}``, severities ``fatal``/``error`` (errors) and
  ``warning``/``information`` (warnings). A file that cannot be read (missing, corrupt, hostile,
  too large) has one error with rule ``unreadable``; a readable file in a
  format we do not handle has one with rule ``unsupported-format``.
- ``file`` is the FILE argument exactly as given (``./a.xml`` stays
  ``./a.xml``), so a caller can match reports to its own arguments.
- A file over the platform's per-file limit (``FACTURIER_MAX_FILE_MB``, 20 by
  default, as for uploads) is refused unread: rule ``unreadable``, with its size
  and the limit in French when the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``)
  is French, in English otherwise.
- Exit status: 0 when every file is valid, 1 when any is not, 2 on a usage
  error (argparse's own code, or an unusable ``FACTURIER_MAX_FILE_MB``).
- When the reader of stdout goes away (``validate ... | head -1``), the
  command prints nothing more and no traceback: stdout is pointed at
  ``os.devnull`` (the recipe of Python's ``signal`` documentation) and the
  remaining files are still validated, so the exit status keeps meaning the
  verdict on every FILE given.

All files are validated in this one process, so stylesheets compiled for the
first file serve the rest.
"""

import json
import os
import sys
from pathlib import Path

from einvoice.errors import TooLargeError, UnreadableError
from einvoice.validate import RULE_SETS, Report, validate

LIMIT_VARIABLE = "FACTURIER_MAX_FILE_MB"  # the platform's own per-file limit for received invoices
DEFAULT_MAX_FILE_MB = 20
MB = 1024 * 1024


def add_parser(subparsers):
    parser = subparsers.add_parser("validate", help="validate invoices against XSD, Schematron and BR-FR rules")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--rules", choices=RULE_SETS, default="fr",
                        help="en16931: XSD + profile Schematron; fr (default): adds BR-FR; "
                             "fr-warning: BR-FR findings as warnings, except the rules the official "
                             "France_RFE WARNING variant keeps fatal")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.set_defaults(run=run)


def run(args):
    try:
        limit = max_file_bytes()
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    all_valid = True
    for name in args.files:
        report = validate_file(Path(name), args.rules, limit)
        all_valid &= report.valid
        try:
            print(as_json(name, report) if args.format == "json" else as_text(name, report), flush=True)
        except BrokenPipeError:
            _discard_stdout()
    return 0 if all_valid else 1


def _discard_stdout():
    """Send what is left to print, and the final flush at exit, to ``os.devnull``."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def max_file_bytes():
    """The per-file limit the platform applies to uploads, so this command refuses what an upload would."""
    value = os.environ.get(LIMIT_VARIABLE, "").strip() or str(DEFAULT_MAX_FILE_MB)
    try:
        megabytes = int(value)
    except ValueError:
        megabytes = 0
    if megabytes <= 0:
        raise ValueError(f"{LIMIT_VARIABLE}={value!r}: " + (
            "attendu un nombre entier de Mo supérieur à 0" if _french() else "expected a whole number of MB above 0"))
    return megabytes * MB


def validate_file(path, rules, limit):
    try:
        return validate(read(path, limit), rules)
    except (UnreadableError, TooLargeError) as error:
        return Report.from_error(error, rules)


def read(path, limit):
    """The file's bytes; a file over ``limit`` is refused before it is read."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise TooLargeError(too_large_message(size, limit))
        return path.read_bytes()
    except FileNotFoundError:
        raise UnreadableError("no such file") from None
    except IsADirectoryError:
        raise UnreadableError("is a directory") from None
    except OSError as error:
        raise UnreadableError(error.strerror or "cannot read the file") from None


def too_large_message(size, limit):
    if _french():
        size_text, limit_text = f"{size / MB:.1f}".replace(".", ","), limit // MB
        return (f"Fichier trop volumineux ({size_text} Mo) : la limite est de {limit_text} Mo par fichier "
                f"({LIMIT_VARIABLE}).")
    return f"File too large ({size / MB:.1f} MB): the limit is {limit // MB} MB per file ({LIMIT_VARIABLE})."


def _french():
    """Whether the person reads French, as the POSIX locale variables say (the first one set wins)."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(variable):
            return os.environ[variable].lower().startswith("fr")
    return False


def as_json(name, report):
    return json.dumps({"file": name, **report.as_dict()})


def as_text(name, report):
    described = ", ".join(part for part in (report.syntax, report.profile) if part)
    verdict = "valid" if report.valid else "INVALID"
    lines = [f"{name}: {verdict}" + (f" ({described}; rules {report.rules})" if described else "")]
    for issue in (*report.errors, *report.warnings):
        lines.append(f"  {issue.severity:<8} {issue.rule}: {issue.message}")
        if issue.location:
            lines.append(f"           at {issue.location}")
    return "\n".join(lines)
