"""Writing the model as a UBL 2.1 Invoice, or CreditNote when BT-3 is a credit note code."""

import base64
from decimal import Decimal

from einvoice.detect import Syntax
from einvoice.read.ubl import (
    AGENT_ROLES,
    CREDITOR_SCHEME,
    NOT_APPLICABLE,
    NS,
    OBJECT_TYPE,
    PROJECT_TYPE,
)
from einvoice.write._build import Builder, amount, boolean, finish, number

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
TAX_SCHEME_OTHER = "FC"  # BT-32 travels in a PartyTaxScheme whose scheme is not VAT

b = Builder({**NS, "inv": NS_INVOICE, "cn": NS_CREDIT_NOTE})


def to_ubl(invoice):
    """The invoice as UBL XML bytes: a ``CreditNote`` for credit note type codes, else an ``Invoice``."""
    credit_note = invoice.is_credit_note
    prefix = "cn" if credit_note else "inv"
    nsmap = {None: NS_CREDIT_NOTE if credit_note else NS_INVOICE, "cac": NS["cac"], "cbc": NS["cbc"]}
    root = b.root(f"{prefix}:{'CreditNote' if credit_note else 'Invoice'}", nsmap)
    b.add(root, "cbc:CustomizationID", invoice.specification_id)
    b.add(root, "cbc:ProfileID", invoice.business_process)
    b.add(root, "cbc:ID", invoice.number)
    b.add(root, "cbc:IssueDate", _iso(invoice.issue_date))
    if credit_note:
        b.add(root, "cbc:TaxPointDate", _iso(invoice.tax_point_date))
        b.add(root, "cbc:CreditNoteTypeCode", invoice.type_code)
    else:
        b.add(root, "cbc:DueDate", _iso(invoice.due_date))
        b.add(root, "cbc:InvoiceTypeCode", invoice.type_code)
    for note in invoice.notes:
        b.add(root, "cbc:Note", f"#{note.subject_code}#{note.text}" if note.subject_code else note.text)
    if not credit_note:
        b.add(root, "cbc:TaxPointDate", _iso(invoice.tax_point_date))
    b.add(root, "cbc:DocumentCurrencyCode", invoice.currency)
    b.add(root, "cbc:TaxCurrencyCode", invoice.tax_currency)
    b.add(root, "cbc:AccountingCost", invoice.buyer_accounting_reference)
    b.add(root, "cbc:BuyerReference", invoice.buyer_reference)
    _period(root, invoice.invoicing_period, invoice.tax_point_date_code)
    order = b.add(root, "cac:OrderReference")
    b.add(order, "cbc:ID",
          invoice.purchase_order_reference or (NOT_APPLICABLE if invoice.sales_order_reference else None))
    b.add(order, "cbc:SalesOrderID", invoice.sales_order_reference)
    for preceding in invoice.preceding_invoices:
        reference = b.add(b.add(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        b.add(reference, "cbc:ID", preceding.number)
        b.add(reference, "cbc:IssueDate", _iso(preceding.issue_date))
        b.add(reference, "cbc:DocumentTypeCode", preceding.type_code)
    b.add(b.add(root, "cac:DespatchDocumentReference"), "cbc:ID", invoice.despatch_advice_reference)
    b.add(b.add(root, "cac:ReceiptDocumentReference"), "cbc:ID", invoice.receiving_advice_reference)
    if credit_note:
        _contract_and_additional(root, invoice, credit_note)
        b.add(b.add(root, "cac:OriginatorDocumentReference"), "cbc:ID", invoice.tender_reference)
    else:
        b.add(b.add(root, "cac:OriginatorDocumentReference"), "cbc:ID", invoice.tender_reference)
        _contract_and_additional(root, invoice, credit_note)
        b.add(b.add(root, "cac:ProjectReference"), "cbc:ID", invoice.project_reference)
    _parties(root, invoice)
    _delivery(root, invoice.delivery, invoice)
    _payment(root, invoice, credit_note)
    b.add(b.add(root, "cac:PaymentTerms"), "cbc:Note", invoice.payment_terms)
    for item in invoice.allowances + invoice.charges:
        _allowance_charge(root, item, invoice.currency, document_level=True)
    _tax_totals(root, invoice)
    _monetary_total(root, invoice)
    for line in invoice.lines:
        _line(root, line, invoice.currency, credit_note)
    return finish(root)


def _iso(value):
    return None if value is None else value.isoformat()


def _money(parent, name, value, currency):
    return b.add(parent, name, amount(value), currencyID=currency) if value is not None else None


def _period(parent, period, description_code=None):
    if period is None and description_code is None:
        return
    element = b.add(parent, "cac:InvoicePeriod")
    if period is not None:
        b.add(element, "cbc:StartDate", _iso(period.start))
        b.add(element, "cbc:EndDate", _iso(period.end))
    b.add(element, "cbc:DescriptionCode", description_code)


def _contract_and_additional(root, invoice, credit_note):
    b.add(b.add(root, "cac:ContractDocumentReference"), "cbc:ID", invoice.contract_reference)
    if invoice.invoiced_object_identifier:
        reference = b.add(root, "cac:AdditionalDocumentReference")
        identifier = invoice.invoiced_object_identifier
        b.add(reference, "cbc:ID", identifier.value, schemeID=identifier.scheme)
        b.add(reference, "cbc:DocumentTypeCode", OBJECT_TYPE)
    if credit_note and invoice.project_reference:
        reference = b.add(root, "cac:AdditionalDocumentReference")
        b.add(reference, "cbc:ID", invoice.project_reference)
        b.add(reference, "cbc:DocumentTypeCode", PROJECT_TYPE)
    for attachment in invoice.attachments:
        reference = b.add(root, "cac:AdditionalDocumentReference")
        b.add(reference, "cbc:ID", attachment.id)
        b.add(reference, "cbc:DocumentDescription", attachment.description)
        holder = b.add(reference, "cac:Attachment")
        if attachment.content is not None:
            b.add(holder, "cbc:EmbeddedDocumentBinaryObject", base64.b64encode(attachment.content).decode("ascii"),
                  mimeCode=attachment.mime_code, filename=attachment.filename)
        b.add(b.add(holder, "cac:ExternalReference"), "cbc:URI", attachment.uri)


def _address(parent, name, address):
    if address is None:
        return
    element = b.add(parent, name)
    b.add(element, "cbc:StreetName", address.line1)
    b.add(element, "cbc:AdditionalStreetName", address.line2)
    b.add(element, "cbc:CityName", address.city)
    b.add(element, "cbc:PostalZone", address.postcode)
    b.add(element, "cbc:CountrySubentity", address.country_subdivision)
    b.add(b.add(element, "cac:AddressLine"), "cbc:Line", address.line3)
    b.add(b.add(element, "cac:Country"), "cbc:IdentificationCode", address.country_code)


def _carried(invoice, party, at_most=None):
    """The identifiers (BT-29, BT-46, BT-60) of ``party`` UBL can carry without failing a rule.

    A UBL source gets back the identifiers it was read with. Those read from
    CII follow UBL's limits: UBL has one element for every party identifier,
    and the French rules want a scheme on each (BR-FR-CO-10), so CII's private
    ``ram:ID`` (no scheme) is left out, unless it is all that identifies the
    seller (BR-CO-26 wants one); EN 16931 gives the buyer and the payee one
    identifier (UBL-SR-16): the first with a scheme is kept, as AFNOR's own UBL
    of its EXTENDED example does.
    """
    if invoice.source_syntax == Syntax.UBL:
        return party.identifiers
    private = party is invoice.seller and not (
        party.legal_registration or party.vat_id or any(identifier.scheme for identifier in party.identifiers))
    return [identifier for identifier in party.identifiers if private or identifier.scheme][:at_most]


def _identifications(element, identifiers):
    for identifier in identifiers:
        b.add(b.add(element, "cac:PartyIdentification"), "cbc:ID", identifier.value, schemeID=identifier.scheme)


def _tax_scheme(element, company_id, scheme):
    if company_id is None:
        return
    tax = b.add(element, "cac:PartyTaxScheme")
    b.add(tax, "cbc:CompanyID", company_id)
    b.add(b.add(tax, "cac:TaxScheme"), "cbc:ID", scheme)


def _party(parent, party, creditor_id=None, agent=None, tag="cac:Party", identifiers=None):
    element = b.add(parent, tag)
    if party.electronic_address:
        b.add(element, "cbc:EndpointID", party.electronic_address.value, schemeID=party.electronic_address.scheme)
    _identifications(element, party.identifiers if identifiers is None else identifiers)
    if creditor_id:
        b.add(b.add(element, "cac:PartyIdentification"), "cbc:ID", creditor_id, schemeID=CREDITOR_SCHEME)
    b.add(b.add(element, "cac:PartyName"), "cbc:Name", party.trading_name)
    _address(element, "cac:PostalAddress", party.address)
    _tax_scheme(element, party.vat_id, "VAT")
    _tax_scheme(element, party.tax_registration_id, TAX_SCHEME_OTHER)
    legal = b.add(element, "cac:PartyLegalEntity")
    b.add(legal, "cbc:RegistrationName", party.name)
    if party.legal_registration:
        b.add(legal, "cbc:CompanyID", party.legal_registration.value, schemeID=party.legal_registration.scheme)
    b.add(legal, "cbc:CompanyLegalForm", party.legal_information)
    if party.contact:
        contact = b.add(element, "cac:Contact")
        b.add(contact, "cbc:Name", party.contact.name)
        b.add(contact, "cbc:Telephone", party.contact.phone)
        b.add(contact, "cbc:ElectronicMail", party.contact.email)
    if agent is not None:
        _party(element, agent, tag="cac:AgentParty")


def _parties(root, invoice):
    payment = invoice.payment_instructions
    creditor_id = payment.direct_debit.creditor_id if payment and payment.direct_debit else None
    payee = invoice.payee
    agents = {extra.role: extra.party for extra in invoice.extra_parties}
    _party(b.add(root, "cac:AccountingSupplierParty"), invoice.seller, None if payee else creditor_id,
           agents.get(AGENT_ROLES["seller"]), identifiers=_carried(invoice, invoice.seller))
    _party(b.add(root, "cac:AccountingCustomerParty"), invoice.buyer, agent=agents.get(AGENT_ROLES["buyer"]),
           identifiers=_carried(invoice, invoice.buyer, 1))
    if payee:
        element = b.add(root, "cac:PayeeParty")
        _identifications(element, _carried(invoice, payee, 1))
        if creditor_id:
            b.add(b.add(element, "cac:PartyIdentification"), "cbc:ID", creditor_id, schemeID=CREDITOR_SCHEME)
        b.add(b.add(element, "cac:PartyName"), "cbc:Name", payee.name)
        if payee.legal_registration:
            legal = b.add(element, "cac:PartyLegalEntity")
            b.add(legal, "cbc:CompanyID", payee.legal_registration.value, schemeID=payee.legal_registration.scheme)
    representative = invoice.tax_representative
    if representative:
        element = b.add(root, "cac:TaxRepresentativeParty")
        b.add(b.add(element, "cac:PartyName"), "cbc:Name", representative.name)
        _address(element, "cac:PostalAddress", representative.address)
        _tax_scheme(element, representative.vat_id, "VAT")


def _delivery(root, delivery, invoice):
    if delivery is None:
        return
    element = b.add(root, "cac:Delivery")
    b.add(element, "cbc:ActualDeliveryDate", _iso(delivery.date))
    location = b.add(element, "cac:DeliveryLocation")
    if delivery.location_id and (delivery.location_id.scheme or invoice.source_syntax == Syntax.UBL):  # as _carried
        b.add(location, "cbc:ID", delivery.location_id.value, schemeID=delivery.location_id.scheme)
    _address(location, "cac:Address", delivery.address)
    b.add(b.add(b.add(element, "cac:DeliveryParty"), "cac:PartyName"), "cbc:Name", delivery.party_name)


def _payment(root, invoice, credit_note):
    payment = invoice.payment_instructions
    if payment is None or not payment.means_code:
        return
    for index, transfer in enumerate(payment.credit_transfers or [None]):
        means = b.add(root, "cac:PaymentMeans")
        b.add(means, "cbc:PaymentMeansCode", payment.means_code, name=payment.means_text if index == 0 else None)
        if credit_note and index == 0:
            b.add(means, "cbc:PaymentDueDate", _iso(invoice.due_date))
        b.add(means, "cbc:PaymentID", payment.remittance_information)
        if index == 0 and payment.card:
            card = b.add(means, "cac:CardAccount")
            b.add(card, "cbc:PrimaryAccountNumberID", payment.card.account_number)
            b.add(card, "cbc:NetworkID", payment.card.network_id or NOT_APPLICABLE)
            b.add(card, "cbc:HolderName", payment.card.holder_name)
        if transfer is not None:
            account = b.add(means, "cac:PayeeFinancialAccount")
            b.add(account, "cbc:ID", transfer.account_id)
            b.add(account, "cbc:Name", transfer.account_name)
            b.add(b.add(account, "cac:FinancialInstitutionBranch"), "cbc:ID", transfer.service_provider_id)
        if index == 0 and payment.direct_debit:
            mandate = b.add(means, "cac:PaymentMandate")
            b.add(mandate, "cbc:ID", payment.direct_debit.mandate_reference)
            b.add(b.add(mandate, "cac:PayerFinancialAccount"), "cbc:ID", payment.direct_debit.debited_account_id)


def _tax_category(parent, name, category, rate, reason_code=None, reason=None):
    element = b.add(parent, name)
    b.add(element, "cbc:ID", category)
    b.add(element, "cbc:Percent", number(rate))
    b.add(element, "cbc:TaxExemptionReasonCode", reason_code)
    b.add(element, "cbc:TaxExemptionReason", reason)
    b.add(b.add(element, "cac:TaxScheme"), "cbc:ID", "VAT")


def _allowance_charge(parent, item, currency, document_level):
    element = b.add(parent, "cac:AllowanceCharge")
    b.add(element, "cbc:ChargeIndicator", boolean(item.is_charge))
    b.add(element, "cbc:AllowanceChargeReasonCode", item.reason_code)
    b.add(element, "cbc:AllowanceChargeReason", item.reason)
    b.add(element, "cbc:MultiplierFactorNumeric", number(item.percentage))
    _money(element, "cbc:Amount", item.amount, currency)
    _money(element, "cbc:BaseAmount", item.base_amount, currency)
    if document_level:
        _tax_category(element, "cac:TaxCategory", item.vat_category, item.vat_rate)


def _tax_totals(root, invoice):
    totals = invoice.totals
    if totals.tax_total is not None or invoice.vat_breakdown:
        tax_total = b.add(root, "cac:TaxTotal")
        total = totals.tax_total
        if total is None:  # UBL requires BT-110; BR-CO-14 makes it the sum of the breakdown
            total = sum((vat.tax_amount or 0 for vat in invoice.vat_breakdown), Decimal(0))
        _money(tax_total, "cbc:TaxAmount", total, invoice.currency)
        for vat in invoice.vat_breakdown:
            subtotal = b.add(tax_total, "cac:TaxSubtotal")
            _money(subtotal, "cbc:TaxableAmount", vat.taxable_amount, invoice.currency)
            _money(subtotal, "cbc:TaxAmount", vat.tax_amount, invoice.currency)
            _tax_category(subtotal, "cac:TaxCategory", vat.category, vat.rate, vat.exemption_reason_code,
                          vat.exemption_reason)
    if totals.tax_total_accounting is not None:
        _money(b.add(root, "cac:TaxTotal"), "cbc:TaxAmount", totals.tax_total_accounting,
               invoice.tax_currency or invoice.currency)


def _monetary_total(root, invoice):
    totals, currency = invoice.totals, invoice.currency
    element = b.add(root, "cac:LegalMonetaryTotal")
    _money(element, "cbc:LineExtensionAmount", totals.line_total, currency)
    _money(element, "cbc:TaxExclusiveAmount", totals.tax_exclusive, currency)
    _money(element, "cbc:TaxInclusiveAmount", totals.tax_inclusive, currency)
    _money(element, "cbc:AllowanceTotalAmount", totals.allowance_total, currency)
    _money(element, "cbc:ChargeTotalAmount", totals.charge_total, currency)
    _money(element, "cbc:PrepaidAmount", totals.prepaid, currency)
    _money(element, "cbc:PayableRoundingAmount", totals.rounding, currency)
    _money(element, "cbc:PayableAmount", totals.payable, currency)


def _line(root, line, currency, credit_note):
    element = b.add(root, "cac:CreditNoteLine" if credit_note else "cac:InvoiceLine")
    b.add(element, "cbc:ID", line.id)
    b.add(element, "cbc:Note", line.note)
    b.add(element, "cbc:CreditedQuantity" if credit_note else "cbc:InvoicedQuantity", number(line.quantity),
          unitCode=line.unit_code)
    _money(element, "cbc:LineExtensionAmount", line.net_amount, currency)
    b.add(element, "cbc:AccountingCost", line.accounting_reference)
    _period(element, line.period)
    b.add(b.add(element, "cac:OrderLineReference"), "cbc:LineID", line.order_line_reference)
    if line.object_identifier:
        reference = b.add(element, "cac:DocumentReference")
        b.add(reference, "cbc:ID", line.object_identifier.value, schemeID=line.object_identifier.scheme)
        b.add(reference, "cbc:DocumentTypeCode", OBJECT_TYPE)
    for item in line.allowances + line.charges:
        _allowance_charge(element, item, currency, document_level=False)
    _item(element, line)
    _price(element, line.price, currency)


def _item(parent, line):
    item = line.item
    element = b.add(parent, "cac:Item")
    b.add(element, "cbc:Description", item.description)
    b.add(element, "cbc:Name", item.name)
    b.add(b.add(element, "cac:BuyersItemIdentification"), "cbc:ID", item.buyer_id)
    b.add(b.add(element, "cac:SellersItemIdentification"), "cbc:ID", item.seller_id)
    if item.standard_id:
        b.add(b.add(element, "cac:StandardItemIdentification"), "cbc:ID", item.standard_id.value,
              schemeID=item.standard_id.scheme)
    b.add(b.add(element, "cac:OriginCountry"), "cbc:IdentificationCode", item.origin_country)
    for classification in item.classifications:
        b.add(b.add(element, "cac:CommodityClassification"), "cbc:ItemClassificationCode", classification.value,
              listID=classification.scheme, listVersionID=classification.scheme_version)
    _tax_category(element, "cac:ClassifiedTaxCategory", line.vat_category, line.vat_rate)
    for attribute in item.attributes:
        prop = b.add(element, "cac:AdditionalItemProperty")
        b.add(prop, "cbc:Name", attribute.name)
        b.add(prop, "cbc:Value", attribute.value)


def _price(parent, price, currency):
    if price is None:
        return
    element = b.add(parent, "cac:Price")
    b.add(element, "cbc:PriceAmount", number(price.net_price), currencyID=currency)
    b.add(element, "cbc:BaseQuantity", number(price.base_quantity), unitCode=price.base_quantity_unit)
    discount = price.discount
    if discount is None and price.gross_price is not None and price.net_price is not None:
        discount = price.gross_price - price.net_price  # UBL carries BT-148 only beside BT-147
    if discount is not None:
        applied = b.add(element, "cac:AllowanceCharge")
        b.add(applied, "cbc:ChargeIndicator", "false")
        b.add(applied, "cbc:Amount", number(discount), currencyID=currency)
        b.add(applied, "cbc:BaseAmount", number(price.gross_price), currencyID=currency)
