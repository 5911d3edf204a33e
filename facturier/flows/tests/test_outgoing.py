"""Out flows taken in as the pages take invoices and statuses; In flows for what reaches the dossier."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from facturier.archive.store import open_content, records_for
from facturier.exchange.tests.support import committed
from facturier.flows.models import Flow
from facturier.flows.outgoing import FlowInfo, Sender, TrackingIdReused, submit
from facturier.flows.tests.samples import invalid_invoice, sales_invoice, status_message
from facturier.invoices.models import Direction, Invoice, InvoiceState
from facturier.ledger import booking
from facturier.ledger.models import Entry

ERP = Sender(id="erp-1", may_issue_sales=True, may_set_sales_statuses=True,
             may_set_purchase_statuses=True)


def info(name="facture.xml", syntax="CII", **options):
    return FlowInfo(name=name, syntax=syntax, **options)


def sent(dossier, data, *, sender=ERP, **options):
    with committed():
        flow, created = submit(dossier, info(**options), data, sender=sender)
    return flow, created


@pytest.mark.parametrize("syntax", ["CII", "UBL", "Factur-X"])
def test_an_out_invoice_is_issued_as_a_sales_invoice_and_delivered(seller_world, syntax):
    seller, buyer = seller_world.active, seller_world.foreign
    data = sales_invoice(seller, buyer.siren, syntax=syntax)
    flow, created = sent(seller, data, syntax="CII")  # the declared syntax does not matter: the file says
    assert created and flow.ack_status == "Ok" and flow.ack_details == []
    assert (flow.direction, flow.syntax, flow.flow_type, flow.processing_rule) == ("Out", syntax, "CustomerInvoice",
                                                                                 "B2B")
    invoice = flow.invoice
    invoice.refresh_from_db()
    assert (invoice.direction, invoice.state, invoice.number) == (Direction.SALES, InvoiceState.ISSUED, "API-2026-001")
    assert open_content(flow.original) == data and invoice.original == flow.original
    assert [event.status for event in invoice.events.all()] == [200, 202, 203], "the buyer's platform answered"
    assert invoice.delivery_state == "delivered"
    news = Flow.objects.filter(dossier=seller, direction="In")
    assert [(f.flow_type, f.event.status) for f in news] == [("CustomerInvoiceLC", 202), ("CustomerInvoiceLC", 203)]
    received = Invoice.objects.get(dossier=buyer, direction=Direction.PURCHASE)
    in_flow = Flow.objects.get(dossier=buyer)
    assert (in_flow.direction, in_flow.flow_type, in_flow.ack_status, in_flow.invoice) == (
        "In", "SupplierInvoice", "Ok", received)


def test_an_out_invoice_is_booked_from_the_file_read_as_its_archived_original_books_it(seller_world, monkeypatch):
    seller = seller_world.active
    archive_readings = []
    read_archive = booking._document
    monkeypatch.setattr(booking, "_document", lambda invoice: archive_readings.append(invoice) or read_archive(invoice))
    flow, _ = sent(seller, sales_invoice(seller, seller_world.foreign.siren, syntax="Factur-X"))
    entry = Entry.objects.get(invoice=flow.invoice)
    assert archive_readings == [], "booked from the reading the flow was checked with, not a second one"
    lines = [(line.account, line.debit, line.credit) for line in entry.lines.order_by("position")]
    assert len(lines) >= 3 and sum(line[1] for line in lines) == sum(line[2] for line in lines)
    invoice = Invoice.objects.select_related("dossier", "third_party", "original").get(pk=flow.invoice_id)
    remade = booking.book(invoice)
    assert len(archive_readings) == 1
    assert [(line.account, line.debit, line.credit) for line in remade.lines.order_by("position")] == lines


def test_an_out_invoice_holds_the_dossier_archive_only_for_its_last_writes(seller_world):
    """The chain head stays locked until the commit: every read, check and file write comes before it."""
    seller, buyer_siren = seller_world.active, seller_world.foreign.siren
    sent(seller, sales_invoice(seller, buyer_siren, number="API-2026-000"))  # the dossier's chains now exist
    data = sales_invoice(seller, buyer_siren, syntax="Factur-X")
    with CaptureQueriesContext(connection) as queries:
        flow, _ = sent(seller, data)

    statements = [query["sql"] for query in queries.captured_queries]
    locked = next(n for n, sql in enumerate(statements) if "archive_archivechainhead" in sql)
    flow_written = next(n for n, sql in enumerate(statements) if sql.startswith('INSERT INTO "flows_flow"'))
    held = statements[locked:flow_written + 1]
    # The chain (records, head), the 200 event and the invoice, the audit trail (head, event), the flow.
    assert len(held) <= 13, "\n".join(held)
    assert not [sql for sql in held if sql.startswith("SELECT") and "FOR UPDATE" not in sql
                and not any(head in sql for head in ("chainhead", "flowsequence"))]
    original, message = records_for(flow.invoice)[:2]  # then the statuses its delivery brought
    assert (original.kind, message.kind, message.sequence) == ("original_issued", "lifecycle", original.sequence + 1)


def test_an_invoice_breaking_french_rules_is_an_error_flow_naming_them(seller_world):
    seller = seller_world.active
    data = invalid_invoice(seller, seller_world.foreign.siren)
    flow, created = sent(seller, data)
    assert created and flow.ack_status == "Error" and flow.invoice is None
    assert {d["item"] for d in flow.ack_details} == {"BR-FR-08_BT-23", "BR-FR-12_BT-49"}
    assert all(d["level"] == "Error" and d["reasonMessage"] for d in flow.ack_details)
    assert {d["reasonCode"] for d in flow.ack_details} == {"BUSINESS_RULE_ERROR"}
    assert open_content(flow.original) == data, "what was sent stays retrievable"
    assert not Invoice.objects.filter(dossier=seller).exists()


def test_the_same_invoice_twice_is_refused_as_a_duplicate(seller_world):
    seller = seller_world.active
    data = sales_invoice(seller, seller_world.foreign.siren)
    sent(seller, data)
    again, created = sent(seller, data, name="again.xml")
    assert created and again.ack_status == "Error"
    assert again.ack_details[0]["reasonCode"] == "ALREADY_EXISTING_FLOW"
    assert "DOUBLON" in again.ack_details[0]["reasonMessage"]
    assert Invoice.objects.filter(dossier=seller).count() == 1


def test_a_retry_with_the_same_tracking_id_answers_the_first_flow(seller_world):
    seller = seller_world.active
    data = sales_invoice(seller, seller_world.foreign.siren)
    first, created = sent(seller, data, tracking_id="T-1")
    again, created_again = sent(seller, data, tracking_id="T-1")
    assert created and not created_again and again.pk == first.pk
    assert Flow.objects.filter(dossier=seller, direction="Out").count() == 1
    assert Invoice.objects.filter(dossier=seller).count() == 1
    with pytest.raises(TrackingIdReused):
        sent(seller, sales_invoice(seller, seller_world.foreign.siren, number="OTHER"), tracking_id="T-1")
    other_sender = Sender(id="erp-2", may_issue_sales=True, may_set_sales_statuses=False,
                          may_set_purchase_statuses=False)
    theirs, created = sent(seller, sales_invoice(seller, seller_world.foreign.siren, number="B-1"),
                           tracking_id="T-1", sender=other_sender)
    assert created and theirs.ack_status == "Ok", "a trackingId is the sender's own"


def test_an_invoice_of_another_seller_is_refused(seller_world):
    flow, _ = sent(seller_world.active, sales_invoice(seller_world.foreign, seller_world.active.siren))
    assert flow.ack_status == "Error" and flow.ack_details[0]["item"] == "BT-30"


def test_sending_invoices_needs_the_right(seller_world):
    reader = Sender(id="r", may_issue_sales=False, may_set_sales_statuses=False,
                    may_set_purchase_statuses=True)
    with pytest.raises(PermissionDenied):
        sent(seller_world.active, sales_invoice(seller_world.active, seller_world.foreign.siren), sender=reader)
    assert not Flow.objects.exists()


def test_a_buyer_status_through_the_api_reaches_the_seller_as_an_in_flow(seller_world):
    seller, buyer = seller_world.active, seller_world.foreign
    data = sales_invoice(seller, buyer.siren)
    sent(seller, data)
    flow, _ = sent(buyer, status_message(data, 205), syntax="CDAR", name="approve.xml")
    assert flow.ack_status == "Ok", flow.ack_details
    assert (flow.syntax, flow.flow_type, flow.event.status) == ("CDAR", "SupplierInvoiceLC", 205)
    assert flow.invoice.dossier == buyer and flow.invoice.lifecycle_status == 205
    sales = Invoice.objects.get(dossier=seller)
    assert sales.lifecycle_status == 205
    news = Flow.objects.filter(dossier=seller, direction="In").last()
    assert (news.syntax, news.flow_type, news.event.status, news.invoice) == ("CDAR", "CustomerInvoiceLC", 205, sales)


def test_statuses_follow_the_rules_of_the_invoice_page(seller_world):
    seller, buyer = seller_world.active, seller_world.foreign
    data = sales_invoice(seller, buyer.siren)
    sent(seller, data)
    sent(buyer, status_message(data, 210, reason_code="TX_TVA_ERR"), syntax="CDAR")
    flow, _ = sent(buyer, status_message(data, 205), syntax="CDAR")
    assert flow.ack_status == "Error" and flow.ack_details[0]["reasonCode"] == "INVOICE_LC_STATUS_ERROR"
    assert flow.ack_details[0]["item"] == "205"
    missing_reason = status_message(data, 207, reason_code="TX_TVA_ERR").replace(b"TX_TVA_ERR", b"")
    flow, _ = sent(buyer, missing_reason, syntax="CDAR")
    assert flow.ack_status == "Error" and flow.ack_details[0]["item"].startswith("BR-FR-CDV")


def test_a_status_needs_the_right_for_its_side(seller_world):
    seller, buyer = seller_world.active, seller_world.foreign
    data = sales_invoice(seller, buyer.siren)
    sent(seller, data)
    seller_only = Sender(id="s", may_issue_sales=True, may_set_sales_statuses=True,
                         may_set_purchase_statuses=False)
    flow, _ = sent(buyer, status_message(data, 205), syntax="CDAR", sender=seller_only)
    assert flow.ack_status == "Error" and flow.ack_details[0]["reasonCode"] == "INVOICE_LC_ACCESS_DENIED"
    assert Invoice.objects.get(dossier=buyer).lifecycle_status == 203


def test_a_status_on_an_unknown_invoice_is_refused(seller_world):
    data = sales_invoice(seller_world.active, seller_world.foreign.siren)
    flow, _ = sent(seller_world.foreign, status_message(data, 205), syntax="CDAR")
    assert flow.ack_status == "Error" and flow.ack_details[0]["reasonCode"] == "INVOICE_LC_INVALID_STATUS"


def test_flows_are_numbered_in_their_dossier(seller_world):
    seller = seller_world.active
    for number in range(3):
        sent(seller, sales_invoice(seller, seller_world.foreign.siren, number=f"N-{number}"))
    assert list(Flow.objects.filter(dossier=seller).values_list("sequence", flat=True)) == list(range(1, 10))
    assert list(Flow.objects.filter(dossier=seller_world.foreign).values_list("sequence", flat=True)) == [1, 2, 3]
