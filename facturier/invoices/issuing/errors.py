"""Where on the issuing form each engine finding belongs.

The engine reports a rule id and the XPath of the node it fired on; the form
knows lines, allowances/charges and header fields. A finding is placed next
to the field that caused it when its rule or location says which; anything
else is shown at the top of the form, never dropped.
"""

import re

from facturier.invoices import findings

TOP = "__all__"
CUSTOMER = "customer"

# Rules whose location is the VAT breakdown or the document root, but whose cause is a field.
RULE_FIELDS = {
    "BR-IC-11": "delivery_date",
    "BR-IC-12": "delivery_address",
    "BR-CO-25": "due_date",
    "BR-IC-02": CUSTOMER, "BR-IC-03": CUSTOMER, "BR-IC-04": CUSTOMER,
    "BR-AE-02": CUSTOMER, "BR-AE-03": CUSTOMER, "BR-AE-04": CUSTOMER,
}
# Category rules (BR-E-10 exemption reason, ...) belong to the first line of that category.
CATEGORY_RULES = {"BR-E-": "E", "BR-AE-": "AE", "BR-IC-": "K", "BR-G-": "G", "BR-O-": "O", "BR-Z-": "Z", "BR-S-": "S"}

LINE = re.compile(r"(?:IncludedSupplyChainTradeLineItem|InvoiceLine|CreditNoteLine)\[(\d+)\]")
ADJUSTMENT = re.compile(r"(?:ApplicableHeaderTradeSettlement\[1\]/ram:SpecifiedTradeAllowanceCharge"
                        r"|(?:Invoice|CreditNote)\[1\]/cac:AllowanceCharge)\[(\d+)\]")
LINE_FIELDS = [
    (("BilledQuantity", "InvoicedQuantity", "CreditedQuantity"), "quantity"),
    (("NetPriceProductTradePrice", "GrossPriceProductTradePrice", "cac:Price"), "unit_price"),
    (("ApplicableTradeTax", "ClassifiedTaxCategory"), "vat"),
]
ADJUSTMENT_FIELDS = [(("ActualAmount", "cbc:Amount"), "amount"), (("CategoryTradeTax", "TaxCategory"), "vat"),
                     (("Reason",), "reason")]
HEADER_FIELDS = [
    (("BuyerTradeParty", "AccountingCustomerParty"), CUSTOMER),
    (("ShipToTradeParty", "cac:DeliveryLocation", "DeliveryAddress"), "delivery_address"),
    (("ActualDeliverySupplyChainEvent", "ActualDeliveryDate"), "delivery_date"),
    (("DueDateDateTime", "cbc:DueDate", "SpecifiedTradePaymentTerms", "cac:PaymentTerms"), "due_date"),
    (("BusinessProcessSpecifiedDocumentContextParameter", "cbc:ProfileID"), "billing_frame"),
    (("IncludedNote", "cbc:Note"), "note_pmt"),
    (("SpecifiedTradeSettlementPaymentMeans", "cac:PaymentMeans"), "payment_means"),
    (("BuyerReference",), "buyer_reference"),
    (("BuyerOrderReferencedDocument", "cac:OrderReference"), "purchase_order_reference"),
]


def place_errors(report, draft):
    """``{key: [finding, ...]}`` where key is a header field, ``customer``, ``lines-<i>-<field>``,
    ``adjustments-<i>-<field>`` or ``__all__``; a rule fired several times at one place is one finding."""
    issues = {}
    for issue in report.errors:
        issues.setdefault(_key(issue.rule, issue.location or "", draft), []).append(issue)
    return {key: findings.grouped(found, with_fix=True) for key, found in issues.items()}


def _key(rule, location, draft):
    match = LINE.search(location)
    if match:
        return f"lines-{int(match.group(1)) - 1}-{_field(location, LINE_FIELDS, 'description')}"
    match = ADJUSTMENT.search(location)
    if match:
        index = _adjustment_index(draft, int(match.group(1)) - 1)
        if index is not None:
            return f"adjustments-{index}-{_field(location, ADJUSTMENT_FIELDS, 'amount')}"
    if rule in RULE_FIELDS:
        return RULE_FIELDS[rule]
    for prefix, category in CATEGORY_RULES.items():
        if rule.startswith(prefix):
            line = _first_line_of(draft, category)
            if line is not None:
                return f"lines-{line}-{'exemption_reason' if rule == 'BR-E-10' else 'vat'}"
    return _field(location, HEADER_FIELDS, TOP)


def _field(location, table, default):
    for markers, field in table:
        if any(marker in location for marker in markers):
            return field
    return default


def _adjustment_index(draft, position):
    """The engine writes allowances first, then charges; the form keeps them as typed."""
    adjustments = draft.get("adjustments", [])
    order = [i for i, a in enumerate(adjustments) if a.get("kind") != "charge"]
    order += [i for i, a in enumerate(adjustments) if a.get("kind") == "charge"]
    return order[position] if 0 <= position < len(order) else None


def _first_line_of(draft, category):
    for index, line in enumerate(draft.get("lines", [])):
        if (line.get("vat") or "S:20").partition(":")[0] == category:
            return index
    return None
