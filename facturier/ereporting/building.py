"""Building a dossier's report for one kind and period: gather, write, check, keep.

    report = build(dossier, ReportKind.B2C, period, actor=user)

The XML is checked against the flux 10 XSD and business rules; the report is
"ready" only without error, and each error is kept with the invoice or day
that caused it and who must act. Rebuilding a report that has not left
replaces its content in place; once a report has left (issue 11's
connection), new data make a rectifying report (TypeCode RE, next revision)
that replaces it, and unchanged data make nothing; a refused report is built
again as a new initial one. Two builds of the same
report at once: the unique (dossier, kind, period, revision) constraint and a
conditional update let exactly one write.
"""

import hashlib
import re
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from einvoice.ereporting import Party, validate, write
from einvoice.ereporting import Report as Transmission
from einvoice.ereporting.model import ROLE_BUYER, ROLE_SELLER
from facturier.ereporting.gathering import GATHERERS, declarant
from facturier.ereporting.models import LEFT, Report, ReportKind, ReportStatus

ROWS_SHOWN = 500  # rows a report page lists; totals always cover every row
# TT-1 allows letters, digits, space, - + _ /: the kinds get a code without a dot.
KIND_CODES = {ReportKind.SALES: "101S", ReportKind.PURCHASES: "101P", ReportKind.PAYMENTS: "102",
              ReportKind.B2C: "103", ReportKind.B2C_PAYMENTS: "104"}
PAYMENT_KINDS = frozenset({ReportKind.PAYMENTS, ReportKind.B2C_PAYMENTS})
_ROW = re.compile(r"/(Invoice|Transactions)\[(\d+)\]")


def sender():
    """The accredited platform that transmits (TG-3). Issue 11's connection will supply its number."""
    return Party(id=settings.EREPORTING_PLATFORM_ID, scheme="0238", name=settings.EREPORTING_PLATFORM_NAME)


def transmission(dossier, kind, period, revision, items, *, now, rectifying=False):
    kind = ReportKind(kind)
    fields = {ReportKind.SALES: "invoices", ReportKind.PURCHASES: "invoices", ReportKind.PAYMENTS: "invoice_payments",
              ReportKind.B2C: "daily_transactions", ReportKind.B2C_PAYMENTS: "daily_payments"}
    identifier = f"FRR-{dossier.siren or dossier.pk}-{KIND_CODES[kind]}-{period.start:%Y%m%d}-R{revision}"
    return Transmission(
        id=identifier, issued_at=now, sender=sender(), declarant=declarant(dossier),
        declarant_role=ROLE_BUYER if kind == ReportKind.PURCHASES else ROLE_SELLER,
        period_start=period.start, period_end=period.end, type_code="RE" if rectifying else "IN",
        payments=kind in PAYMENT_KINDS, **{fields[kind]: tuple(items)},
    )


def content_hash(items):
    """What the report declares, independent of its header (time, revision)."""
    return hashlib.sha256(repr(items).encode()).hexdigest()


def build(dossier, kind, period, *, actor=None, now=None):
    """The report of ``kind`` for ``period``, built or rebuilt from today's data."""
    now = now or timezone.now()
    items, sources = GATHERERS[ReportKind(kind)](dossier, period.start, period.end)
    digest = content_hash(items)
    for _attempt in range(3):
        latest = Report.objects.filter(dossier=dossier, kind=kind, period_start=period.start).order_by(
            "-revision").first()
        if (latest is not None and latest.status in LEFT and latest.status != ReportStatus.REJECTED
                and latest.content_hash == digest):
            return latest  # what left already says this
        revision = latest.revision + (1 if latest.status in LEFT else 0) if latest else 0
        # What the new revision replaces: the report that left, unless it was refused (then never received).
        if latest is None or latest.status not in LEFT:
            replaces = latest.replaces if latest else None
        else:
            replaces = latest if latest.status != ReportStatus.REJECTED else None
        xml = write(transmission(dossier, kind, period, revision, items, now=now, rectifying=replaces is not None))
        errors = located_errors(validate(xml), sources) + profile_errors(dossier)
        values = {
            "period_end": period.end, "due_date": period.due, "xml": xml.decode(), "content_hash": digest,
            "summary": summarise(kind, items, sources), "errors": errors, "built_at": now, "built_by": actor,
            "status": ReportStatus.INVALID if errors else ReportStatus.READY,
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


def located_errors(verdict, sources):
    """The blocking findings, each with the invoice or day it is about (from its location)."""
    found = []
    for issue in verdict.errors:
        match = _ROW.search(issue.location or "")
        row = int(match.group(2)) - 1 if match else None
        source = sources[row] if row is not None and row < len(sources) else None
        if source is None:
            subject, action = _("En-tête du rapport"), _("À vérifier dans le profil TVA et la fiche du dossier.")
        else:
            subject, action = source.label, source.action
        found.append({"rule": issue.rule, "message": issue.message, "subject": str(subject),
                      "action": str(action), "row": row,
                      "invoice_id": source.invoice_id if source else None})
    return found


def summarise(kind, items, sources):
    """Totals per VAT rate and the first rows, as the report page shows them."""
    by_rate = defaultdict(lambda: [Decimal(0), Decimal(0)])
    rows = []
    kind = ReportKind(kind)
    for index, (item, source) in enumerate(zip(items, sources, strict=True)):
        if kind in PAYMENT_KINDS:
            for rate, amount in item.amounts:
                by_rate[rate][0] += amount
            total = sum((amount for _rate, amount in item.amounts), Decimal(0))
            row = {"label": str(source.label), "date": item.date.isoformat(), "amount": str(total)}
        else:
            for vat in item.vat:
                by_rate[vat.rate][0] += vat.taxable_amount
                by_rate[vat.rate][1] += vat.tax_amount
            excl = getattr(item, "total_excl_vat", Decimal(0))
            tax = getattr(item, "total_vat", Decimal(0))
            row = {"label": str(source.label), "date": source.date.isoformat() if source.date else "",
                   "excl": str(excl), "vat": str(tax)}
            party = getattr(item, "buyer" if kind == ReportKind.SALES else "seller", None)
            if party is not None:
                row.update(party=party.name, country=party.country)
        row.update(index=index, invoice_id=source.invoice_id)
        if index < ROWS_SHOWN:
            rows.append(row)
    return {
        "count": len(items),
        "by_rate": [[str(rate), str(base), str(tax)] for rate, (base, tax) in sorted(by_rate.items(), reverse=True)],
        "total_base": str(sum((base for base, _tax in by_rate.values()), Decimal(0))),
        "total_vat": str(sum((tax for _base, tax in by_rate.values()), Decimal(0))),
        "rows": rows,
    }
