"""CDAR D22B (CrossDomainAcknowledgementAndResponse) encoding of lifecycle messages."""

import datetime
from decimal import Decimal, InvalidOperation

from lxml import etree

from einvoice import xml
from einvoice.errors import UnreadableError, UnsupportedFormatError
from einvoice.lifecycle.message import (
    CdarParty,
    Characteristic,
    LifecycleMessage,
    check,
)
from einvoice.lifecycle.statuses import DOCUMENT_STATUS_CODES, REASONS, LifecycleStatus

NS_RSM = "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100"
NS_RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
NS_UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
NS_QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NSMAP = {"rsm": NS_RSM, "ram": NS_RAM, "udt": NS_UDT, "qdt": NS_QDT}
ROOT = f"{{{NS_RSM}}}CrossDomainAcknowledgementAndResponse"


def build_cdar(message):
    """Encode ``message`` as CDAR bytes, after checking the French rules."""
    check(message)
    status = LifecycleStatus(message.status)
    root = etree.Element(ROOT, nsmap=NSMAP)
    context = _sub(root, "rsm:ExchangedDocumentContext")
    _sub(_sub(context, "ram:BusinessProcessSpecifiedDocumentContextParameter"), "ram:ID", message.business_process)
    _sub(_sub(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", message.guideline)

    header = _sub(root, "rsm:ExchangedDocument")
    _sub(header, "ram:ID", message.message_id or _message_id(message, status))
    if message.name:
        _sub(header, "ram:Name", message.name)
    _datetime(_sub(header, "ram:IssueDateTime"), message.issued_at)
    _party(header, "ram:SenderTradeParty", message.sender)
    _party(header, "ram:IssuerTradeParty", message.issuer)
    for recipient in message.recipients:
        _party(header, "ram:RecipientTradeParty", recipient)

    ack = _sub(root, "rsm:AcknowledgementDocument")
    _sub(_sub(ack, "ram:MultipleReferencesIndicator"), "udt:Indicator", "false")
    _sub(ack, "ram:TypeCode", message.phase)
    _datetime(_sub(ack, "ram:IssueDateTime"), message.status_at or message.issued_at)

    ref = _sub(ack, "ram:ReferenceReferencedDocument")
    _sub(ref, "ram:IssuerAssignedID", message.invoice_number)
    if status in DOCUMENT_STATUS_CODES:
        _sub(ref, "ram:StatusCode", DOCUMENT_STATUS_CODES[status])
    _sub(ref, "ram:TypeCode", message.invoice_type_code)
    if message.invoice_received_at:
        _datetime(_sub(ref, "ram:ReceiptDateTime"), message.invoice_received_at)
    if message.invoice_issue_date:
        formatted = _sub(_sub(ref, "ram:FormattedIssueDateTime"), "qdt:DateTimeString",
                         message.invoice_issue_date.strftime("%Y%m%d"))
        formatted.set("format", "102")
    _sub(ref, "ram:ProcessConditionCode", str(status.value))
    if status.meaning_known:  # optional; a neutral label would say nothing
        # The AFNOR examples spell multi-word labels with underscores ("En_litige").
        _sub(ref, "ram:ProcessCondition", status.label.replace(" ", "_"))
    if message.seller_id:
        _party(ref, "ram:IssuerTradeParty", CdarParty(role=None, id=message.seller_id,
                                                      id_scheme=message.seller_id_scheme))
    if message.reason_code or message.characteristics or message.note or message.requested_action_code:
        _status_detail(ref, message)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _status_detail(parent, message):
    detail = _sub(parent, "ram:SpecifiedDocumentStatus")
    if message.reason_code:
        _sub(detail, "ram:ReasonCode", message.reason_code)
        _sub(detail, "ram:Reason", message.reason_text or REASONS[message.reason_code])
    if message.requested_action_code:
        _sub(detail, "ram:RequestedActionCode", message.requested_action_code)
        if message.requested_action:
            _sub(detail, "ram:RequestedAction", message.requested_action)
    _sub(detail, "ram:SequenceNumeric", "1")  # BR-FR-CDV-16
    if message.note:
        _sub(_sub(detail, "ram:IncludedNote"), "ram:Content", message.note)
    for characteristic in message.characteristics:
        _characteristic(detail, characteristic)


def _characteristic(parent, c):
    element = _sub(parent, "ram:SpecifiedDocumentCharacteristic")
    if c.business_term:
        _sub(element, "ram:ID", c.business_term)
    _sub(element, "ram:TypeCode", c.type_code)
    _sub(_sub(element, "ram:ValueChangedIndicator"), "udt:IndicatorString", "true" if c.value_changed else "false")
    if c.name:
        _sub(element, "ram:Name", c.name)
    if c.location:
        _sub(element, "ram:Location", c.location)
    if c.amount is not None:
        _sub(element, "ram:ValueAmount", _decimal(c.amount)).set("currencyID", c.currency)
    if c.date:
        _sub(_sub(element, "ram:ValueDateTime"), "udt:DateTimeString", c.date.strftime("%Y%m%d")).set("format", "102")
    if c.percent is not None:
        _sub(element, "ram:ValuePercent", _decimal(c.percent))


def _party(parent, tag, party):
    element = _sub(parent, tag)
    if party.id:
        global_id = _sub(element, "ram:GlobalID", party.id)
        if party.id_scheme:
            global_id.set("schemeID", party.id_scheme)
    if party.name:
        _sub(element, "ram:Name", party.name)
    if party.role:
        _sub(element, "ram:RoleCode", party.role)
    if party.electronic_address:
        uri = _sub(_sub(element, "ram:URIUniversalCommunication"), "ram:URIID", party.electronic_address)
        uri.set("schemeID", party.electronic_address_scheme)


def _message_id(message, status):
    stamp = message.issued_at.astimezone(datetime.UTC).strftime("%Y%m%d%H%M%S")
    return f"{message.invoice_number}_{status.value}_{stamp}"


def _datetime(parent, moment):
    if moment.tzinfo is None:
        raise ValueError("lifecycle times must be timezone-aware")
    text = moment.astimezone(datetime.UTC).strftime("%Y%m%d%H%M%S")
    _sub(parent, "udt:DateTimeString", text).set("format", "204")


def _decimal(value):
    return format(Decimal(value), "f")


def _sub(parent, qname, text=None):
    prefix, local = qname.split(":")
    element = etree.SubElement(parent, f"{{{NSMAP[prefix]}}}{local}")
    if text is not None:
        element.text = text
    return element


# --- parsing -------------------------------------------------------------------------------------


def parse_cdar(data):
    """Read the lifecycle message of CDAR ``data`` (bytes); one invoice per message."""
    messages = parse_cdar_all(data)
    if len(messages) != 1:
        raise UnsupportedFormatError(f"CDAR message about {len(messages)} invoices; use parse_cdar_all()")
    return messages[0]


def parse_cdar_all(data):
    """Read every status a CDAR message carries (a MULTI message refers to several invoices)."""
    root = xml.parse(data).getroot()
    if root.tag != ROOT:
        raise UnsupportedFormatError(f"not a CDAR lifecycle message: {root.tag}")
    header = _find(root, "rsm:ExchangedDocument")
    if header is None:
        raise UnreadableError("CDAR message without ExchangedDocument")
    common = {
        "message_id": _text(header, "ram:ID"),
        "name": _text(header, "ram:Name"),
        "issued_at": _read_datetime(_find(header, "ram:IssueDateTime")),
        "sender": _read_party(_find(header, "ram:SenderTradeParty")) or CdarParty("WK"),
        "issuer": _read_party(_find(header, "ram:IssuerTradeParty")),
        "recipients": tuple(_read_party(p) for p in header.iterfind("ram:RecipientTradeParty", NSMAP)),
        "business_process": _text(
            root, "rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID") or "",
        "guideline": _text(
            root, "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID") or "",
    }
    messages = []
    for ack in root.iterfind("rsm:AcknowledgementDocument", NSMAP):
        status_at = _read_datetime(_find(ack, "ram:IssueDateTime"))
        for ref in ack.iterfind("ram:ReferenceReferencedDocument", NSMAP):
            messages.append(_read_reference(ref, status_at, common))
    return messages


def _read_reference(ref, status_at, common):
    code = _text(ref, "ram:ProcessConditionCode")
    try:
        status = LifecycleStatus(int(code))
    except (TypeError, ValueError):
        raise UnsupportedFormatError(f"unknown lifecycle status {code!r}") from None
    detail = _find(ref, "ram:SpecifiedDocumentStatus")
    issue_date = _text(ref, "ram:FormattedIssueDateTime/qdt:DateTimeString")
    seller = _find(ref, "ram:IssuerTradeParty/ram:GlobalID")
    return LifecycleMessage(
        invoice_number=_text(ref, "ram:IssuerAssignedID"),
        invoice_issue_date=_read_date(issue_date) if issue_date else None,
        status=status,
        seller_id=seller.text.strip() if seller is not None and seller.text else None,
        seller_id_scheme=seller.get("schemeID", "0002") if seller is not None else "0002",
        invoice_type_code=_text(ref, "ram:TypeCode") or "380",
        invoice_received_at=_read_datetime(_find(ref, "ram:ReceiptDateTime")),
        status_at=status_at,
        reason_code=_text(detail, "ram:ReasonCode"),
        reason_text=_text(detail, "ram:Reason"),
        requested_action_code=_text(detail, "ram:RequestedActionCode"),
        requested_action=_text(detail, "ram:RequestedAction"),
        note=_text(detail, "ram:IncludedNote/ram:Content"),
        characteristics=tuple(
            _read_characteristic(c)
            for c in ref.iterfind("ram:SpecifiedDocumentStatus/ram:SpecifiedDocumentCharacteristic", NSMAP)
        ),
        **common,
    )


def _read_party(element):
    if element is None:
        return None
    global_id = _find(element, "ram:GlobalID")
    uri = _find(element, "ram:URIUniversalCommunication/ram:URIID")
    return CdarParty(
        role=_text(element, "ram:RoleCode"),
        id=_strip(global_id),
        id_scheme=global_id.get("schemeID") if global_id is not None else CdarParty.id_scheme,
        name=_text(element, "ram:Name"),
        electronic_address=_strip(uri),
        electronic_address_scheme=uri.get("schemeID", "0225") if uri is not None else "0225",
    )


def _read_characteristic(element):
    amount = _find(element, "ram:ValueAmount")
    date = _text(element, "ram:ValueDateTime/udt:DateTimeString")
    changed = _text(element, "ram:ValueChangedIndicator/udt:IndicatorString") or _text(
        element, "ram:ValueChangedIndicator/udt:Indicator")
    return Characteristic(
        type_code=_text(element, "ram:TypeCode"),
        amount=_read_decimal(_strip(amount)),
        currency=amount.get("currencyID", "EUR") if amount is not None else "EUR",
        percent=_read_decimal(_text(element, "ram:ValuePercent")),
        business_term=_text(element, "ram:ID"),
        name=_text(element, "ram:Name"),
        location=_text(element, "ram:Location"),
        value_changed=changed == "true",
        date=_read_date(date) if date else None,
    )


def _read_datetime(element):
    text = _text(element, "udt:DateTimeString") if element is not None else None
    if not text:
        return None
    for pattern in ("%Y%m%d%H%M%S", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(text, pattern).replace(tzinfo=datetime.UTC)
        except ValueError:
            continue
    raise UnreadableError(f"unreadable CDAR date-time {text!r}")


def _read_date(text):
    try:
        return datetime.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise UnreadableError(f"unreadable CDAR date {text!r}") from None


def _read_decimal(text):
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise UnreadableError(f"unreadable CDAR amount {text!r}") from None


def _find(element, path):
    return None if element is None else element.find(path, NSMAP)


def _text(element, path):
    return _strip(_find(element, path))


def _strip(element):
    if element is None or element.text is None:
        return None
    return element.text.strip() or None
