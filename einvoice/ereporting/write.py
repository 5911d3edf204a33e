"""Writing a flux 10 report as XML (root ``Report``, no namespace, as the schemas declare).

Elements come in the order of the XSD sequences; amounts are written with
two decimals, rates as the specification lists them (``20``, ``5.5``), dates as
AAAAMMJJ and the transmission time as AAAAMMJJHHMMSS (UTC).
"""

from decimal import Decimal

from lxml import etree

from einvoice.ereporting.model import EREPORTING_PROFILE

CENT = Decimal("0.01")


def write(report):
    """The report as XML bytes (UTF-8, with declaration)."""
    root = etree.Element("Report")
    _document(etree.SubElement(root, "ReportDocument"), report)
    if report.payments:
        _payments(etree.SubElement(root, "PaymentsReport"), report)
    else:
        _transactions(etree.SubElement(root, "TransactionsReport"), report)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _document(parent, report):
    _text(parent, "Id", report.id)
    if report.name:
        _text(parent, "Name", report.name)
    _text(etree.SubElement(parent, "IssueDateTime"), "DateTimeString", report.issued_at.strftime("%Y%m%d%H%M%S"))
    _text(parent, "TypeCode", report.type_code)
    for tag, party, role in (("Sender", report.sender, report.sender_role),
                             ("Issuer", report.declarant, report.declarant_role)):
        element = etree.SubElement(parent, tag)
        _text(element, "Id", party.id, schemeId=party.scheme)
        _text(element, "Name", party.name)
        _text(element, "RoleCode", role)


def _period(parent, report):
    period = etree.SubElement(parent, "ReportPeriod")
    _text(period, "StartDate", _date(report.period_start))
    _text(period, "EndDate", _date(report.period_end))


def _transactions(parent, report):
    _period(parent, report)
    for invoice in report.invoices:
        _invoice(etree.SubElement(parent, "Invoice"), invoice)
    for day in report.daily_transactions:
        _day(etree.SubElement(parent, "Transactions"), day)


def _invoice(element, invoice):
    _text(element, "ID", invoice.number)
    _text(element, "IssueDate", _date(invoice.issue_date))
    _text(element, "TypeCode", invoice.type_code)
    _text(element, "CurrencyCode", invoice.currency)
    if invoice.due_date:
        _text(element, "DueDate", _date(invoice.due_date))
    if invoice.tax_due_date_code:
        _text(element, "TaxDueDateTypeCode", invoice.tax_due_date_code)
    process = etree.SubElement(element, "BusinessProcess")
    _text(process, "ID", invoice.billing_frame)
    _text(process, "TypeID", EREPORTING_PROFILE)
    for number, issue_date in invoice.preceding:
        referenced = etree.SubElement(element, "ReferencedDocument")
        _text(referenced, "ID", number)
        if issue_date:
            _text(referenced, "IssueDate", _date(issue_date))
    _party(etree.SubElement(element, "Seller"), invoice.seller)
    _party(etree.SubElement(element, "Buyer"), invoice.buyer)
    totals = etree.SubElement(element, "MonetaryTotal")
    _text(totals, "TaxExclusiveAmount", _amount(invoice.total_excl_vat))
    # TT-52 is in euros (rule G6.23): an invoice in another currency gives its VAT total in euros (BT-111).
    if invoice.currency != "EUR" and invoice.total_vat_eur is not None:
        _text(totals, "TaxAmount", _amount(invoice.total_vat_eur), CurrencyCode="EUR")
    else:
        _text(totals, "TaxAmount", _amount(invoice.total_vat), CurrencyCode=invoice.currency)
    for row in invoice.vat:
        subtotal = etree.SubElement(element, "TaxSubTotal")
        _text(subtotal, "TaxableAmount", _amount(row.taxable_amount))
        _text(subtotal, "TaxAmount", _amount(row.tax_amount))
        category = etree.SubElement(subtotal, "TaxCategory")
        _text(category, "Code", row.category)
        _text(category, "Percent", _rate(row.rate))
        if row.exemption_reason:
            _text(category, "TaxExemptionReason", row.exemption_reason)
        if row.exemption_reason_code:
            _text(category, "TaxExemptionReasonCode", row.exemption_reason_code)


def _party(element, party):
    _text(element, "CompanyId", party.id, schemeId=party.scheme)
    if party.vat_id:
        _text(element, "TaxRegistrationId", party.vat_id, qualifyingId="VAT")
    if party.country:
        _text(etree.SubElement(element, "PostalAddress"), "CountryId", party.country)


def _day(element, day):
    _text(element, "Date", _date(day.date))
    _text(element, "TransactionsCurrency", day.currency)
    if day.tax_due_date_code:
        _text(element, "TaxDueDateTypeCode", day.tax_due_date_code)
    _text(element, "CategoryCode", day.category)
    _text(element, "TaxExclusiveAmount", _amount(day.total_excl_vat))
    _text(element, "TaxTotal", _amount(day.total_vat))
    if day.count is not None:
        _text(element, "TransactionsCount", str(day.count))
    for row in day.vat:
        subtotal = etree.SubElement(element, "TaxSubtotal")
        _text(subtotal, "TaxPercent", _rate(row.rate))
        _text(subtotal, "TaxableAmount", _amount(row.taxable_amount))
        _text(subtotal, "TaxTotal", _amount(row.tax_amount))


def _payments(parent, report):
    _period(parent, report)
    for payment in report.invoice_payments:
        element = etree.SubElement(parent, "Invoice")
        _text(element, "InvoiceID", payment.invoice_number)
        _text(element, "IssueDate", _date(payment.invoice_date))
        _payment(etree.SubElement(element, "Payment"), payment)
    for payment in report.daily_payments:
        _payment(etree.SubElement(etree.SubElement(parent, "Transactions"), "Payment"), payment)


def _payment(element, payment):
    _text(element, "Date", _date(payment.date))
    for rate, amount in payment.amounts:
        subtotals = etree.SubElement(element, "SubTotals")
        _text(subtotals, "TaxPercent", _rate(rate))
        _text(subtotals, "CurrencyCode", "EUR")
        _text(subtotals, "Amount", _amount(amount))


def _text(parent, tag, value, **attributes):
    element = etree.SubElement(parent, tag, attributes)
    element.text = value
    return element


def _date(value):
    return value.strftime("%Y%m%d")


def _amount(value):
    return str(Decimal(value).quantize(CENT))


def _rate(value):
    """A VAT rate as the rules list them: 20, 5.5, 2.1 (no trailing zeros)."""
    text = format(Decimal(value).normalize(), "f")
    return text
