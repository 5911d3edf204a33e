"""Reading a UBL 2.1 Invoice or CreditNote."""

import base64
import binascii
import re

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
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
r = Reader(NS)

# A UBL note carries its subject code (BT-21) as a "#CODE#" prefix.
SUBJECT_PREFIX = re.compile(r"^#([A-Za-z0-9]{1,10})#(.*)$", re.DOTALL)
NOT_APPLICABLE = "NA"
PROJECT_TYPE = "50"
OBJECT_TYPE = "130"
DIRECT_DEBIT_CODE = "59"
CREDITOR_SCHEME = "SEPA"  # BT-90 travels as a seller or payee identifier with this scheme
# EXTENDED-CTC-FR agents, held inside the seller's and the buyer's party (CII roles).
AGENT_ROLES = {"seller": "SalesAgent", "buyer": "BuyerAgent"}


def read(root):
    """The ``Invoice`` held by a UBL ``Invoice`` or ``CreditNote`` root element."""
    credit_note = root.tag.endswith("}CreditNote")
    line_tag, quantity_tag = (("CreditNoteLine", "CreditedQuantity") if credit_note
                              else ("InvoiceLine", "InvoicedQuantity"))
    period = r.find(root, "cac:InvoicePeriod")
    invoice = Invoice(
        number=r.text(root, "cbc:ID") or "",
        issue_date=r.date(root, "cbc:IssueDate", "iso"),
        type_code=r.text(root, "cbc:CreditNoteTypeCode" if credit_note else "cbc:InvoiceTypeCode") or "",
        currency=r.text(root, "cbc:DocumentCurrencyCode") or "",
        tax_currency=r.text(root, "cbc:TaxCurrencyCode"),
        tax_point_date=r.date(root, "cbc:TaxPointDate", "iso"),
        tax_point_date_code=r.text(period, "cbc:DescriptionCode"),
        due_date=r.date(root, "cbc:DueDate", "iso") or _first_date(root, "cac:PaymentMeans/cbc:PaymentDueDate"),
        buyer_reference=r.text(root, "cbc:BuyerReference"),
        project_reference=r.text(root, "cac:ProjectReference/cbc:ID"),
        contract_reference=r.text(root, "cac:ContractDocumentReference/cbc:ID"),
        purchase_order_reference=_purchase_order(root),
        sales_order_reference=r.text(root, "cac:OrderReference/cbc:SalesOrderID"),
        receiving_advice_reference=r.text(root, "cac:ReceiptDocumentReference/cbc:ID"),
        despatch_advice_reference=r.text(root, "cac:DespatchDocumentReference/cbc:ID"),
        tender_reference=r.text(root, "cac:OriginatorDocumentReference/cbc:ID"),
        buyer_accounting_reference=r.text(root, "cbc:AccountingCost"),
        payment_terms="\n".join(
            filter(None, (r.text(n, ".") for n in r.findall(root, "cac:PaymentTerms/cbc:Note")))
        ) or None,
        notes=[_note(r.text(n, ".")) for n in r.findall(root, "cbc:Note") if r.text(n, ".")],
        business_process=r.text(root, "cbc:ProfileID"),
        specification_id=r.text(root, "cbc:CustomizationID") or "",
        preceding_invoices=[
            _preceding(e) for e in r.findall(root, "cac:BillingReference/cac:InvoiceDocumentReference")
        ],
        seller=_party(r.find(root, "cac:AccountingSupplierParty/cac:Party"), seller=True) or Party(),
        buyer=_party(r.find(root, "cac:AccountingCustomerParty/cac:Party")) or Party(),
        payee=_party(r.find(root, "cac:PayeeParty"), name_in_party_name=True),
        tax_representative=_party(r.find(root, "cac:TaxRepresentativeParty"), name_in_party_name=True),
        extra_parties=[
            ExtraParty(role, _party(agent))
            for role, agent in (
                (AGENT_ROLES["seller"], r.find(root, "cac:AccountingSupplierParty/cac:Party/cac:AgentParty")),
                (AGENT_ROLES["buyer"], r.find(root, "cac:AccountingCustomerParty/cac:Party/cac:AgentParty")),
            )
            if agent is not None
        ],
        delivery=_delivery(r.find(root, "cac:Delivery")),
        invoicing_period=_period(period),
        totals=_totals(root),
        vat_breakdown=[_vat(s) for s in r.findall(root, "cac:TaxTotal/cac:TaxSubtotal")],
        lines=[_line(e, quantity_tag) for e in r.findall(root, f"cac:{line_tag}")],
    )
    invoice.payment_instructions = _payment(root, invoice)
    for element in r.findall(root, "cac:AllowanceCharge"):
        item = _allowance_charge(element, document_level=True)
        (invoice.charges if item.is_charge else invoice.allowances).append(item)
    for element in r.findall(root, "cac:AdditionalDocumentReference"):
        _additional_reference(invoice, element)
    return invoice


def _purchase_order(root):
    """BT-13; "NA" is the placeholder UBL needs when only BT-14 is known."""
    value = r.text(root, "cac:OrderReference/cbc:ID")
    if value == NOT_APPLICABLE and r.text(root, "cac:OrderReference/cbc:SalesOrderID"):
        return None
    return value


def _first_date(element, path):
    return next(filter(None, (r.date(e, ".", "iso") for e in r.findall(element, path))), None)


def _note(text):
    match = SUBJECT_PREFIX.match(text)
    if match:
        return Note(text=match.group(2).strip(), subject_code=match.group(1))
    return Note(text=text)


def _preceding(element):
    return PrecedingInvoice(
        number=r.text(element, "cbc:ID") or "",
        issue_date=r.date(element, "cbc:IssueDate", "iso"),
        type_code=r.text(element, "cbc:DocumentTypeCode"),
    )


def _address(element):
    if element is None:
        return None
    return none_if_empty(Address(
        line1=r.text(element, "cbc:StreetName"),
        line2=r.text(element, "cbc:AdditionalStreetName"),
        line3=r.text(element, "cac:AddressLine/cbc:Line"),
        city=r.text(element, "cbc:CityName"),
        postcode=r.text(element, "cbc:PostalZone"),
        country_subdivision=r.text(element, "cbc:CountrySubentity"),
        country_code=r.text(element, "cac:Country/cbc:IdentificationCode"),
    ))


def _contact(element):
    if element is None:
        return None
    return none_if_empty(Contact(
        name=r.text(element, "cbc:Name"),
        phone=r.text(element, "cbc:Telephone"),
        email=r.text(element, "cbc:ElectronicMail"),
    ))


def _party(element, *, name_in_party_name=False, seller=False):
    """A party; only the seller has a tax registration other than VAT (BT-32)."""
    if element is None:
        return None
    vat_id = tax_id = None
    for scheme in r.findall(element, "cac:PartyTaxScheme"):
        if (r.text(scheme, "cac:TaxScheme/cbc:ID") or "").upper() == "VAT":
            vat_id = vat_id or r.text(scheme, "cbc:CompanyID")
        else:
            tax_id = tax_id or r.text(scheme, "cbc:CompanyID")
    party_name = r.text(element, "cac:PartyName/cbc:Name")
    return Party(
        name=party_name if name_in_party_name else r.text(element, "cac:PartyLegalEntity/cbc:RegistrationName"),
        trading_name=None if name_in_party_name else party_name,
        identifiers=[i for i in map(identifier, r.findall(element, "cac:PartyIdentification/cbc:ID")) if i],
        legal_registration=identifier(r.find(element, "cac:PartyLegalEntity/cbc:CompanyID")),
        vat_id=vat_id,
        tax_registration_id=tax_id if seller else None,
        legal_information=r.text(element, "cac:PartyLegalEntity/cbc:CompanyLegalForm"),
        electronic_address=identifier(r.find(element, "cbc:EndpointID")),
        address=_address(r.find(element, "cac:PostalAddress")),
        contact=_contact(r.find(element, "cac:Contact")),
    )


def _delivery(element):
    if element is None:
        return None
    return none_if_empty(Delivery(
        party_name=r.text(element, "cac:DeliveryParty/cac:PartyName/cbc:Name"),
        location_id=identifier(r.find(element, "cac:DeliveryLocation/cbc:ID")),
        date=r.date(element, "cbc:ActualDeliveryDate", "iso"),
        address=_address(r.find(element, "cac:DeliveryLocation/cac:Address")),
    ))


def _period(element):
    if element is None:
        return None
    start, end = r.date(element, "cbc:StartDate", "iso"), r.date(element, "cbc:EndDate", "iso")
    return none_if_empty(Period(start, end) if (start or end) else None)


def _payment(root, invoice):
    means = r.findall(root, "cac:PaymentMeans")
    if not means:
        return None
    first = means[0]
    transfers = []
    card = direct_debit = None
    for mean in means:
        for account in r.findall(mean, "cac:PayeeFinancialAccount"):
            transfers.append(CreditTransfer(
                account_id=r.text(account, "cbc:ID") or "",
                account_name=r.text(account, "cbc:Name"),
                service_provider_id=r.text(account, "cac:FinancialInstitutionBranch/cbc:ID"),
            ))
        card_element = r.find(mean, "cac:CardAccount")
        if card_element is not None and card is None:
            card = Card(
                r.text(card_element, "cbc:PrimaryAccountNumberID") or "",
                r.text(card_element, "cbc:HolderName"),
                r.text(card_element, "cbc:NetworkID"),
            )
        mandate = r.find(mean, "cac:PaymentMandate")
        if mandate is not None and direct_debit is None:
            direct_debit = DirectDebit(
                r.text(mandate, "cbc:ID"), None, r.text(mandate, "cac:PayerFinancialAccount/cbc:ID"),
            )
    if direct_debit is None and r.text(first, "cbc:PaymentMeansCode") == DIRECT_DEBIT_CODE:
        direct_debit = DirectDebit()
    if direct_debit is not None:
        direct_debit.creditor_id = _take_creditor_id(invoice)
        direct_debit = none_if_empty(direct_debit)
    return PaymentInstructions(
        means_code=r.text(first, "cbc:PaymentMeansCode"),
        means_text=r.attr(first, "cbc:PaymentMeansCode", "name"),
        remittance_information=r.text(first, "cbc:PaymentID"),
        credit_transfers=transfers,
        card=card,
        direct_debit=direct_debit,
    )


def _take_creditor_id(invoice):
    """BT-90 is carried as a SEPA-scheme identifier of the payee, else of the seller."""
    for party in filter(None, (invoice.payee, invoice.seller)):
        for ident in party.identifiers:
            if (ident.scheme or "").upper() == CREDITOR_SCHEME:
                party.identifiers.remove(ident)
                return ident.value
    return None


def _totals(root):
    monetary = r.find(root, "cac:LegalMonetaryTotal")
    currency = r.text(root, "cbc:DocumentCurrencyCode")
    totals = Totals(
        line_total=r.decimal(monetary, "cbc:LineExtensionAmount"),
        allowance_total=r.decimal(monetary, "cbc:AllowanceTotalAmount"),
        charge_total=r.decimal(monetary, "cbc:ChargeTotalAmount"),
        tax_exclusive=r.decimal(monetary, "cbc:TaxExclusiveAmount"),
        tax_inclusive=r.decimal(monetary, "cbc:TaxInclusiveAmount"),
        prepaid=r.decimal(monetary, "cbc:PrepaidAmount"),
        rounding=r.decimal(monetary, "cbc:PayableRoundingAmount"),
        payable=r.decimal(monetary, "cbc:PayableAmount"),
    )
    for amount in r.findall(root, "cac:TaxTotal/cbc:TaxAmount"):
        value = r.decimal(amount, ".")
        if (amount.get("currencyID") or "").strip() in ("", currency) and totals.tax_total is None:
            totals.tax_total = value
        else:
            totals.tax_total_accounting = value
    return totals


def _vat(element):
    category = r.find(element, "cac:TaxCategory")
    return VatBreakdown(
        taxable_amount=r.decimal(element, "cbc:TaxableAmount"),
        tax_amount=r.decimal(element, "cbc:TaxAmount"),
        category=r.text(category, "cbc:ID") or "",
        rate=r.decimal(category, "cbc:Percent"),
        exemption_reason=r.text(category, "cbc:TaxExemptionReason"),
        exemption_reason_code=r.exemption_code(category, "cbc:TaxExemptionReasonCode"),
    )


def _allowance_charge(element, document_level):
    indicator = r.bool(element, "cbc:ChargeIndicator")
    if indicator is None:
        raise UnreadableError(f"allowance or charge without a charge indicator (line {element.sourceline})")
    return AllowanceCharge(
        is_charge=indicator,
        amount=r.decimal(element, "cbc:Amount"),
        base_amount=r.decimal(element, "cbc:BaseAmount"),
        percentage=r.decimal(element, "cbc:MultiplierFactorNumeric"),
        vat_category=r.text(element, "cac:TaxCategory/cbc:ID") if document_level else None,
        vat_rate=r.decimal(element, "cac:TaxCategory/cbc:Percent") if document_level else None,
        reason=r.text(element, "cbc:AllowanceChargeReason"),
        reason_code=r.text(element, "cbc:AllowanceChargeReasonCode"),
    )


def _additional_reference(invoice, element):
    type_code = r.text(element, "cbc:DocumentTypeCode")
    reference_id = element.find("cbc:ID", NS)
    if type_code == OBJECT_TYPE:
        invoice.invoiced_object_identifier = identifier(reference_id) or Identifier("")
    elif type_code == PROJECT_TYPE and invoice.project_reference is None:
        invoice.project_reference = r.text(reference_id, ".")
    else:
        binary = r.find(element, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject")
        invoice.attachments.append(Attachment(
            id=r.text(reference_id, ".") or "",
            description=r.text(element, "cbc:DocumentDescription"),
            uri=r.text(element, "cac:Attachment/cac:ExternalReference/cbc:URI"),
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


def _line(element, quantity_tag):
    quantity = r.find(element, f"cbc:{quantity_tag}")
    item = r.find(element, "cac:Item")
    tax = r.find(item, "cac:ClassifiedTaxCategory")
    line = Line(
        id=r.text(element, "cbc:ID") or "",
        quantity=r.decimal(quantity, "."),
        unit_code=None if quantity is None else (quantity.get("unitCode") or "").strip() or None,
        net_amount=r.decimal(element, "cbc:LineExtensionAmount"),
        price=_price(r.find(element, "cac:Price")),
        item=_item(item),
        vat_category=r.text(tax, "cbc:ID"),
        vat_rate=r.decimal(tax, "cbc:Percent"),
        note="\n".join(filter(None, (r.text(n, ".") for n in r.findall(element, "cbc:Note")))) or None,
        order_line_reference=r.text(element, "cac:OrderLineReference/cbc:LineID"),
        accounting_reference=r.text(element, "cbc:AccountingCost"),
        period=_period(r.find(element, "cac:InvoicePeriod")),
    )
    for reference in r.findall(element, "cac:DocumentReference"):
        if r.text(reference, "cbc:DocumentTypeCode") == OBJECT_TYPE:
            line.object_identifier = identifier(r.find(reference, "cbc:ID"))
    for charge in r.findall(element, "cac:AllowanceCharge"):
        item_charge = _allowance_charge(charge, document_level=False)
        (line.charges if item_charge.is_charge else line.allowances).append(item_charge)
    return line


def _price(element):
    basis = r.find(element, "cbc:BaseQuantity")
    discount = gross = None
    for applied in r.findall(element, "cac:AllowanceCharge"):
        if r.bool(applied, "cbc:ChargeIndicator") is False:
            discount = r.decimal(applied, "cbc:Amount")
            gross = r.decimal(applied, "cbc:BaseAmount")
    return Price(
        net_price=r.decimal(element, "cbc:PriceAmount"),
        discount=discount,
        gross_price=gross,
        base_quantity=r.decimal(basis, "."),
        base_quantity_unit=None if basis is None else (basis.get("unitCode") or "").strip() or None,
    )


def _item(element):
    return Item(
        name=r.text(element, "cbc:Name") or "",
        description=r.text(element, "cbc:Description"),
        seller_id=r.text(element, "cac:SellersItemIdentification/cbc:ID"),
        buyer_id=r.text(element, "cac:BuyersItemIdentification/cbc:ID"),
        standard_id=identifier(r.find(element, "cac:StandardItemIdentification/cbc:ID")),
        classifications=[
            Identifier(r.text(code, ".") or "", code.get("listID"), code.get("listVersionID"))
            for code in r.findall(element, "cac:CommodityClassification/cbc:ItemClassificationCode")
        ],
        origin_country=r.text(element, "cac:OriginCountry/cbc:IdentificationCode"),
        attributes=[
            ItemAttribute(r.text(p, "cbc:Name") or "", r.text(p, "cbc:Value") or "")
            for p in r.findall(element, "cac:AdditionalItemProperty")
        ],
    )
