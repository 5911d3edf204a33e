"""``facturier validate [--format text|json] [--rules en16931|fr|fr-warning] FILE...``

Other tools parse this command's output; its contract:

- ``--format json`` prints JSON Lines on stdout, one object per FILE in the
  order given: ``{"file", "syntax": "CII"|"UBL"|"Factur-X"|null, "profile",
  "valid", "errors": [{"rule", "severity", "message", "location"}],
  "warnings": [...]}``, severities ``fatal``/``error`` (errors) and
  ``warning``/``information`` (warnings). A file that cannot be read (missing, corrupt, hostile,
  too large) has one error with rule ``unreadable``; a readable file in a
  format we do not handle has one with rule ``unsupported-format``.
- Exit status: 0 when every file is valid, 1 when any is not, 2 on a usage
  error (argparse's own code).

All files are validated in this one process, so stylesheets compiled for the
first file serve the rest.
"""

import json
from pathlib import Path

from einvoice import pdf, xml
from einvoice.errors import TooLargeError, UnreadableError
from einvoice.validate import RULE_SETS, Report, validate

MAX_FILE_BYTES = max(pdf.MAX_PDF_BYTES, xml.MAX_XML_BYTES)


def add_parser(subparsers):
    parser = subparsers.add_parser("validate", help="validate invoices against XSD, Schematron and BR-FR rules")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--rules", choices=RULE_SETS, default="fr",
                        help="en16931: XSD + profile Schematron; fr (default): adds BR-FR; "
                             "fr-warning: BR-FR findings as warnings")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.set_defaults(run=run)


def run(args):
    all_valid = True
    for path in args.files:
        report = validate_file(path, args.rules)
        all_valid &= report.valid
        print(as_json(path, report) if args.format == "json" else as_text(path, report), flush=True)
    return 0 if all_valid else 1


def validate_file(path, rules):
    try:
        return validate(read(path), rules)
    except (UnreadableError, TooLargeError) as error:
        return Report.from_error(error, rules)


def read(path):
    """The file's bytes; a file over the limits is refused before it is read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise TooLargeError(f"file of {size} bytes exceeds the {MAX_FILE_BYTES}-byte limit")
        return path.read_bytes()
    except FileNotFoundError:
        raise UnreadableError("no such file") from None
    except IsADirectoryError:
        raise UnreadableError("is a directory") from None
    except OSError as error:
        raise UnreadableError(error.strerror or "cannot read the file") from None


def as_json(path, report):
    return json.dumps({"file": str(path), **report.as_dict()})


def as_text(path, report):
    described = ", ".join(part for part in (report.syntax, report.profile) if part)
    verdict = "valid" if report.valid else "INVALID"
    lines = [f"{path}: {verdict}" + (f" ({described}; rules {report.rules})" if described else "")]
    for issue in (*report.errors, *report.warnings):
        lines.append(f"  {issue.severity:<8} {issue.rule}: {issue.message}")
        if issue.location:
            lines.append(f"           at {issue.location}")
    return "\n".join(lines)
