"""Flux 10 reports written by the engine pass the official XSD and rules; the pruned rules find what the
unmodified stylesheet finds."""

import datetime
import sys
from decimal import Decimal

from lxml import etree

from einvoice.ereporting import (
    DailyPayment,
    DailyTransactions,
    InvoicePayment,
    Party,
    Report,
    ReportedInvoice,
    VatAmount,
    validate,
    write,
)
from einvoice.validate import schematron

D = Decimal
rules = sys.modules["einvoice.ereporting.validate"]
US = Party("356000000", "0002", "Société Active", "FR12356000000", "FR")
THEM = Party("DE123456789", "0223", "Müller GmbH", "DE123456789", "DE")


def report(**content):
    return Report(id="FRR-356000000-101S-20260301-R0", issued_at=datetime.datetime(2026, 3, 11, 8, 0),
                  sender=Party("0000", "0238", "Facturier"), declarant=US, declarant_role="SE",
                  period_start=datetime.date(2026, 3, 1), period_end=datetime.date(2026, 3, 10), **content)


def invoice(number="F-1", rate="0", category="K", frame="B1"):
    return ReportedInvoice(number, datetime.date(2026, 3, 2), "380", "EUR", frame, US, THEM, D("100"), D("0"),
                           (VatAmount(D(rate), D("100"), D("0"), category, "Livraison intracommunautaire",
                                      "VATEX-EU-IC"),))


def test_every_kind_of_report_is_valid():
    day = DailyTransactions(datetime.date(2026, 3, 2), "TLB1",
                            (VatAmount(D("20"), D("100"), D("20")), VatAmount(D("5.5"), D("10"), D("0.55"))), 3)
    assert validate(write(report(invoices=(invoice(),), daily_transactions=(day,)))).valid
    payment = InvoicePayment("F-1", datetime.date(2026, 2, 2), datetime.date(2026, 3, 3), ((D("20"), D("120")),))
    daily = DailyPayment(datetime.date(2026, 3, 3), ((D("20"), D("60")), (D("10"), D("11"))))
    written = write(report(invoice_payments=(payment,), daily_payments=(daily,), payments=True))
    assert etree.fromstring(written).find("TransactionsReport") is None
    assert validate(written).valid


def test_a_wrong_report_is_refused_with_the_rule_that_catches_it():
    wrong = write(report(invoices=(invoice(frame="X9"), invoice("F 2  bis", rate="19"))))
    verdict = validate(wrong)
    assert {(issue.rule, issue.location) for issue in verdict.errors} == {
        ("G1.02", "/Report[1]/TransactionsReport[1]/Invoice[1]/BusinessProcess[1]/ID[1]"),
        ("G1.05", "/Report[1]/TransactionsReport[1]/Invoice[2]/ID[1]"),
        ("G1.24", "/Report[1]/TransactionsReport[1]/Invoice[2]/TaxSubTotal[1]/TaxCategory[1]/Percent[1]"),
    }
    assert all("Source" not in issue.message for issue in verdict.errors)


def test_schema_errors_are_reported_too():
    broken = write(report(invoices=(invoice(),))).replace(b"<TypeCode>380</TypeCode>", b"")
    assert "xsd" in {issue.rule for issue in validate(broken).errors}


def test_pruned_rules_find_what_the_unmodified_stylesheet_finds():
    """Every kind of content, with errors of many rules, through both stylesheets."""
    bad_day = DailyTransactions(datetime.date(1999, 3, 2), "XXX1", (VatAmount(D("19"), D("1.234"), D("20")),))
    content = write(report(invoices=(invoice(frame="X9"), invoice("F 2  bis", rate="19"), invoice()),
                           daily_transactions=(bad_day,))).replace(b"<TypeCode>IN</TypeCode>",
                                                                    b"<TypeCode>XX</TypeCode>")
    payments = write(report(invoice_payments=(InvoicePayment("F 1  x", datetime.date(1999, 1, 1),
                                                             datetime.date(2026, 3, 3), ((D("19"), D("1.234")),)),),
                            daily_payments=(DailyPayment(datetime.date(2026, 3, 3), ((D("7.7"), D("1")),)),),
                            payments=True))
    for data in (content, payments):
        node = schematron.processor().parse_xml(xml_text=data.decode())
        unmodified = [(issue.message, issue.location) for issue in schematron.run(rules.RULES, node, "flux10")]
        pruned = [(issue.message, issue.location) for issue in schematron.issues(
            rules._compiled_rules().transform_to_string(xdm_node=node).encode(), "flux10")]
        assert len(unmodified) >= 4
        assert pruned == unmodified


def test_an_invoice_in_another_currency_declares_its_vat_in_euros():
    from dataclasses import replace

    dollars = replace(invoice(rate="20", category="S"), currency="USD", total_vat=D("20"))
    assert "G6.23" in {issue.rule for issue in validate(write(report(invoices=(dollars,)))).errors}
    in_euros = replace(dollars, total_vat_eur=D("18.40"))
    written = write(report(invoices=(in_euros,)))
    assert etree.fromstring(written).find("TransactionsReport/Invoice/MonetaryTotal/TaxAmount").get(
        "CurrencyCode") == "EUR"
    assert "G6.23" not in {issue.rule for issue in validate(written).errors}


def test_a_report_checked_part_by_part_finds_what_it_finds_whole():
    """Errors in the header, in items of several parts, in the schema and in the rules: the same findings."""
    from einvoice.ereporting.validate import validate_part
    from einvoice.ereporting.write import closing, item, opening

    invoices = [invoice(f"F-{n}") for n in range(7)]
    invoices[1] = invoice("F 1  bis", rate="19")  # G1.05 and G1.24
    invoices[4] = invoice(frame="X9")  # G1.02
    invoices[6] = invoice("F-6", rate="19")
    whole_report = report(invoices=tuple(invoices), type_code="XX")  # a type of transmission that does not exist
    head, tail = opening(whole_report), closing(whole_report)
    fragments = [item(each) for each in invoices]
    fragments[5] = fragments[5].replace(b"<TypeCode>380</TypeCode>", b"")  # the schema requires it
    whole = validate(head + b"".join(fragments) + tail)
    parts = []
    for first in range(0, len(fragments), 3):
        parts += validate_part(head, fragments[first:first + 3], tail, first=first).errors

    def findings(issues):
        return sorted((issue.rule, rules.item_index(issue.location)) for issue in issues)

    assert findings(parts) == findings(whole.errors)
    assert {("G1.24", 1), ("G1.24", 6), ("G1.02", 4), ("G8.01", None), ("xsd", 5)} <= set(findings(parts))


def test_text_is_escaped_and_characters_xml_forbids_are_left_out():
    them = Party("DE1", "0223", 'Fish & "Chips" <Ltd>\x0b', "DE1", "DE")
    written = write(report(invoices=(ReportedInvoice("F&1", datetime.date(2026, 3, 2), "380", "EUR", "B1", US, them,
                                                     D("1"), D("0"), ()),)))
    root = etree.fromstring(written)
    assert root.findtext("TransactionsReport/Invoice/ID") == "F&1"
    assert written.count(b"&amp;") == 1  # the buyer's name is not written in 10.1, its identifier is
