"""Building a dossier's report for one kind and period: gather, write, check, keep.

    report = build(dossier, ReportKind.B2C, period, actor=user)

The XML is checked against the flux 10 XSD and business rules; the report is
"ready" only without error, and each error is kept with the invoice or day
that caused it and who must act. Rebuilding a report that has not left
replaces its content in place; once a report has left (``sending``),
new data make a rectifying report (TypeCode RE, next revision)
that replaces it, and unchanged data make nothing; a refused report is built
again as a new initial one. Two builds of the same
report at once: the unique (dossier, kind, period, revision) constraint and a
conditional update let exactly one write.
"""

import hashlib
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from einvoice.ereporting import Party
from einvoice.ereporting import Report as Transmission
from einvoice.ereporting.model import ROLE_BUYER, ROLE_SELLER
from einvoice.ereporting.validate import item_index, validate_part
from einvoice.ereporting.write import closing, item, opening
from facturier.ereporting.gathering import GATHERERS, declarant
from facturier.ereporting.models import LEFT, Report, ReportKind, ReportStatus

ROWS_SHOWN = 500  # rows a report page lists; totals always cover every row
PART_SIZE = 500  # items checked at once: the memory a build needs does not grow with its report
# TT-1 allows letters, digits, space, - + _ /: the kinds get a code without a dot.
KIND_CODES = {ReportKind.SALES: "101S", ReportKind.PURCHASES: "101P", ReportKind.PAYMENTS: "102",
              ReportKind.B2C: "103", ReportKind.B2C_PAYMENTS: "104"}
PAYMENT_KINDS = frozenset({ReportKind.PAYMENTS, ReportKind.B2C_PAYMENTS})


def sender():
    """The accredited platform that transmits (TG-3). Issue 11's connection will supply its number."""
    return Party(id=settings.EREPORTING_PLATFORM_ID, scheme="0238", name=settings.EREPORTING_PLATFORM_NAME)


def transmission(dossier, kind, period, revision, *, now, rectifying=False):
    """The header of the transmission; its items are written after it, one by one."""
    kind = ReportKind(kind)
    identifier = f"FRR-{dossier.siren or dossier.pk}-{KIND_CODES[kind]}-{period.start:%Y%m%d}-R{revision}"
    return Transmission(
        id=identifier, issued_at=now, sender=sender(), declarant=declarant(dossier),
        declarant_role=ROLE_BUYER if kind == ReportKind.PURCHASES else ROLE_SELLER,
        period_start=period.start, period_end=period.end, type_code="RE" if rectifying else "IN",
        payments=kind in PAYMENT_KINDS,
    )


@dataclass
class Written:
    """A report written and checked: its XML (gzip), what it declares (hash), its summary and its errors."""

    document: bytes
    content_hash: str
    summary: dict
    errors: list = field(default_factory=list)


def write_and_check(dossier, kind, header):
    """Write the report's items as they are gathered, check them a part at a time, keep the XML compressed.

    Nothing grows with the number of items but the compressed XML (a 5,000
    invoice report is about 5 MB of XML, a few hundred kB kept) and the page's
    first rows. The content hash covers the items' XML, not the header (its
    time and revision), so an unchanged report is recognised as such.
    """
    head, tail = opening(header), closing(header)
    compressor = zlib.compressobj(wbits=31)  # gzip
    document, digest, summary, errors, part = [compressor.compress(head)], hashlib.sha256(), Summary(kind), [], []
    count = 0
    for count, (value, source) in enumerate(GATHERERS[kind](dossier, header.period_start, header.period_end), 1):
        fragment = item(value)
        document.append(compressor.compress(fragment))
        digest.update(fragment)
        summary.add(value, source)
        part.append((fragment, source))
        if len(part) == PART_SIZE:
            errors += checked(head, part, tail, first=count - len(part))
            part = []
    if part or not count:
        errors += checked(head, part, tail, first=count - len(part))
    document += [compressor.compress(tail), compressor.flush()]
    return Written(b"".join(document), digest.hexdigest(), summary.as_dict(), errors)


def checked(head, part, tail, *, first):
    """The blocking findings about the items of ``part`` ((fragment, source) pairs), and about the header once."""
    verdict = validate_part(head, [fragment for fragment, _source in part], tail, first=first)
    return located_errors(verdict, [source for _fragment, source in part], first)


def build(dossier, kind, period, *, actor=None, now=None):
    """The report of ``kind`` for ``period``, built or rebuilt from today's data."""
    now = now or timezone.now()
    kind = ReportKind(kind)
    for _attempt in range(3):
        latest = Report.objects.filter(dossier=dossier, kind=kind, period_start=period.start).defer(
            "xml_gzip", "summary", "errors").order_by("-revision").first()
        revision = latest.revision + (1 if latest.status in LEFT else 0) if latest else 0
        # What the new revision replaces: the report that left, unless it was refused (then never received).
        if latest is None or latest.status not in LEFT:
            replaces = latest.replaces if latest else None
        else:
            replaces = latest if latest.status != ReportStatus.REJECTED else None
        header = transmission(dossier, kind, period, revision, now=now, rectifying=replaces is not None)
        written = write_and_check(dossier, kind, header)
        if (latest is not None and latest.status in LEFT and latest.status != ReportStatus.REJECTED
                and latest.content_hash == written.content_hash):
            return latest  # what left already says this
        errors = written.errors + profile_errors(dossier)
        values = {
            "period_end": period.end, "due_date": period.due, "xml_gzip": written.document,
            "content_hash": written.content_hash, "summary": written.summary, "errors": errors, "built_at": now,
            "built_by": actor, "status": ReportStatus.INVALID if errors else ReportStatus.READY,
        }
        if latest is not None and latest.status not in LEFT:
            updated = Report.objects.filter(pk=latest.pk, status__in=[ReportStatus.INVALID, ReportStatus.READY],
                                            revision=latest.revision).update(**values)
            if updated:
                latest.refresh_from_db()
                return latest
            continue  # it left meanwhile: build again against what was sent
        try:
            with transaction.atomic():
                return Report.objects.create(
                    dossier=dossier, kind=kind, period_start=period.start, revision=revision,
                    replaces=replaces,
                    **values)
        except IntegrityError:
            continue  # another build created it first: look again
    raise RuntimeError("the report kept changing while it was built")


def profile_errors(dossier):
    """What the dossier itself lacks for any report, said for the person who fills its file."""
    if dossier.siren:
        return []
    return [{"rule": "G6.26", "subject": _("Dossier"), "row": None,
             "message": _("Le dossier n'a pas de SIREN : le déclarant d'un e-reporting est identifié par son "
                          "SIREN."),
             "action": _("À compléter dans la fiche du client (cabinet).")}]


def located_errors(verdict, sources, first=0):
    """The blocking findings, each with the invoice or day it is about (``sources`` from item ``first`` on)."""
    found = []
    for issue in verdict.errors:
        row = item_index(issue.location)
        source = sources[row - first] if row is not None and 0 <= row - first < len(sources) else None
        if source is None:
            subject, action = _("En-tête du rapport"), _("À vérifier dans le profil TVA et la fiche du dossier.")
        else:
            subject, action = source.label, source.action
        found.append({"rule": issue.rule, "message": issue.message, "subject": str(subject),
                      "action": str(action), "row": row,
                      "invoice_id": source.invoice_id if source else None})
    return found


class Summary:
    """Totals per VAT rate and the first rows, as the report page shows them, added up item by item."""

    def __init__(self, kind):
        self.kind = ReportKind(kind)
        self.by_rate = defaultdict(lambda: [Decimal(0), Decimal(0)])
        self.rows = []
        self.count = 0

    def add(self, value, source):
        if self.kind in PAYMENT_KINDS:
            for rate, amount in value.amounts:
                self.by_rate[rate][0] += amount
            row = {"label": str(source.label), "date": value.date.isoformat(),
                   "amount": str(sum((amount for _rate, amount in value.amounts), Decimal(0)))}
        else:
            for vat in value.vat:
                self.by_rate[vat.rate][0] += vat.taxable_amount
                self.by_rate[vat.rate][1] += vat.tax_amount
            row = {"label": str(source.label), "date": source.date.isoformat() if source.date else "",
                   "excl": str(value.total_excl_vat), "vat": str(value.total_vat)}
            party = getattr(value, "buyer" if self.kind == ReportKind.SALES else "seller", None)
            if party is not None:
                row.update(party=party.name, country=party.country)
        if self.count < ROWS_SHOWN:
            self.rows.append(dict(row, index=self.count, invoice_id=source.invoice_id))
        self.count += 1

    def as_dict(self):
        by_rate = self.by_rate.values()
        return {
            "count": self.count,
            "by_rate": [[str(rate), str(base), str(tax)]
                        for rate, (base, tax) in sorted(self.by_rate.items(), reverse=True)],
            "total_base": str(sum((base for base, _tax in by_rate), Decimal(0))),
            "total_vat": str(sum((tax for _base, tax in by_rate), Decimal(0))),
            "rows": self.rows,
        }
