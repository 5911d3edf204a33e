"""Issuing a sales invoice or credit note: draft → validated → numbered → archived.

    invoice = save_draft(dossier, draft, customer=customer, by=user)   # Invoice.state "draft"
    issue(invoice, by=user)    # raises InvoiceInvalid(report) and leaves the draft as it was

The engine checks the invoice (French rules included) before it gets a
number: an invalid invoice never consumes one, never reaches the archive and
never leaves. The number, the archived original, the 200 "Déposée" event and
the row's new state are written in one transaction; ``invoice_issued`` is sent
once it is committed, and the exchange app takes it from there.
"""

from django.db import transaction
from django.utils import timezone

from einvoice.facturx import to_facturx
from einvoice.lifecycle import LifecycleStatus
from einvoice.validate import validate
from einvoice.write import EN16931, to_cii, to_ubl
from facturier.archive.models import Kind
from facturier.archive.store import prepare
from facturier.audit.models import AuditAction
from facturier.audit.models import record as audit
from facturier.dossiers.company import company_logo
from facturier.invoices.documents import row_fields
from facturier.invoices.issuing.document import build_document
from facturier.invoices.issuing.numbering import next_number
from facturier.invoices.lifecycle import Party, record_remote_event
from facturier.invoices.models import (
    DeliveryState,
    Direction,
    Invoice,
    InvoiceState,
    OutputFormat,
    customer_language,
)
from facturier.invoices.signals import invoice_issued

CREDIT_NOTE = "381"
SYNTAX = {OutputFormat.FACTURX: "Factur-X", OutputFormat.CII: "CII", OutputFormat.UBL: "UBL"}
MEDIA = {
    OutputFormat.FACTURX: ("pdf", "application/pdf"),
    OutputFormat.CII: ("xml", "application/xml"),
    OutputFormat.UBL: ("xml", "application/xml"),
}


class IssuingError(Exception):
    """The invoice cannot be issued; the message says why."""


class AlreadyIssued(IssuingError):
    """Another request issued the invoice first: it is no longer a draft to change or issue."""

    def __init__(self):
        super().__init__("This invoice is already issued.")


class DraftChanged(IssuingError):
    """The draft was saved again while it was being checked: what was checked is not what would leave."""

    def __init__(self):
        super().__init__("The draft changed while it was being checked.")


class InvoiceInvalid(IssuingError):
    """The engine found errors: nothing was numbered, archived or sent."""

    def __init__(self, report):
        self.report = report
        super().__init__(f"{len(report.errors)} validation error(s)")


def save_draft(dossier, draft, *, customer=None, by=None, invoice=None, preceding=None):
    """Create or update a draft; its totals are kept on the row so lists show them.

    An existing draft is changed under its row lock, and only while it is still a
    draft, writing its draft columns alone: a request that loaded it before another
    one issued it raises ``AlreadyIssued`` instead of turning it back into a draft.
    """
    if invoice is None:
        invoice = Invoice(dossier=dossier, direction=Direction.SALES, state=InvoiceState.DRAFT, created_by=by,
                          preceding_invoice=preceding)
        _fill_draft(invoice, draft, dossier=dossier, customer=customer)
        invoice.save()
        return invoice
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().filter(pk=invoice.pk, state=InvoiceState.DRAFT).first()
        if locked is None:
            raise AlreadyIssued()
        if preceding is not None:
            locked.preceding_invoice = preceding
        changed = _fill_draft(locked, draft, dossier=dossier, customer=customer)
        locked.save(update_fields=[*changed, "draft", "third_party", "preceding_invoice", "issue_year"])
    return locked


def _fill_draft(invoice, draft, *, dossier, customer):
    """Put the form data and the row terms it gives on ``invoice``; the names of the row terms."""
    invoice.draft = draft
    invoice.third_party = customer
    document = build_document(draft, dossier=dossier, customer=customer, preceding=invoice.preceding_invoice)
    fields = row_fields(document)
    fields["number"] = ""
    for name, value in fields.items():
        setattr(invoice, name, value)
    return list(fields)


def output_format(invoice):
    customer = invoice.third_party
    return (customer.output_format if customer else "") or invoice.dossier.default_output_format


def check(invoice):
    """The engine's verdict on the draft as it would leave (with a stand-in number)."""
    document = _document(invoice)
    return validate(_xml(document, output_format(invoice)), "fr")


def issue(invoice, *, by=None):
    """Number, archive and announce the draft; raises ``InvoiceInvalid`` or ``IssuingError``.

    The engine checks the draft outside any lock (it may take a while); the draft
    is then locked and issued only if it is still the draft that was checked, so of
    two requests issuing it at once one wins and the other gets ``AlreadyIssued``.
    """
    if invoice.state != InvoiceState.DRAFT:
        raise AlreadyIssued()
    if invoice.third_party is None:
        raise IssuingError("A customer is required.")
    report = check(invoice)
    if not report.valid:
        Invoice.objects.filter(pk=invoice.pk, state=InvoiceState.DRAFT).update(
            validation=report.as_dict(), is_valid=False)
        raise InvoiceInvalid(report)
    fmt = output_format(invoice)
    with transaction.atomic():
        locked = (Invoice.objects.select_for_update(of=("self",)).select_related("dossier", "third_party")
                  .get(pk=invoice.pk))
        if locked.state != InvoiceState.DRAFT:
            raise AlreadyIssued()
        if locked.draft != invoice.draft or locked.third_party_id != invoice.third_party_id:
            raise DraftChanged()
        document = _document(locked)
        number = next_number(locked.dossier, document.issue_date.year)
        document = _document(locked, number=number)
        content = render_output(document, fmt, customer_language(locked.third_party),
                                logo=company_logo(locked.dossier))
        extension, media_type = MEDIA[fmt]
        record_issued(locked, document, content, report, syntax=SYNTAX[fmt], filename=f"{_safe(number)}.{extension}",
                      media_type=media_type, by=by, audit_detail={"format": fmt})
    invoice.refresh_from_db()
    return invoice


def record_issued(invoice, document, content, report, *, syntax, filename, media_type, by=None, audit_detail=None,
                  read_from_content=False):
    """Write what issuing makes of a checked, numbered sales invoice, in the caller's transaction.

    The row takes the document's terms and the "issued" state, ``content`` (the
    file that leaves) is archived as its original, the platform records 200
    "Déposée", the audit trail notes it, and ``invoice_issued`` hands it to the
    exchange once committed. Shared by the issuing form and the invoices a
    dossier's software sends as files (the flows API), so both leave alike.

    ``read_from_content`` says ``document`` is the engine's reading of ``content``
    itself (the flows API), not what ``content`` was rendered from: the signal then
    hands it on, sparing its receivers a second reading of the archived file.
    """
    fields = row_fields(document)
    for name, value in fields.items():
        setattr(invoice, name, value)
    invoice.state = InvoiceState.ISSUED
    invoice.delivery_state = DeliveryState.PENDING
    invoice.lifecycle_status = LifecycleStatus.DEPOSEE
    invoice.syntax, invoice.profile = syntax, str(report.profile or "")
    invoice.validation, invoice.is_valid = report.as_dict(), True
    # Archived with the 200 message, in one append: the bytes are written before the dossier's chain is locked.
    invoice.original = prepare(invoice.dossier, content, kind=Kind.ORIGINAL_ISSUED, filename=filename,
                               media_type=media_type, period=document.issue_date, reference=invoice)
    # Set by the platform, recorded with its CDAR message but not announced: the delivery is its news.
    record_remote_event(invoice, LifecycleStatus.DEPOSEE, party=Party.PLATFORM, source="", actor=by,
                        document=document, archive_with=[invoice.original])
    invoice.save(update_fields=[*fields, "issue_year", "state", "delivery_state", "lifecycle_status", "syntax",
                                "profile", "validation", "is_valid", "original"])
    audit(by, AuditAction.INVOICE_ISSUED, dossier=invoice.dossier, target=invoice.number, invoice=invoice.pk,
          credit_note=invoice.is_credit_note, **(audit_detail or {}))
    original = document if read_from_content else None
    transaction.on_commit(lambda: invoice_issued.send(sender=Invoice, invoice=invoice, original=original))


def render_output(document, fmt, lang="fr", logo=None):
    """The file that leaves: Factur-X PDF/A-3 (showing the company's logo), CII or UBL."""
    if fmt == OutputFormat.FACTURX:
        return to_facturx(document, lang, logo=logo)
    return _xml(document, fmt)


def credit_note_draft(invoice):
    """The draft of a credit note cancelling ``invoice``: its lines, the reference BG-3 to it."""
    draft = dict(invoice.draft or {})
    draft.update(type_code=CREDIT_NOTE, issue_date=timezone.localdate().isoformat(), due_date="",
                 vat_on_debits=draft.get("vat_on_debits", False))
    return draft


def _document(invoice, number=None):
    return build_document(invoice.draft, dossier=invoice.dossier, customer=invoice.third_party, number=number,
                          preceding=invoice.preceding_invoice)


def _xml(document, fmt):
    return to_ubl(document) if fmt == OutputFormat.UBL else to_cii(document, EN16931)


def _safe(number):
    return "".join(char if char.isalnum() or char in "-_" else "_" for char in number)


