"""Reading a UN/CEFACT CII invoice (D16B, D22B; every Factur-X profile and EXTENDED-CTC-FR)."""

import base64
import binascii

from einvoice.errors import UnreadableError
from einvoice.model import (
    Address,
    AllowanceCharge,
    Attachment,
    Card,
    Contact,
    CreditTransfer,
    Delivery,
    DirectDebit,
    ExtraParty,
    Identifier,
    Invoice,
    Item,
    ItemAttribute,
    Line,
    Note,
    Party,
    PaymentInstructions,
    Period,
    PrecedingInvoice,
    Price,
    Totals,
    VatBreakdown,
)
from einvoice.read._values import Reader, identifier, none_if_empty

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
r = Reader(NS)

# CII requires a name beside BT-11 (SpecifiedProcuringProject/Name); EN 16931's CII binding fills
# this text when there is none. It names no project, so it reads as no name (compared ignoring case).
PROJECT_NAME_PLACEHOLDER = "Project reference"

# BT-8: CII uses UNTDID 2475 where EN 16931 (and UBL) use UNTDID 2005.
TAX_POINT_CODE_FROM_CII = {"5": "3", "29": "35", "72": "432"}
TAX_POINT_CODE_TO_CII = {value: key for key, value in TAX_POINT_CODE_FROM_CII.items()}

# Parties only EXTENDED profiles carry, by the element that holds them.
AGREEMENT_EXTRA_PARTIES = (
    "SalesAgent", "BuyerRequisitioner", "BuyerAssignedAccountant", "SellerAssignedAccountant",
    "BuyerTaxRepresentative", "ProductEndUser", "BuyerAgent",
)
DELIVERY_EXTRA_PARTIES = ("UltimateShipTo", "ShipFrom")
SETTLEMENT_EXTRA_PARTIES = ("Invoicer", "Invoicee", "Payer")

ATTACHMENT_TYPE = "916"
TENDER_TYPE = "50"
OBJECT_TYPE = "130"


def read(root):
    """The ``Invoice`` held by a ``rsm:CrossIndustryInvoice`` element."""
    context = r.find(root, "rsm:ExchangedDocumentContext")
    document = r.find(root, "rsm:ExchangedDocument")
    transaction = r.find(root, "rsm:SupplyChainTradeTransaction")
    agreement = r.find(transaction, "ram:ApplicableHeaderTradeAgreement")
    delivery = r.find(transaction, "ram:ApplicableHeaderTradeDelivery")
    settlement = r.find(transaction, "ram:ApplicableHeaderTradeSettlement")
    terms = r.findall(settlement, "ram:SpecifiedTradePaymentTerms")
    taxes = r.findall(settlement, "ram:ApplicableTradeTax")
    invoice = Invoice(
        number=r.text(document, "ram:ID") or "",
        issue_date=r.date(document, "ram:IssueDateTime/udt:DateTimeString"),
        type_code=r.text(document, "ram:TypeCode") or "",
        currency=r.text(settlement, "ram:InvoiceCurrencyCode") or "",
        tax_currency=r.text(settlement, "ram:TaxCurrencyCode"),
        tax_point_date=next(filter(None, (r.date(t, "ram:TaxPointDate/udt:DateString") for t in taxes)), None),
        tax_point_date_code=_tax_point_code(taxes),
        due_date=next(filter(None, (r.date(t, "ram:DueDateDateTime/udt:DateTimeString") for t in terms)), None),
        buyer_reference=r.text(agreement, "ram:BuyerReference"),
        project_reference=r.text(agreement, "ram:SpecifiedProcuringProject/ram:ID"),
        project_name=_project_name(r.text(agreement, "ram:SpecifiedProcuringProject/ram:Name")),
        contract_reference=r.text(agreement, "ram:ContractReferencedDocument/ram:IssuerAssignedID"),
        purchase_order_reference=r.text(agreement, "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"),
        sales_order_reference=r.text(agreement, "ram:SellerOrderReferencedDocument/ram:IssuerAssignedID"),
        receiving_advice_reference=r.text(delivery, "ram:ReceivingAdviceReferencedDocument/ram:IssuerAssignedID"),
        despatch_advice_reference=r.text(delivery, "ram:DespatchAdviceReferencedDocument/ram:IssuerAssignedID"),
        buyer_accounting_reference=r.text(settlement, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID"),
        payment_terms="\n".join(filter(None, (r.text(t, "ram:Description") for t in terms))) or None,
        notes=[_note(note) for note in r.findall(document, "ram:IncludedNote")],
        business_process=r.text(context, "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"),
        specification_id=r.text(context, "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID") or "",
        preceding_invoices=[_preceding(ref) for ref in r.findall(settlement, "ram:InvoiceReferencedDocument")],
        seller=_party(r.find(agreement, "ram:SellerTradeParty")) or Party(),
        buyer=_party(r.find(agreement, "ram:BuyerTradeParty")) or Party(),
        payee=_party(r.find(settlement, "ram:PayeeTradeParty")),
        tax_representative=_party(r.find(agreement, "ram:SellerTaxRepresentativeTradeParty")),
        extra_parties=_extra_parties(agreement, delivery, settlement),
        delivery=_delivery(delivery),
        invoicing_period=_period(r.find(settlement, "ram:BillingSpecifiedPeriod")),
        payment_instructions=_payment(settlement, terms),
        totals=_totals(r.find(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")),
        vat_breakdown=[_vat(tax) for tax in taxes],
        lines=[_line(item) for item in r.findall(transaction, "ram:IncludedSupplyChainTradeLineItem")],
    )
    _fix_tax_totals(invoice, r.find(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation"))
    for charge in r.findall(settlement, "ram:SpecifiedTradeAllowanceCharge"):
        item = _allowance_charge(charge, document_level=True)
        (invoice.charges if item.is_charge else invoice.allowances).append(item)
    for ref in r.findall(agreement, "ram:AdditionalReferencedDocument"):
        _additional_reference(invoice, ref)
    return invoice


def _project_name(name):
    return None if name and name.casefold() == PROJECT_NAME_PLACEHOLDER.casefold() else name


def _tax_point_code(taxes):
    code = next(filter(None, (r.text(t, "ram:DueDateTypeCode") for t in taxes)), None)
    return TAX_POINT_CODE_FROM_CII.get(code, code)


def _note(element):
    contents = [r.text(c, ".") for c in r.findall(element, "ram:Content")]
    return Note(text="\n".join(filter(None, contents)), subject_code=r.text(element, "ram:SubjectCode"))


def _preceding(element):
    return PrecedingInvoice(
        number=r.text(element, "ram:IssuerAssignedID") or "",
        issue_date=r.date(element, "ram:FormattedIssueDateTime/qdt:DateTimeString"),
        type_code=r.text(element, "ram:TypeCode"),
    )


def _address(element):
    if element is None:
        return None
    return none_if_empty(Address(
        line1=r.text(element, "ram:LineOne"),
        line2=r.text(element, "ram:LineTwo"),
        line3=r.text(element, "ram:LineThree"),
        city=r.text(element, "ram:CityName"),
        postcode=r.text(element, "ram:PostcodeCode"),
        country_subdivision=r.text(element, "ram:CountrySubDivisionName"),
        country_code=r.text(element, "ram:CountryID"),
    ))


def _contact(element):
    if element is None:
        return None
    return none_if_empty(Contact(
        name=r.text(element, "ram:PersonName"),
        phone=r.text(element, "ram:TelephoneUniversalCommunication/ram:CompleteNumber"),
        email=r.text(element, "ram:EmailURIUniversalCommunication/ram:URIID"),
        department=r.text(element, "ram:DepartmentName"),
    ))


def _party(element):
    if element is None:
        return None
    registrations = {
        (reg.get("schemeID") or "").strip(): r.text(reg, ".")
        for reg in r.findall(element, "ram:SpecifiedTaxRegistration/ram:ID")
    }
    identifiers = [identifier(e) for e in r.findall(element, "ram:ID") + r.findall(element, "ram:GlobalID")]
    return Party(
        name=r.text(element, "ram:Name"),
        trading_name=r.text(element, "ram:SpecifiedLegalOrganization/ram:TradingBusinessName"),
        identifiers=[i for i in identifiers if i],
        legal_registration=identifier(r.find(element, "ram:SpecifiedLegalOrganization/ram:ID")),
        vat_id=registrations.get("VA"),
        tax_registration_id=registrations.get("FC"),
        legal_information=r.text(element, "ram:Description"),
        electronic_address=identifier(r.find(element, "ram:URIUniversalCommunication/ram:URIID")),
        address=_address(r.find(element, "ram:PostalTradeAddress")),
        contact=_contact(r.find(element, "ram:DefinedTradeContact")),
    )


def _extra_parties(agreement, delivery, settlement):
    found = []
    for parent, roles in ((agreement, AGREEMENT_EXTRA_PARTIES), (delivery, DELIVERY_EXTRA_PARTIES),
                          (settlement, SETTLEMENT_EXTRA_PARTIES)):
        for role in roles:
            party = _party(r.find(parent, f"ram:{role}TradeParty"))
            if party is not None:
                found.append(ExtraParty(role, party))
    return found


def _delivery(element):
    ship_to = r.find(element, "ram:ShipToTradeParty")
    date = r.date(element, "ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString")
    if ship_to is None and date is None:
        return None
    location = r.find(ship_to, "ram:ID")
    if location is None:
        location = r.find(ship_to, "ram:GlobalID")
    return none_if_empty(Delivery(
        party_name=r.text(ship_to, "ram:Name"),
        location_id=identifier(location),
        date=date,
        address=_address(r.find(ship_to, "ram:PostalTradeAddress")),
    ))


def _period(element):
    if element is None:
        return None
    return none_if_empty(Period(
        start=r.date(element, "ram:StartDateTime/udt:DateTimeString"),
        end=r.date(element, "ram:EndDateTime/udt:DateTimeString"),
    ))


def _payment(settlement, terms):
    means = r.findall(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
    remittance = r.text(settlement, "ram:PaymentReference")
    creditor = r.text(settlement, "ram:CreditorReferenceID")
    mandate = next(filter(None, (r.text(t, "ram:DirectDebitMandateID") for t in terms)), None)
    if not (means or remittance or creditor or mandate):
        return None
    transfers, card, debited = [], None, None
    for mean in means:
        for account in r.findall(mean, "ram:PayeePartyCreditorFinancialAccount"):
            iban, proprietary = r.text(account, "ram:IBANID"), r.text(account, "ram:ProprietaryID")
            transfers.append(CreditTransfer(
                account_id=iban or proprietary or "",
                account_name=r.text(account, "ram:AccountName"),
                service_provider_id=r.text(mean, "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID"),
                proprietary_id=iban is None,
            ))
        card_element = r.find(mean, "ram:ApplicableTradeSettlementFinancialCard")
        if card_element is not None and card is None:
            card = Card(r.text(card_element, "ram:ID") or "", r.text(card_element, "ram:CardholderName"))
        debited = debited or r.text(mean, "ram:PayerPartyDebtorFinancialAccount/ram:IBANID")
    direct_debit = DirectDebit(mandate, creditor, debited) if (mandate or creditor or debited) else None
    return PaymentInstructions(
        means_code=r.text(means[0], "ram:TypeCode") if means else None,
        means_text=r.text(means[0], "ram:Information") if means else None,
        remittance_information=remittance,
        credit_transfers=transfers,
        card=card,
        direct_debit=direct_debit,
    )


def _totals(element):
    if element is None:
        return Totals()
    return Totals(
        line_total=r.decimal(element, "ram:LineTotalAmount"),
        allowance_total=r.decimal(element, "ram:AllowanceTotalAmount"),
        charge_total=r.decimal(element, "ram:ChargeTotalAmount"),
        tax_exclusive=r.decimal(element, "ram:TaxBasisTotalAmount"),
        tax_inclusive=r.decimal(element, "ram:GrandTotalAmount"),
        prepaid=r.decimal(element, "ram:TotalPrepaidAmount"),
        rounding=r.decimal(element, "ram:RoundingAmount"),
        payable=r.decimal(element, "ram:DuePayableAmount"),
    )


def _fix_tax_totals(invoice, element):
    """BT-110 and BT-111 share one element name, told apart by currency."""
    for amount in r.findall(element, "ram:TaxTotalAmount"):
        value = r.decimal(amount, ".")
        currency = (amount.get("currencyID") or "").strip()
        if invoice.tax_currency and currency == invoice.tax_currency and currency != invoice.currency:
            invoice.totals.tax_total_accounting = value
        elif invoice.totals.tax_total is None:
            invoice.totals.tax_total = value
        else:
            invoice.totals.tax_total_accounting = value


def _vat(element):
    return VatBreakdown(
        taxable_amount=r.decimal(element, "ram:BasisAmount"),
        tax_amount=r.decimal(element, "ram:CalculatedAmount"),
        category=r.text(element, "ram:CategoryCode") or "",
        rate=r.decimal(element, "ram:RateApplicablePercent"),
        exemption_reason=r.text(element, "ram:ExemptionReason"),
        exemption_reason_code=r.exemption_code(element, "ram:ExemptionReasonCode"),
    )


def _allowance_charge(element, document_level):
    indicator = r.bool(element, "ram:ChargeIndicator/udt:Indicator")
    if indicator is None:
        raise UnreadableError(f"allowance or charge without a charge indicator (line {element.sourceline})")
    return AllowanceCharge(
        is_charge=indicator,
        amount=r.decimal(element, "ram:ActualAmount"),
        base_amount=r.decimal(element, "ram:BasisAmount"),
        percentage=r.decimal(element, "ram:CalculationPercent"),
        vat_category=r.text(element, "ram:CategoryTradeTax/ram:CategoryCode") if document_level else None,
        vat_rate=r.decimal(element, "ram:CategoryTradeTax/ram:RateApplicablePercent") if document_level else None,
        reason=r.text(element, "ram:Reason"),
        reason_code=r.text(element, "ram:ReasonCode"),
        vat_exemption_reason=r.text(element, "ram:CategoryTradeTax/ram:ExemptionReason") if document_level else None,
        vat_exemption_reason_code=(r.exemption_code(element, "ram:CategoryTradeTax/ram:ExemptionReasonCode")
                                   if document_level else None),
    )


def _additional_reference(invoice, element):
    type_code = r.text(element, "ram:TypeCode")
    reference_id = r.text(element, "ram:IssuerAssignedID")
    if type_code == TENDER_TYPE:
        invoice.tender_reference = reference_id
    elif type_code == OBJECT_TYPE:
        invoice.invoiced_object_identifier = Identifier(reference_id or "", r.text(element, "ram:ReferenceTypeCode"))
    elif type_code == ATTACHMENT_TYPE:
        binary = r.find(element, "ram:AttachmentBinaryObject")
        invoice.attachments.append(Attachment(
            id=reference_id or "",
            description=r.text(element, "ram:Name"),
            uri=r.text(element, "ram:URIID"),
            content=_binary(binary),
            mime_code=None if binary is None else binary.get("mimeCode"),
            filename=None if binary is None else binary.get("filename"),
        ))


def _binary(element):
    if element is None:
        return None
    try:
        return base64.b64decode("".join((element.text or "").split()), validate=True)
    except (binascii.Error, ValueError):
        raise UnreadableError(f"attachment (line {element.sourceline}) is not valid base64") from None


def _line(element):
    document = r.find(element, "ram:AssociatedDocumentLineDocument")
    product = r.find(element, "ram:SpecifiedTradeProduct")
    agreement = r.find(element, "ram:SpecifiedLineTradeAgreement")
    settlement = r.find(element, "ram:SpecifiedLineTradeSettlement")
    quantity = r.find(element, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity")
    notes = r.findall(document, "ram:IncludedNote")
    line = Line(
        id=r.text(document, "ram:LineID") or "",
        quantity=r.decimal(quantity, "."),
        unit_code=None if quantity is None else (quantity.get("unitCode") or "").strip() or None,
        net_amount=r.decimal(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"),
        price=_price(agreement),
        item=_item(product),
        vat_category=r.text(settlement, "ram:ApplicableTradeTax/ram:CategoryCode"),
        vat_rate=r.decimal(settlement, "ram:ApplicableTradeTax/ram:RateApplicablePercent"),
        note="\n".join(filter(None, (r.text(n, "ram:Content") for n in notes))) or None,
        note_subject_code=next(filter(None, (r.text(n, "ram:SubjectCode") for n in notes)), None),
        order_line_reference=r.text(agreement, "ram:BuyerOrderReferencedDocument/ram:LineID"),
        accounting_reference=r.text(settlement, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID"),
        period=_period(r.find(settlement, "ram:BillingSpecifiedPeriod")),
        parent_line_id=r.text(document, "ram:ParentLineID"),
        line_status_code=r.text(document, "ram:LineStatusCode"),
        line_status_reason_code=r.text(document, "ram:LineStatusReasonCode"),
        vat_exemption_reason=r.text(settlement, "ram:ApplicableTradeTax/ram:ExemptionReason"),
        vat_exemption_reason_code=r.exemption_code(settlement, "ram:ApplicableTradeTax/ram:ExemptionReasonCode"),
    )
    for ref in r.findall(settlement, "ram:AdditionalReferencedDocument"):
        if r.text(ref, "ram:TypeCode") == OBJECT_TYPE:
            line.object_identifier = Identifier(r.text(ref, "ram:IssuerAssignedID") or "",
                                                r.text(ref, "ram:ReferenceTypeCode"))
    for charge in r.findall(settlement, "ram:SpecifiedTradeAllowanceCharge"):
        item = _allowance_charge(charge, document_level=False)
        (line.charges if item.is_charge else line.allowances).append(item)
    return line


def _price(agreement):
    net = r.find(agreement, "ram:NetPriceProductTradePrice")
    gross = r.find(agreement, "ram:GrossPriceProductTradePrice")
    basis = r.find(net, "ram:BasisQuantity")
    if basis is None:
        basis = r.find(gross, "ram:BasisQuantity")
    discount = None
    for applied in r.findall(gross, "ram:AppliedTradeAllowanceCharge"):
        if r.bool(applied, "ram:ChargeIndicator/udt:Indicator") is False:
            discount = r.decimal(applied, "ram:ActualAmount")
    return Price(
        net_price=r.decimal(net, "ram:ChargeAmount"),
        discount=discount,
        gross_price=r.decimal(gross, "ram:ChargeAmount"),
        base_quantity=r.decimal(basis, "."),
        base_quantity_unit=None if basis is None else (basis.get("unitCode") or "").strip() or None,
    )


def _item(product):
    classifications = []
    for code in r.findall(product, "ram:DesignatedProductClassification/ram:ClassCode"):
        classifications.append(Identifier(r.text(code, ".") or "", code.get("listID"), code.get("listVersionID")))
    return Item(
        name=r.text(product, "ram:Name") or "",
        description=r.text(product, "ram:Description"),
        seller_id=r.text(product, "ram:SellerAssignedID"),
        buyer_id=r.text(product, "ram:BuyerAssignedID"),
        standard_id=identifier(r.find(product, "ram:GlobalID")),
        classifications=classifications,
        origin_country=r.text(product, "ram:OriginTradeCountry/ram:ID"),
        attributes=[
            ItemAttribute(r.text(c, "ram:Description") or "", r.text(c, "ram:Value") or "")
            for c in r.findall(product, "ram:ApplicableProductCharacteristic")
        ],
    )
