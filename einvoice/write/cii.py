"""Writing the model as a UN/CEFACT CII invoice.

Three flavours: ``en16931`` writes what EN 16931 (and the Factur-X EN 16931
profile) can carry; ``extended-ctc-fr`` writes D22B for the French
EXTENDED-CTC-FR profile, adding sub-lines, line status, the type of preceding
invoices and the extra parties; ``extended`` writes the same terms as a
Factur-X EXTENDED invoice, the only EXTENDED profile a Factur-X PDF carries
(its XMP names five levels, EXTENDED-CTC-FR is not one of them).
"""

import base64

from einvoice.detect import Profile, profile_of
from einvoice.errors import InvoiceWriteError
from einvoice.read.cii import (
    AGREEMENT_EXTRA_PARTIES,
    ATTACHMENT_TYPE,
    DELIVERY_EXTRA_PARTIES,
    NS,
    OBJECT_TYPE,
    PROJECT_NAME_PLACEHOLDER,
    SETTLEMENT_EXTRA_PARTIES,
    TAX_POINT_CODE_TO_CII,
    TENDER_TYPE,
)
from einvoice.write._build import Builder, amount, boolean, finish, number

EN16931 = "en16931"
EXTENDED = "extended"
EXTENDED_CTC_FR = "extended-ctc-fr"
FLAVOURS = (EN16931, EXTENDED, EXTENDED_CTC_FR)
EN16931_ID = "urn:cen.eu:en16931:2017"
EXTENDED_ID = "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended"
EXTENDED_CTC_FR_ID = "urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr"
GUIDELINES = {EXTENDED: EXTENDED_ID, EXTENDED_CTC_FR: EXTENDED_CTC_FR_ID}

UNHONOURED_CLAIMS = ("extended", "peppol")
b = Builder(NS)
MANDATORY = {
    f"{{{NS['ram']}}}{name}"
    for name in ("ApplicableHeaderTradeAgreement", "ApplicableHeaderTradeDelivery", "ApplicableHeaderTradeSettlement",
                 "SpecifiedLineTradeDelivery", "SpecifiedLineTradeAgreement", "SpecifiedLineTradeSettlement")
}


def to_cii(invoice, flavour=EN16931):
    """The invoice as CII XML bytes."""
    if flavour not in FLAVOURS:
        raise InvoiceWriteError(f"unknown CII flavour {flavour!r} (expected one of {', '.join(FLAVOURS)})")
    extended = flavour != EN16931
    root = b.root("rsm:CrossIndustryInvoice", {"rsm": NS["rsm"], "ram": NS["ram"], "udt": NS["udt"], "qdt": NS["qdt"]})
    context = b.add(root, "rsm:ExchangedDocumentContext")
    b.add(b.add(context, "ram:BusinessProcessSpecifiedDocumentContextParameter"), "ram:ID", invoice.business_process)
    b.add(b.add(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", _guideline(invoice, flavour))
    _document(b.add(root, "rsm:ExchangedDocument"), invoice)
    transaction = b.add(root, "rsm:SupplyChainTradeTransaction")
    for line in invoice.lines:
        _line(b.add(transaction, "ram:IncludedSupplyChainTradeLineItem"), line, extended)
    _agreement(b.add(transaction, "ram:ApplicableHeaderTradeAgreement"), invoice, extended)
    _delivery(b.add(transaction, "ram:ApplicableHeaderTradeDelivery"), invoice, extended)
    _settlement(b.add(transaction, "ram:ApplicableHeaderTradeSettlement"), invoice, extended)
    return finish(root, keep=MANDATORY)


def flavour_for(invoice):
    """The flavour that keeps what ``invoice`` claims (BT-24) to carry.

    An invoice claiming an EXTENDED profile is written in that profile, the
    only flavours with room for its sub-lines, line statuses and extra
    parties: Factur-X EXTENDED stays Factur-X EXTENDED, EXTENDED-CTC-FR stays
    EXTENDED-CTC-FR; any other as EN 16931. Conversion chooses through this
    function, Factur-X generation through ``facturx_flavour_for``.
    """
    profile = profile_of(invoice.specification_id)
    if profile is Profile.EXTENDED:
        return EXTENDED
    return EXTENDED_CTC_FR if profile is Profile.EXTENDED_CTC_FR else EN16931


def facturx_flavour_for(invoice):
    """The flavour of the CII inside a Factur-X: an EXTENDED-CTC-FR invoice goes as Factur-X EXTENDED."""
    return EN16931 if flavour_for(invoice) == EN16931 else EXTENDED


def _guideline(invoice, flavour):
    """BT-24: the invoice's own claim, unless this CII cannot honour it (an
    EXTENDED profile in the EN 16931 flavour, a UBL-only CIUS such as Peppol BIS)."""
    if flavour in GUIDELINES:
        return GUIDELINES[flavour]
    claimed = invoice.specification_id or EN16931_ID
    return EN16931_ID if any(marker in claimed for marker in UNHONOURED_CLAIMS) else claimed


def _date(parent, name, value, element="udt:DateTimeString"):
    if value is not None:
        b.add(b.add(parent, name), element, value.strftime("%Y%m%d"), format="102")


def _document(document, invoice):
    b.add(document, "ram:ID", invoice.number)
    b.add(document, "ram:TypeCode", invoice.type_code)
    _date(document, "ram:IssueDateTime", invoice.issue_date)
    for note in invoice.notes:
        element = b.add(document, "ram:IncludedNote")
        b.add(element, "ram:Content", note.text)
        b.add(element, "ram:SubjectCode", note.subject_code)


def _identified(parent, identifier):
    """BT-29-like identifiers: ``ram:ID`` without a scheme, ``ram:GlobalID`` with one."""
    if identifier is None:
        return
    if identifier.scheme:
        b.add(parent, "ram:GlobalID", identifier.value, schemeID=identifier.scheme)
    else:
        b.add(parent, "ram:ID", identifier.value)


def _address(parent, address):
    if address is None:
        return
    element = b.add(parent, "ram:PostalTradeAddress")
    b.add(element, "ram:PostcodeCode", address.postcode)
    b.add(element, "ram:LineOne", address.line1)
    b.add(element, "ram:LineTwo", address.line2)
    b.add(element, "ram:LineThree", address.line3)
    b.add(element, "ram:CityName", address.city)
    b.add(element, "ram:CountryID", address.country_code)
    b.add(element, "ram:CountrySubDivisionName", address.country_subdivision)


def _party(parent, name, party):
    if party is None:
        return
    element = b.add(parent, name)
    for identifier in sorted(party.identifiers, key=lambda i: bool(i.scheme)):
        _identified(element, identifier)
    b.add(element, "ram:Name", party.name)
    b.add(element, "ram:Description", party.legal_information)
    legal = b.add(element, "ram:SpecifiedLegalOrganization")
    if party.legal_registration:
        b.add(legal, "ram:ID", party.legal_registration.value, schemeID=party.legal_registration.scheme)
    b.add(legal, "ram:TradingBusinessName", party.trading_name)
    if party.contact:
        contact = b.add(element, "ram:DefinedTradeContact")
        b.add(contact, "ram:PersonName", party.contact.name)
        b.add(contact, "ram:DepartmentName", party.contact.department)
        b.add(b.add(contact, "ram:TelephoneUniversalCommunication"), "ram:CompleteNumber", party.contact.phone)
        b.add(b.add(contact, "ram:EmailURIUniversalCommunication"), "ram:URIID", party.contact.email)
    _address(element, party.address)
    if party.electronic_address:
        uri = b.add(element, "ram:URIUniversalCommunication")
        b.add(uri, "ram:URIID", party.electronic_address.value, schemeID=party.electronic_address.scheme)
    b.add(b.add(element, "ram:SpecifiedTaxRegistration"), "ram:ID", party.vat_id, schemeID="VA")
    b.add(b.add(element, "ram:SpecifiedTaxRegistration"), "ram:ID", party.tax_registration_id, schemeID="FC")


def _extra_parties(parent, invoice, roles, extended):
    if not extended:
        return
    for role in roles:
        for extra in invoice.extra_parties:
            if extra.role == role:
                _party(parent, f"ram:{role}TradeParty", extra.party)
                break


def _referenced(parent, name, identifier, type_code=None, reference_type=None):
    if identifier is None:
        return
    element = b.add(parent, name)
    b.add(element, "ram:IssuerAssignedID", identifier)
    b.add(element, "ram:TypeCode", type_code)
    b.add(element, "ram:ReferenceTypeCode", reference_type)


def _agreement(agreement, invoice, extended):
    b.add(agreement, "ram:BuyerReference", invoice.buyer_reference)
    _party(agreement, "ram:SellerTradeParty", invoice.seller)
    _party(agreement, "ram:BuyerTradeParty", invoice.buyer)
    _extra_parties(agreement, invoice, AGREEMENT_EXTRA_PARTIES[:5], extended)
    _party(agreement, "ram:SellerTaxRepresentativeTradeParty", invoice.tax_representative)
    _extra_parties(agreement, invoice, ("ProductEndUser",), extended)
    _referenced(agreement, "ram:SellerOrderReferencedDocument", invoice.sales_order_reference)
    _referenced(agreement, "ram:BuyerOrderReferencedDocument", invoice.purchase_order_reference)
    _referenced(agreement, "ram:ContractReferencedDocument", invoice.contract_reference)
    for attachment in invoice.attachments:
        element = b.add(agreement, "ram:AdditionalReferencedDocument")
        b.add(element, "ram:IssuerAssignedID", attachment.id)
        b.add(element, "ram:URIID", attachment.uri)
        b.add(element, "ram:TypeCode", ATTACHMENT_TYPE)
        b.add(element, "ram:Name", attachment.description)
        if attachment.content is not None:
            b.add(element, "ram:AttachmentBinaryObject", base64.b64encode(attachment.content).decode("ascii"),
                  mimeCode=attachment.mime_code, filename=attachment.filename)
    _referenced(agreement, "ram:AdditionalReferencedDocument", invoice.tender_reference, TENDER_TYPE)
    if invoice.invoiced_object_identifier:
        _referenced(agreement, "ram:AdditionalReferencedDocument", invoice.invoiced_object_identifier.value,
                    OBJECT_TYPE, invoice.invoiced_object_identifier.scheme)
    _extra_parties(agreement, invoice, ("BuyerAgent",), extended)
    if invoice.project_reference:
        project = b.add(agreement, "ram:SpecifiedProcuringProject")
        b.add(project, "ram:ID", invoice.project_reference)
        b.add(project, "ram:Name", invoice.project_name or PROJECT_NAME_PLACEHOLDER)



def _delivery(delivery, invoice, extended):
    info = invoice.delivery
    if info is not None and (info.party_name or info.location_id or info.address):
        ship_to = b.add(delivery, "ram:ShipToTradeParty")
        _identified(ship_to, info.location_id)
        b.add(ship_to, "ram:Name", info.party_name)
        _address(ship_to, info.address)
    _extra_parties(delivery, invoice, DELIVERY_EXTRA_PARTIES, extended)
    if info is not None:
        _date(b.add(delivery, "ram:ActualDeliverySupplyChainEvent"), "ram:OccurrenceDateTime", info.date)
    _referenced(delivery, "ram:DespatchAdviceReferencedDocument", invoice.despatch_advice_reference)
    _referenced(delivery, "ram:ReceivingAdviceReferencedDocument", invoice.receiving_advice_reference)


def _settlement(settlement, invoice, extended):
    payment = invoice.payment_instructions
    direct_debit = payment.direct_debit if payment else None
    b.add(settlement, "ram:CreditorReferenceID", direct_debit.creditor_id if direct_debit else None)
    b.add(settlement, "ram:PaymentReference", payment.remittance_information if payment else None)
    b.add(settlement, "ram:TaxCurrencyCode", _other_tax_currency(invoice))
    b.add(settlement, "ram:InvoiceCurrencyCode", invoice.currency)
    _extra_parties(settlement, invoice, SETTLEMENT_EXTRA_PARTIES[:2], extended)
    _party(settlement, "ram:PayeeTradeParty", invoice.payee)
    _extra_parties(settlement, invoice, SETTLEMENT_EXTRA_PARTIES[2:], extended)
    if payment and payment.means_code:
        _payment_means(settlement, payment)
    for index, vat in enumerate(invoice.vat_breakdown):
        tax = b.add(settlement, "ram:ApplicableTradeTax")
        b.add(tax, "ram:CalculatedAmount", amount(vat.tax_amount))
        b.add(tax, "ram:TypeCode", "VAT")
        b.add(tax, "ram:ExemptionReason", vat.exemption_reason)
        b.add(tax, "ram:BasisAmount", amount(vat.taxable_amount))
        b.add(tax, "ram:CategoryCode", vat.category)
        b.add(tax, "ram:ExemptionReasonCode", vat.exemption_reason_code)
        if index == 0:  # BT-7 is one date for the invoice: CII-SR-461 admits one TaxPointDate
            _date(tax, "ram:TaxPointDate", invoice.tax_point_date, "udt:DateString")
        code = invoice.tax_point_date_code
        b.add(tax, "ram:DueDateTypeCode", TAX_POINT_CODE_TO_CII.get(code, code))
        b.add(tax, "ram:RateApplicablePercent", number(vat.rate))
    _period(settlement, invoice.invoicing_period)
    for item in invoice.allowances + invoice.charges:
        _allowance_charge(settlement, item, document_level=True, extended=extended)
    terms = b.add(settlement, "ram:SpecifiedTradePaymentTerms")
    b.add(terms, "ram:Description", invoice.payment_terms)
    _date(terms, "ram:DueDateDateTime", invoice.due_date)
    b.add(terms, "ram:DirectDebitMandateID", direct_debit.mandate_reference if direct_debit else None)
    _totals(b.add(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation"), invoice)
    for preceding in invoice.preceding_invoices:
        element = b.add(settlement, "ram:InvoiceReferencedDocument")
        b.add(element, "ram:IssuerAssignedID", preceding.number)
        if extended:
            b.add(element, "ram:TypeCode", preceding.type_code)
        _date(element, "ram:FormattedIssueDateTime", preceding.issue_date, "qdt:DateTimeString")
    accounting_account = b.add(settlement, "ram:ReceivableSpecifiedTradeAccountingAccount")
    b.add(accounting_account, "ram:ID", invoice.buyer_accounting_reference)


def _payment_means(settlement, payment):
    """One means per credit account (CII holds one account per means), card and debtor on the first."""
    direct_debit = payment.direct_debit
    for index, transfer in enumerate(payment.credit_transfers or [None]):
        means = b.add(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        b.add(means, "ram:TypeCode", payment.means_code)
        b.add(means, "ram:Information", payment.means_text)
        if index == 0 and payment.card:
            card = b.add(means, "ram:ApplicableTradeSettlementFinancialCard")
            b.add(card, "ram:ID", payment.card.account_number)
            b.add(card, "ram:CardholderName", payment.card.holder_name)
        if index == 0 and direct_debit:
            b.add(b.add(means, "ram:PayerPartyDebtorFinancialAccount"), "ram:IBANID", direct_debit.debited_account_id)
        if transfer is not None:
            account = b.add(means, "ram:PayeePartyCreditorFinancialAccount")
            if not transfer.proprietary_id:
                b.add(account, "ram:IBANID", transfer.account_id)
            b.add(account, "ram:AccountName", transfer.account_name)
            if transfer.proprietary_id:
                b.add(account, "ram:ProprietaryID", transfer.account_id)
            institution = b.add(means, "ram:PayeeSpecifiedCreditorFinancialInstitution")
            b.add(institution, "ram:BICID", transfer.service_provider_id)


def _period(parent, period):
    if period is None:
        return
    element = b.add(parent, "ram:BillingSpecifiedPeriod")
    _date(element, "ram:StartDateTime", period.start)
    _date(element, "ram:EndDateTime", period.end)


def _allowance_charge(parent, item, document_level, extended=False):
    element = b.add(parent, "ram:SpecifiedTradeAllowanceCharge")
    b.add(b.add(element, "ram:ChargeIndicator"), "udt:Indicator", boolean(item.is_charge))
    b.add(element, "ram:CalculationPercent", number(item.percentage))
    b.add(element, "ram:BasisAmount", amount(item.base_amount))
    b.add(element, "ram:ActualAmount", amount(item.amount))
    b.add(element, "ram:ReasonCode", item.reason_code)
    b.add(element, "ram:Reason", item.reason)
    if document_level:
        tax = b.add(element, "ram:CategoryTradeTax")
        b.add(tax, "ram:TypeCode", "VAT")
        if extended:
            b.add(tax, "ram:ExemptionReason", item.vat_exemption_reason)
        b.add(tax, "ram:CategoryCode", item.vat_category)
        if extended:
            b.add(tax, "ram:ExemptionReasonCode", item.vat_exemption_reason_code)
        b.add(tax, "ram:RateApplicablePercent", number(item.vat_rate))


def _other_tax_currency(invoice):
    """BT-6, when it is not BT-5: CII's BR-53 wants them different, BT-111 then being BT-110 twice over
    (a UBL may state the same currency, and its VAT total once per currency statement)."""
    return invoice.tax_currency if invoice.tax_currency != invoice.currency else None


def _totals(summation, invoice):
    totals = invoice.totals
    b.add(summation, "ram:LineTotalAmount", amount(totals.line_total))
    b.add(summation, "ram:ChargeTotalAmount", amount(totals.charge_total))
    b.add(summation, "ram:AllowanceTotalAmount", amount(totals.allowance_total))
    b.add(summation, "ram:TaxBasisTotalAmount", amount(totals.tax_exclusive))
    b.add(summation, "ram:TaxTotalAmount", amount(totals.tax_total), currencyID=invoice.currency)
    if _other_tax_currency(invoice):
        b.add(summation, "ram:TaxTotalAmount", amount(totals.tax_total_accounting), currencyID=invoice.tax_currency)
    b.add(summation, "ram:RoundingAmount", amount(totals.rounding))
    b.add(summation, "ram:GrandTotalAmount", amount(totals.tax_inclusive))
    b.add(summation, "ram:TotalPrepaidAmount", amount(totals.prepaid))
    b.add(summation, "ram:DuePayableAmount", amount(totals.payable))


def _line(element, line, extended):
    document = b.add(element, "ram:AssociatedDocumentLineDocument")
    b.add(document, "ram:LineID", line.id)
    if extended:
        b.add(document, "ram:ParentLineID", line.parent_line_id)
        b.add(document, "ram:LineStatusCode", line.line_status_code)
        b.add(document, "ram:LineStatusReasonCode", line.line_status_reason_code)
    note = b.add(document, "ram:IncludedNote")
    b.add(note, "ram:Content", line.note)
    if extended and line.note:
        b.add(note, "ram:SubjectCode", line.note_subject_code)
    _product(b.add(element, "ram:SpecifiedTradeProduct"), line.item)
    agreement = b.add(element, "ram:SpecifiedLineTradeAgreement")
    b.add(b.add(agreement, "ram:BuyerOrderReferencedDocument"), "ram:LineID", line.order_line_reference)
    _price(agreement, line.price)
    b.add(b.add(element, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity", number(line.quantity),
          unitCode=line.unit_code)
    settlement = b.add(element, "ram:SpecifiedLineTradeSettlement")
    tax = b.add(settlement, "ram:ApplicableTradeTax")
    b.add(tax, "ram:TypeCode", "VAT")
    if extended:
        b.add(tax, "ram:ExemptionReason", line.vat_exemption_reason)
    b.add(tax, "ram:CategoryCode", line.vat_category)
    if extended:
        b.add(tax, "ram:ExemptionReasonCode", line.vat_exemption_reason_code)
    b.add(tax, "ram:RateApplicablePercent", number(line.vat_rate))
    _period(settlement, line.period)
    for item in line.allowances + line.charges:
        _allowance_charge(settlement, item, document_level=False)
    summation = b.add(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
    b.add(summation, "ram:LineTotalAmount", amount(line.net_amount))
    if line.object_identifier:
        _referenced(settlement, "ram:AdditionalReferencedDocument", line.object_identifier.value, OBJECT_TYPE,
                    line.object_identifier.scheme)
    b.add(b.add(settlement, "ram:ReceivableSpecifiedTradeAccountingAccount"), "ram:ID", line.accounting_reference)


def _product(product, item):
    if item.standard_id:
        b.add(product, "ram:GlobalID", item.standard_id.value, schemeID=item.standard_id.scheme)
    b.add(product, "ram:SellerAssignedID", item.seller_id)
    b.add(product, "ram:BuyerAssignedID", item.buyer_id)
    b.add(product, "ram:Name", item.name)
    b.add(product, "ram:Description", item.description)
    for attribute in item.attributes:
        characteristic = b.add(product, "ram:ApplicableProductCharacteristic")
        b.add(characteristic, "ram:Description", attribute.name)
        b.add(characteristic, "ram:Value", attribute.value)
    for classification in item.classifications:
        b.add(b.add(product, "ram:DesignatedProductClassification"), "ram:ClassCode", classification.value,
              listID=classification.scheme, listVersionID=classification.scheme_version)
    b.add(b.add(product, "ram:OriginTradeCountry"), "ram:ID", item.origin_country)


def _price(agreement, price):
    if price is None:
        return
    gross_price = price.gross_price
    if gross_price is None and price.discount is not None and price.net_price is not None:
        gross_price = price.net_price + price.discount  # CII carries BT-147 only under BT-148
    if gross_price is not None:
        gross = b.add(agreement, "ram:GrossPriceProductTradePrice")
        b.add(gross, "ram:ChargeAmount", number(gross_price))
        b.add(gross, "ram:BasisQuantity", number(price.base_quantity), unitCode=price.base_quantity_unit)
        if price.discount is not None:
            applied = b.add(gross, "ram:AppliedTradeAllowanceCharge")
            b.add(b.add(applied, "ram:ChargeIndicator"), "udt:Indicator", "false")
            b.add(applied, "ram:ActualAmount", number(price.discount))
    net = b.add(agreement, "ram:NetPriceProductTradePrice")
    b.add(net, "ram:ChargeAmount", number(price.net_price))
    b.add(net, "ram:BasisQuantity", number(price.base_quantity), unitCode=price.base_quantity_unit)
