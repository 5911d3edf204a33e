"""Engine findings placed on the issuing form: by location (CII and UBL XPaths), by rule, else at the top."""

from einvoice.validate.report import Issue, Report
from facturier.invoices.issuing.errors import TOP, place_errors

CII = "/rsm:CrossIndustryInvoice[1]/rsm:SupplyChainTradeTransaction[1]"
DRAFT = {
    "lines": [{"vat": "S:20"}, {"vat": "E:0"}],
    "adjustments": [{"kind": "charge"}, {"kind": "allowance"}],
}


def placed(rule, location, message="problème"):
    report = Report.from_issues("CII", "EN16931", "fr", [Issue(rule, "fatal", message, location)])
    return place_errors(report, DRAFT)


def test_line_terms_go_to_their_line_and_field():
    assert set(placed("BR-27", f"{CII}/ram:IncludedSupplyChainTradeLineItem[2]/ram:SpecifiedLineTradeAgreement[1]"
                              "/ram:NetPriceProductTradePrice[1]/ram:ChargeAmount[1]")) == {"lines-1-unit_price"}
    assert set(placed("BR-22", "/ubl:Invoice[1]/cac:InvoiceLine[1]/cbc:InvoicedQuantity[1]")) == {"lines-0-quantity"}
    assert set(placed("BR-CO-04", "/ubl:CreditNote[1]/cac:CreditNoteLine[2]/cac:Item[1]/cac:ClassifiedTaxCategory[1]"
                      )) == {"lines-1-vat"}


def test_document_allowances_and_charges_follow_the_order_the_engine_writes_them():
    # The engine writes allowances before charges: its first is the form's second row.
    assert set(placed("BR-33", f"{CII}/ram:ApplicableHeaderTradeSettlement[1]/ram:SpecifiedTradeAllowanceCharge[1]"
                               "/ram:Reason[1]")) == {"adjustments-1-reason"}
    assert set(placed("BR-36", "/ubl:Invoice[1]/cac:AllowanceCharge[2]/cbc:Amount[1]")) == {"adjustments-0-amount"}


def test_rules_about_a_category_go_to_its_first_line():
    assert set(placed("BR-E-10", f"{CII}/ram:ApplicableHeaderTradeSettlement[1]/ram:ApplicableTradeTax[2]")) == {
        "lines-1-exemption_reason"}


def test_header_terms_and_the_rest():
    assert set(placed("BR-CO-25", "/ubl:Invoice[1]")) == {"due_date"}
    billing_frame = ("/rsm:CrossIndustryInvoice[1]/rsm:ExchangedDocumentContext[1]"
                     "/ram:BusinessProcessSpecifiedDocumentContextParameter[1]")
    assert set(placed("BR-FR-08_BT-23", billing_frame)) == {"billing_frame"}
    assert set(placed("BR-10", f"{CII}/ram:ApplicableHeaderTradeAgreement[1]/ram:BuyerTradeParty[1]")) == {"customer"}
    assert set(placed("BR-06", f"{CII}/ram:ApplicableHeaderTradeAgreement[1]/ram:SellerTradeParty[1]")) == {TOP}


def test_the_plain_message_says_where_to_fix_and_keeps_the_rule_and_technical_text_apart():
    [finding] = placed("BR-IC-11", "/ubl:Invoice[1]", "[BR-IC-11]-Actual delivery date")["delivery_date"]
    assert finding.rule == "BR-IC-11" and "livraison intracommunautaire" in finding.message
    assert "formulaire de facture" in finding.fix
    assert [detail.text for detail in finding.details] == ["Actual delivery date"]  # the id is not repeated


def test_a_rule_fired_on_several_nodes_of_one_place_is_one_finding_with_a_count():
    issues = [Issue("CII-SR-470", "fatal", "[CII-SR-470]-Either the IBAN", f"/x[{n}]") for n in (1, 2, 3)]
    report = Report.from_issues("CII", "EN16931", "fr", issues)
    [finding] = place_errors(report, DRAFT)[TOP]
    assert finding.count == 3 and len(finding.details) == 3
    assert "Paramètres › Société" in finding.fix
