"""compute_totals() follows the EN 16931 calculation rules (BR-CO-10..17)."""

import datetime
from decimal import Decimal as D

from hypothesis import given

from einvoice.model import AllowanceCharge, Invoice, Item, Line, Price, VatBreakdown, round_amount
from einvoice.tests import strategies


def line(id, quantity, price, category="S", rate="20", **kwargs):
    return Line(
        id=id, quantity=D(quantity), unit_code="C62", net_amount=D(0), price=Price(D(price), **kwargs),
        item=Item(name=f"item {id}"), vat_category=category, vat_rate=None if rate is None else D(rate),
    )


def invoice(*lines, **kwargs):
    return Invoice(number="F1", issue_date=datetime.date(2026, 1, 1), lines=list(lines), **kwargs)


def test_line_net_amount_uses_base_quantity_and_line_allowances_charges():
    item = line("1", "3", "10", base_quantity=D(2))
    item.allowances.append(AllowanceCharge(False, D("1.10")))
    item.charges.append(AllowanceCharge(True, D("0.005")))
    assert item.compute_net_amount() == D("13.91")  # 15 - 1.10 + 0.005, half up


def test_totals_and_vat_breakdown_by_category_and_rate():
    inv = invoice(line("1", "2", "100.00"), line("2", "1", "50", rate="5.5"), line("3", "1", "10", "E", "0"))
    inv.allowances.append(AllowanceCharge(False, D(20), vat_category="S", vat_rate=D(20)))
    inv.charges.append(AllowanceCharge(True, D(5), vat_category="S", vat_rate=D("20.00")))
    inv.totals.prepaid = D(10)
    inv.compute_totals(exemption_reasons={"E": ("Exonération", "VATEX-FR-298SEXDECIES")})
    totals = inv.totals
    assert (totals.line_total, totals.allowance_total, totals.charge_total) == (D(260), D(20), D(5))
    assert totals.tax_exclusive == D(245)
    by_key = {(v.category, v.rate): v for v in inv.vat_breakdown}
    assert by_key[("S", D(20))].taxable_amount == D("185.00")
    assert by_key[("S", D(20))].tax_amount == D("37.00")
    assert by_key[("S", D("5.5"))].tax_amount == D("2.75")
    assert by_key[("E", D(0))].exemption_reason_code == "VATEX-FR-298SEXDECIES"
    assert len(inv.vat_breakdown) == 3
    assert totals.tax_total == D("39.75")
    assert totals.tax_inclusive == D("284.75")
    assert totals.payable == D("274.75")


def test_vat_is_rounded_per_group_not_per_line():
    inv = invoice(*(line(str(i), "1", "0.33", rate="20") for i in range(3)))
    inv.compute_totals()
    assert inv.vat_breakdown[0].tax_amount == D("0.20")  # 0.99 * 20 % = 0.198


def test_existing_exemption_reason_is_kept():
    inv = invoice(line("1", "1", "10", "AE", "0"))
    inv.vat_breakdown.append(VatBreakdown(D(0), D(0), "AE", D("0.00"), "Autoliquidation", "VATEX-EU-AE"))
    inv.compute_totals()
    assert inv.vat_breakdown[0].exemption_reason == "Autoliquidation"
    assert inv.totals.allowance_total is None and inv.totals.tax_total == D(0)


def test_credit_note_type_codes():
    assert invoice(type_code="381").is_credit_note
    assert not invoice().is_credit_note


@strategies.INVOICE_SETTINGS
@given(strategies.invoices())
def test_computed_totals_satisfy_the_en16931_calculation_rules(invoice):
    totals, zero = invoice.totals, D(0)
    assert totals.line_total == sum(line.net_amount for line in invoice.lines)  # BR-CO-10
    assert totals.allowance_total == (sum(a.amount for a in invoice.allowances) if invoice.allowances else None)
    assert totals.charge_total == (sum(c.amount for c in invoice.charges) if invoice.charges else None)
    assert totals.tax_exclusive == (totals.line_total - (totals.allowance_total or zero)
                                    + (totals.charge_total or zero))  # BR-CO-13
    assert totals.tax_total == sum(vat.tax_amount for vat in invoice.vat_breakdown)  # BR-CO-14
    assert totals.tax_inclusive == totals.tax_exclusive + totals.tax_total  # BR-CO-15
    assert totals.payable == totals.tax_inclusive - (totals.prepaid or zero) + (totals.rounding or zero)  # BR-CO-16
    assert sum(vat.taxable_amount for vat in invoice.vat_breakdown) == totals.tax_exclusive
    keys = [(vat.category, vat.rate.normalize()) for vat in invoice.vat_breakdown]
    assert len(keys) == len(set(keys))  # one breakdown per category and rate
    for vat in invoice.vat_breakdown:
        assert vat.tax_amount == round_amount(vat.taxable_amount * vat.rate / 100)  # BR-CO-17
    for line in invoice.lines:
        assert line.net_amount == line.net_amount.quantize(D("0.01"))


def test_french_identifiers_of_a_party():
    from einvoice.model import Identifier, Party

    party = Party(
        legal_registration=Identifier("100000009", "0002"),
        identifiers=[Identifier("X1"), Identifier("10000000900017", "0009"), Identifier("CDROUT1", "0224")],
    )
    assert (party.siren, party.siret, party.routing_code) == ("100000009", "10000000900017", "CDROUT1")
    assert Party(legal_registration=Identifier("HRB 1234", "0204")).siren is None
    assert Party().siret is None
