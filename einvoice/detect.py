"""Recognising what a file is: syntax (CII, UBL, Factur-X PDF) and profile."""

import enum
from dataclasses import dataclass

from einvoice import pdf, xml
from einvoice.errors import UnreadableError, UnsupportedFormatError

NS_CII = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
NS_UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_UBL_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS_RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
NS_RSM = NS_CII
NS_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

# Roots of documents we recognise but do not handle.
UNSUPPORTED_ROOTS = {
    "{urn:ferd:CrossIndustryDocument:invoice:1p0}CrossIndustryDocument": "ZUGFeRD 1.0",
    "{urn:un:unece:uncefact:data:SCRDMCCBDACIOMessageStructure:100}SCRDMCCBDACIOMessageStructure": "Order-X",
    "{urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100}"
    "CrossDomainAcknowledgementAndResponse": "CDAR lifecycle message",
}


class Syntax(enum.StrEnum):
    CII = "CII"
    UBL = "UBL"
    FACTURX = "Factur-X"  # a PDF/A-3 carrying a CII


class Profile(enum.StrEnum):
    MINIMUM = "MINIMUM"
    BASIC_WL = "BASIC WL"
    BASIC = "BASIC"
    EN16931 = "EN 16931"
    EXTENDED = "EXTENDED"
    EXTENDED_CTC_FR = "EXTENDED-CTC-FR"


def profile_of(guideline):
    """The profile a specification identifier (BT-24) claims."""
    guideline = (guideline or "").strip()
    if "extended-ctc-fr" in guideline:
        return Profile.EXTENDED_CTC_FR
    if guideline.endswith("factur-x.eu:1p0:extended"):
        return Profile.EXTENDED
    if guideline == "urn:factur-x.eu:1p0:minimum":
        return Profile.MINIMUM
    if guideline == "urn:factur-x.eu:1p0:basicwl":
        return Profile.BASIC_WL
    if guideline.endswith("factur-x.eu:1p0:basic"):
        return Profile.BASIC
    # EN 16931 itself and its CIUS (Peppol BIS, XRechnung, ...) validate as EN 16931.
    return Profile.EN16931


@dataclass(frozen=True)
class Detected:
    """A recognised invoice: its syntax, profile and the parsed XML it carries."""

    syntax: Syntax
    profile: Profile
    tree: object  # lxml ElementTree of the invoice XML
    xml_bytes: bytes
    is_credit_note: bool = False
    attachment_name: str | None = None  # name of the XML inside a Factur-X PDF


def detect(data):
    """Recognise ``data`` (bytes of an XML or PDF file) or raise an engine error."""
    if pdf.looks_like_pdf(data):
        name, xml_bytes = pdf.extract_invoice_xml(data)
        found = detect_xml(xml_bytes)
        if found.syntax is not Syntax.CII:
            raise UnsupportedFormatError(f"the PDF carries a {found.syntax} invoice, not a Factur-X CII")
        return Detected(Syntax.FACTURX, found.profile, found.tree, xml_bytes, found.is_credit_note, name)
    return detect_xml(data)


def detect_xml(data):
    tree = xml.parse(data)
    root = tree.getroot()
    tag = root.tag
    if tag == f"{{{NS_CII}}}CrossIndustryInvoice":
        guideline = root.findtext(
            f"{{{NS_RSM}}}ExchangedDocumentContext/{{{NS_RAM}}}GuidelineSpecifiedDocumentContextParameter/{{{NS_RAM}}}ID"
        )
        type_code = root.findtext(f"{{{NS_RSM}}}ExchangedDocument/{{{NS_RAM}}}TypeCode") or ""
        return Detected(Syntax.CII, profile_of(guideline), tree, data, type_code.strip() in CREDIT_NOTE_CODES)
    if tag in (f"{{{NS_UBL_INVOICE}}}Invoice", f"{{{NS_UBL_CREDIT_NOTE}}}CreditNote"):
        guideline = root.findtext(f"{{{NS_CBC}}}CustomizationID")
        return Detected(Syntax.UBL, profile_of(guideline), tree, data, tag.endswith("CreditNote"))
    if tag in UNSUPPORTED_ROOTS:
        raise UnsupportedFormatError(f"{UNSUPPORTED_ROOTS[tag]} is not supported")
    if isinstance(tag, str) and tag.endswith("FatturaElettronica"):
        raise UnsupportedFormatError("FatturaPA is not supported")
    if not isinstance(tag, str):
        raise UnreadableError("not an XML element")
    raise UnsupportedFormatError(f"unknown document type {tag}")


# UNTDID 1001 codes that make a document a credit note.
CREDIT_NOTE_CODES = {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"}
