"""Out flows: the files a dossier's software sends through the API, taken in as the pages take them.

    flow, created = submit(dossier, info, data, sender=sender)

An invoice (CII, UBL, Factur-X: the platform recognises the file, whatever the
client declared) is a sales invoice of the dossier: checked with the French
rules, refused as a duplicate as the pages refuse it, then issued and delivered
as one issued from the form (``issuing.record_issued``). A CDAR message is a
status on one of the dossier's invoices, under the rules of the invoice page
(``decisions.record_decision``). An e-reporting report (FRR) is checked
against the flux 10 XSD and rules and kept as a flow. Whatever is wrong with the file makes an
``Error`` acknowledgement naming the rules it breaks; the file is archived
either way.

The file is read and checked first, outside any transaction (the engine's
work holds no lock); the flow, and whatever it became, are then written in one
transaction: a server stopped mid-request leaves both or neither. A ``trackingId`` the sender already
used answers the flow it made the first time, even for two identical requests
racing each other (the unique constraint decides which one creates it).
"""

import functools
import hashlib
import re
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from einvoice.detect import detect
from einvoice.ereporting import validate as validate_report
from einvoice.errors import EInvoiceError, UnsupportedFormatError
from einvoice.lifecycle import LifecycleStatus, parse_cdar
from einvoice.lifecycle.cdar import ROOT as CDAR_ROOT
from einvoice.lifecycle.message import check as check_lifecycle_message
from einvoice.read import read_detected
from einvoice.validate import validate
from einvoice.xml import parse as parse_xml
from facturier.archive.models import Kind
from facturier.archive.store import archive
from facturier.audit.models import AuditAction
from facturier.audit.models import record as audit
from facturier.flows import reasons
from facturier.flows.models import AckStatus, Flow, FlowDirection, FlowProfile, FlowSyntax, FlowType, ProcessingRule
from facturier.flows.recording import create_flow, detail
from facturier.invoices.decisions import DecisionError, record_decision
from facturier.invoices.documents import row_fields
from facturier.invoices.issuing.issue import record_issued
from facturier.invoices.models import Direction, Invoice, InvoiceState
from facturier.invoices.parties import match_party
from facturier.invoices.receiving.intake import clean_row, duplicate_message, find_duplicate

PROFILES = {
    "BASIC WL": FlowProfile.BASIC, "BASIC": FlowProfile.BASIC, "MINIMUM": FlowProfile.BASIC,
    "EN 16931": FlowProfile.CIUS, "EXTENDED": FlowProfile.EXTENDED_CTC_FR,
    "EXTENDED-CTC-FR": FlowProfile.EXTENDED_CTC_FR,
}
MEDIA_TYPES = {FlowSyntax.FACTURX: "application/pdf", FlowSyntax.CII: "application/xml",
               FlowSyntax.UBL: "application/xml", FlowSyntax.CDAR: "application/xml", FlowSyntax.FRR: "application/xml"}
RULE_IN_MESSAGE = re.compile(r"\((BR-FR-[A-Z0-9-]+)\)")


@dataclass(frozen=True)
class FlowInfo:
    """The client's ``flowInfo``, checked against the specification's schema by the view."""

    name: str
    syntax: str
    profile: str = ""
    processing_rule: str = ""
    tracking_id: str = ""
    sha256: str = ""


@dataclass(frozen=True)
class Sender:
    """Who sends through the API, what they may do, and how the audit trail names them."""

    id: str
    may_issue_sales: bool
    may_set_sales_statuses: bool
    may_set_purchase_statuses: bool
    audit_detail: dict = field(default_factory=dict)


class TrackingIdReused(Exception):
    """The sender's trackingId already names a flow with another file."""

    def __init__(self, flow):
        self.flow = flow
        super().__init__(f"trackingId {flow.tracking_id!r} already names flow {flow.uid} with another file")


class Refused(Exception):
    """The file cannot be taken in: it becomes an Error flow with these details."""

    def __init__(self, *details, syntax=None, profile=None, flow_type=FlowType.UNDEFINED):
        self.details = list(details)
        self.syntax, self.profile, self.flow_type = syntax, profile, flow_type
        super().__init__("; ".join(d["reasonMessage"] for d in details))


def submit(dossier, info, data, *, sender):
    """The flow ``data`` makes in ``dossier`` and whether this call created it (False: a retry)."""
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = earlier_flow(dossier, sender, info.tracking_id, sha256)
    if earlier is not None:
        return earlier, False
    try:
        write = _read(dossier, info, data, sha256, sender)
        with transaction.atomic():
            return write(), True
    except Refused as refusal:
        return _refused(dossier, info, data, sha256, sender, refusal)
    except IntegrityError:
        # A concurrent request committed first: the same trackingId, or the same invoice.
        earlier = earlier_flow(dossier, sender, info.tracking_id, sha256)
        if earlier is not None:
            return earlier, False
        duplicate = _sales_duplicate(dossier, data)
        if duplicate is None:
            raise
        return _refused(dossier, info, data, sha256, sender, _duplicate(duplicate))


def earlier_flow(dossier, sender, tracking_id, sha256):
    """The flow the sender already made under ``tracking_id``; TrackingIdReused if it was another file."""
    if not tracking_id:
        return None
    flow = Flow.objects.filter(dossier=dossier, sender=sender.id, tracking_id=tracking_id).first()
    if flow is not None and flow.sha256 != sha256:
        raise TrackingIdReused(flow)
    return flow


def _read(dossier, info, data, sha256, sender):
    """Read and check the file, outside any transaction (the engine's work takes a while and holds no lock).

    Returns what writes the flow and what it became, to call inside one
    transaction; raises ``Refused`` for a file that cannot be taken in.
    """
    if not data:
        raise Refused(detail("file", reasons.EMPTY_FLOW, _("Le fichier est vide.")))
    if info.sha256 and info.sha256 != sha256:
        raise Refused(detail("sha256", reasons.CHECKSUM_MISMATCH, _(
            "L'empreinte SHA-256 annoncée (%(given)s) n'est pas celle du fichier reçu (%(actual)s).")
            % {"given": info.sha256, "actual": sha256}))
    if info.syntax == FlowSyntax.FRR:
        return _read_report(dossier, info, data, sha256, sender)
    if info.syntax == FlowSyntax.CDAR or looks_like_cdar(data):
        return _read_status(dossier, info, data, sha256, sender)
    return _read_invoice(dossier, info, data, sha256, sender)


def looks_like_cdar(data):
    return CDAR_ROOT.split("}")[0][1:].encode() in data[:2048]


# Invoices


def _read_invoice(dossier, info, data, sha256, sender):
    if not sender.may_issue_sales:
        raise PermissionDenied
    try:
        detected = detect(data)
    except UnsupportedFormatError as error:
        message = _("Format non pris en charge : %(error)s") % {"error": error}
        raise Refused(detail("file", reasons.FLOW_TYPE_ERROR, message)) from None
    except EInvoiceError as error:
        message = _("Fichier illisible : %(error)s") % {"error": error}
        raise Refused(detail("file", reasons.INVALID_SCHEMA, message)) from None
    syntax, profile = FlowSyntax(str(detected.syntax)), PROFILES.get(str(detected.profile), FlowProfile.UNDEFINED)
    flow_type = FlowType.CUSTOMER_INVOICE
    report = validate(detected, "fr")
    if not report.valid:
        raise Refused(*(detail(issue.rule, _reason_of(issue), _rule_message(issue)) for issue in report.errors),
                      syntax=syntax, profile=profile, flow_type=flow_type)
    document = read_detected(detected)
    try:
        fields = _fields(document)
    except ValueError as error:
        raise Refused(detail("file", reasons.INVALID_SCHEMA, str(error)), syntax=syntax, profile=profile,
                      flow_type=flow_type) from None
    if fields["seller_siren"] != dossier.siren:
        raise Refused(detail("BT-30", reasons.BUSINESS_RULE_ERROR, _(
            "Le vendeur de la facture (SIREN %(seller)s) n'est pas l'entreprise du dossier (SIREN %(dossier)s).")
            % {"seller": fields["seller_siren"] or "?", "dossier": dossier.siren}),
            syntax=syntax, profile=profile, flow_type=flow_type)
    return functools.partial(_issue, dossier, info, data, sha256, sender, report, document, fields, syntax, profile)


def _issue(dossier, info, data, sha256, sender, report, document, fields, syntax, profile):
    """The checked invoice issued as a sales invoice of the dossier, and its Ok flow."""
    duplicate = find_duplicate(dossier, fields, Direction.SALES)
    if duplicate is not None:
        raise _duplicate(duplicate, syntax=syntax, profile=profile)
    customer = match_party(dossier, document.buyer, siren=fields["buyer_siren"], vat=fields["buyer_vat"],
                           name=fields["buyer_name"], role="customer")
    invoice = Invoice.objects.create(dossier=dossier, direction=Direction.SALES, state=InvoiceState.ISSUED,
                                     third_party=customer, **fields)
    record_issued(invoice, document, data, report, syntax=str(syntax), filename=_filename(info, syntax),
                  media_type=MEDIA_TYPES[syntax], audit_detail={"format": str(syntax), **sender.audit_detail},
                  read_from_content=True)
    return create_flow(dossier, **_common(info, sha256, sender), direction=FlowDirection.OUT, syntax=syntax,
                       profile=profile, flow_type=FlowType.CUSTOMER_INVOICE, ack_status=AckStatus.OK,
                       **_rule(info, invoice), original=invoice.original, invoice=invoice)


def _fields(document):
    """The row terms of ``document``; ValueError when they do not fit (an amount out of range)."""
    try:
        return clean_row(row_fields(document))
    except ArithmeticError as error:
        raise ValueError(str(error)) from error


def _sales_duplicate(dossier, data):
    """The sales invoice ``data`` repeats, if it is a readable invoice at all."""
    try:
        return find_duplicate(dossier, _fields(read_detected(detect(data))), Direction.SALES)
    except (EInvoiceError, ValueError):
        return None


def _duplicate(existing, **kinds):
    return Refused(detail(existing.number, reasons.ALREADY_EXISTING_FLOW, duplicate_message(existing)),
                   flow_type=FlowType.CUSTOMER_INVOICE, **kinds)


def _reason_of(issue):
    return reasons.INVALID_SCHEMA if issue.layer in ("xsd", "input") else reasons.BUSINESS_RULE_ERROR


def _rule_message(issue):
    return f"{issue.message} ({issue.location})" if issue.location else issue.message


def computed_rule(invoice):
    """B2B between French companies; international B2B when the buyer has only a foreign VAT number; else B2C."""
    if invoice.buyer_siren:
        return ProcessingRule.B2B
    if invoice.buyer_vat and not invoice.buyer_vat.startswith("FR"):
        return ProcessingRule.B2B_INT
    return ProcessingRule.B2C


# Lifecycle statuses


def _read_status(dossier, info, data, sha256, sender):
    try:
        message = parse_cdar(data)
        check_lifecycle_message(message)
    except EInvoiceError as error:
        rule = RULE_IN_MESSAGE.search(str(error))
        reason = reasons.INVOICE_LC_RULE_ERROR if rule else reasons.INVALID_SCHEMA
        raise Refused(detail(rule.group(1) if rule else "file", reason, str(error)), syntax=FlowSyntax.CDAR) from None
    if not (sender.may_set_sales_statuses or sender.may_set_purchase_statuses):
        raise PermissionDenied
    return functools.partial(_set_status, dossier, info, data, sha256, sender, message)


def _set_status(dossier, info, data, sha256, sender, message):
    """The status recorded on the dossier's invoice under the invoice page's rules, and its Ok flow."""
    refused = {"syntax": FlowSyntax.CDAR}
    invoice = status_target(dossier, message)
    if invoice is None:
        raise Refused(detail(message.invoice_number, reasons.INVOICE_LC_INVALID_STATUS, _(
            "Aucune facture n° %(number)s du vendeur %(seller)s dans ce dossier.")
            % {"number": message.invoice_number, "seller": message.seller_id or "?"}), **refused)
    refused["flow_type"] = status_flow_type(invoice)
    allowed = (sender.may_set_purchase_statuses if invoice.direction == Direction.PURCHASE
               else sender.may_set_sales_statuses)
    if not allowed:
        raise Refused(detail(message.invoice_number, reasons.INVOICE_LC_ACCESS_DENIED, _(
            "Ce client de l'API n'a pas le droit de donner un statut à cette facture.")), **refused)
    status = LifecycleStatus(message.status)
    try:
        event = record_decision(invoice, status, reason_code=message.reason_code or None,
                                reason=message.reason_text or "", amount=message.amount,
                                audit_detail=sender.audit_detail)
    except DecisionError as error:
        raise Refused(detail(str(status.value), reasons.INVOICE_LC_STATUS_ERROR, str(error)), **refused) from None
    original = archive(dossier, data, kind=Kind.LIFECYCLE, filename=_filename(info, FlowSyntax.CDAR),
                       media_type=MEDIA_TYPES[FlowSyntax.CDAR], reference=event)
    return create_flow(dossier, **_common(info, sha256, sender), direction=FlowDirection.OUT,
                       syntax=FlowSyntax.CDAR, profile=FlowProfile.UNDEFINED, flow_type=refused["flow_type"],
                       ack_status=AckStatus.OK, **_rule(info, invoice), original=original, invoice=invoice, event=event)


def status_target(dossier, message):
    """The dossier's invoice a status message is about: its sales invoice when it is the seller, else a purchase."""
    direction = Direction.SALES if message.seller_id == dossier.siren else Direction.PURCHASE
    invoices = Invoice.objects.filter(dossier=dossier, direction=direction, number=message.invoice_number)
    invoices = invoices.exclude(state=InvoiceState.DRAFT)
    if message.seller_id:
        invoices = invoices.filter(seller_siren=message.seller_id)
    if message.invoice_issue_date:
        invoices = invoices.filter(issue_date=message.invoice_issue_date)
    return invoices.order_by("-pk").first()


def status_flow_type(invoice):
    return FlowType.SUPPLIER_INVOICE_LC if invoice.direction == Direction.PURCHASE else FlowType.CUSTOMER_INVOICE_LC


# E-reporting (flux 10)


def _read_report(dossier, info, data, sha256, sender):
    """A flux 10 report of the dossier, checked with the official XSD and rules, taken in as a flow.

    As an accredited platform this one would pass it on to the tax
    administration; here the report is checked, archived, acknowledged (Ok, or
    Error with each broken rule) and its status served like any flow's.
    """
    if not sender.may_issue_sales:
        raise PermissionDenied
    try:
        root = parse_xml(data).getroot()
    except EInvoiceError as error:
        raise Refused(detail("file", reasons.INVALID_SCHEMA, _("Fichier illisible : %(error)s") % {"error": error}),
                      syntax=FlowSyntax.FRR) from None
    flow_type = report_flow_type(root)
    verdict = validate_report(data)
    if not verdict.valid:
        raise Refused(*(detail(issue.rule, _reason_of(issue), _rule_message(issue)) for issue in verdict.errors),
                      syntax=FlowSyntax.FRR, flow_type=flow_type)
    declarant = root.findtext("ReportDocument/Issuer/Id") or ""
    if declarant != dossier.siren:
        raise Refused(detail("TT-11", reasons.BUSINESS_RULE_ERROR, _(
            "Le déclarant du rapport (SIREN %(declarant)s) n'est pas l'entreprise du dossier (SIREN %(dossier)s).")
            % {"declarant": declarant or "?", "dossier": dossier.siren}), syntax=FlowSyntax.FRR, flow_type=flow_type)
    return functools.partial(_take_report, dossier, info, data, sha256, sender, flow_type)


def _take_report(dossier, info, data, sha256, sender, flow_type):
    uid = uuid.uuid4()
    original = archive(dossier, data, kind=Kind.ORIGINAL_RECEIVED, filename=_filename(info, FlowSyntax.FRR),
                       media_type="application/xml", reference=("flows", "flow", uid))
    audit(None, AuditAction.EREPORT_RECEIVED, dossier=dossier, target=info.name, flow=str(uid),
          flow_type=flow_type, **sender.audit_detail)
    return create_flow(dossier, uid=uid, **_common(info, sha256, sender), direction=FlowDirection.OUT,
                       syntax=FlowSyntax.FRR, flow_type=flow_type, ack_status=AckStatus.OK, **_rule(info, None),
                       original=original)


def report_flow_type(root):
    """The flow type a flux 10 report is (XP Z12-013 ``FlowType``), from what it holds."""
    if root.find("PaymentsReport") is not None:
        body, unitary, aggregated = root.find("PaymentsReport"), FlowType.UNITARY_CUSTOMER_PAYMENT_REPORT, \
            FlowType.AGGREGATED_CUSTOMER_PAYMENT_REPORT
    else:
        body, aggregated = root.find("TransactionsReport"), FlowType.AGGREGATED_CUSTOMER_TRANSACTION_REPORT
        purchases = root.findtext("ReportDocument/Issuer/RoleCode") == "BY"
        unitary = (FlowType.UNITARY_SUPPLIER_TRANSACTION_REPORT if purchases
                   else FlowType.UNITARY_CUSTOMER_TRANSACTION_REPORT)
    if body is None:
        return FlowType.UNDEFINED
    kinds = {child.tag for child in body if child.tag in ("Invoice", "Transactions")}
    if kinds == {"Invoice", "Transactions"}:
        return FlowType.MULTI_FLOW_REPORT
    return aggregated if kinds == {"Transactions"} else unitary


# Shared


def _refused(dossier, info, data, sha256, sender, refusal):
    """The Error flow of a refused file, its original archived: the sender can fetch what they sent."""
    syntax = refusal.syntax or (info.syntax if info.syntax in FlowSyntax.values else FlowSyntax.CII)
    try:
        with transaction.atomic():
            uid = uuid.uuid4()
            original = archive(dossier, data, kind=Kind.ORIGINAL_RECEIVED, filename=_filename(info, syntax),
                               media_type=MEDIA_TYPES.get(syntax, "application/octet-stream"),
                               reference=("flows", "flow", uid)) if data else None
            flow = create_flow(dossier, uid=uid, **_common(info, sha256, sender), direction=FlowDirection.OUT,
                               syntax=syntax, profile=refusal.profile or FlowProfile.UNDEFINED,
                               flow_type=refusal.flow_type, ack_status=AckStatus.ERROR, ack_details=refusal.details,
                               **_rule(info, None), original=original)
            audit(None, AuditAction.FLOW_REFUSED, dossier=dossier, target=flow.name, flow=str(flow.uid),
                  reasons=[d["reasonCode"] for d in refusal.details], **sender.audit_detail)
            return flow, True
    except IntegrityError:
        earlier = earlier_flow(dossier, sender, info.tracking_id, sha256)
        if earlier is None:
            raise
        return earlier, False


def _common(info, sha256, sender):
    return {"name": info.name[:255], "sender": sender.id, "tracking_id": info.tracking_id, "sha256": sha256}


def _rule(info, invoice):
    if info.processing_rule:
        return {"processing_rule": info.processing_rule, "processing_rule_given": True}
    return {"processing_rule": computed_rule(invoice) if invoice is not None else ProcessingRule.UNDEFINED}


def _filename(info, syntax):
    extension = "pdf" if syntax == FlowSyntax.FACTURX else "xml"
    name = info.name or f"flow.{extension}"
    return name if "." in name else f"{name}.{extension}"
