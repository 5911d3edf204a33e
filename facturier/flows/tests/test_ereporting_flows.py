"""E-reporting reports (FRR) sent to the Flow Service: checked against the flux 10 XSD and rules, kept and
acknowledged as flows, their type told from their content."""

import datetime
from decimal import Decimal

import pytest

from einvoice.ereporting import DailyTransactions, Party, Report, ReportedInvoice, VatAmount, write
from facturier.flows.models import Flow

pytestmark = pytest.mark.django_db(transaction=True)
D = Decimal
THEM = Party("US987654321", "0227", "Acme Inc.", "US987654321", "US")


def report(siren, *, rate="20", purchases=False):
    us = Party(siren, "0002", "Société Active", f"FR00{siren}", "FR")
    if purchases:
        content = {"invoices": (ReportedInvoice("US-1", datetime.date(2026, 3, 2), "380", "EUR", "B1", THEM, us,
                                                D("100"), D("0"), (VatAmount(D("0"), D("100"), D("0"), "AE"),)),)}
    else:
        content = {"daily_transactions": (DailyTransactions(datetime.date(2026, 3, 2), "TLB1",
                                                             (VatAmount(D(rate), D("100"), D(rate)),)),)}
    return write(Report(id="FRR-1", issued_at=datetime.datetime(2026, 3, 11, 8, 0), declarant=us,
                        sender=Party("0000", "0238", "Facturier"), declarant_role="BY" if purchases else "SE",
                        period_start=datetime.date(2026, 3, 1), period_end=datetime.date(2026, 3, 10), **content))


def info(**members):
    return {"name": "ereporting.xml", "flowSyntax": "FRR", **members}


def test_a_report_is_checked_kept_and_acknowledged(api, seller_world):
    erp = api(seller_world.active)
    flow = erp.create_flow(report(seller_world.active.siren), info(trackingId="FRR-A")).json()
    assert (flow["flowSyntax"], flow["flowType"], flow["acknowledgement"]) == (
        "FRR", "AggregatedCustomerTransactionReport", {"status": "Ok"})
    assert erp.get_flow(flow["flowId"]).json()["acknowledgement"]["status"] == "Ok"
    assert erp.get_flow(flow["flowId"], "Original").content == report(seller_world.active.siren)
    again = erp.create_flow(report(seller_world.active.siren), info(trackingId="FRR-A")).json()
    assert again["flowId"] == flow["flowId"] and Flow.objects.filter(syntax="FRR").count() == 1

    purchases = erp.create_flow(report(seller_world.active.siren, purchases=True), info()).json()
    assert (purchases["flowType"], purchases["acknowledgement"]["status"]) == (
        "UnitarySupplierTransactionReport", "Ok")


def test_a_report_that_breaks_a_rule_or_is_another_company_s_is_acknowledged_in_error(api, seller_world):
    erp = api(seller_world.active)
    wrong = erp.create_flow(report(seller_world.active.siren, rate="19"), info()).json()
    assert wrong["acknowledgement"]["status"] == "Error"
    assert {d["item"] for d in wrong["acknowledgement"]["details"]} == {"G1.24"}
    other = erp.create_flow(report(seller_world.foreign.siren), info()).json()
    assert other["acknowledgement"]["status"] == "Error"
    [detail] = other["acknowledgement"]["details"]
    assert detail["item"] == "TT-11" and seller_world.foreign.siren in detail["reasonMessage"]
