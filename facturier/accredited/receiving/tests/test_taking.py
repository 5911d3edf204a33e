"""Taking an incoming flow in: once, through the intake of uploads, and statuses under the rules of who sets what."""

import pytest

from facturier.accredited.receiving.models import ReceivedFlow
from facturier.accredited.receiving.taking import NotYetMatched, take_in
from facturier.archive.store import open_content
from facturier.flows.tests.samples import status_message
from facturier.invoices.models import IncomingFile, Invoice
from facturier.invoices.receiving.tests.receiving_samples import purchase_cii

Outcome = ReceivedFlow.Outcome


def received(inbox, flow_id, **fields):
    return ReceivedFlow.objects.create(connection=inbox.connection, inbox=inbox, flow_id=flow_id, **fields)


def purchase(inbox, flow_id="flow-1", number="F-1"):
    data = purchase_cii(inbox.dossier.siren, number=number)
    row = received(inbox, flow_id, flow_type="SupplierInvoice", syntax="CII", name=f"{number}.xml")
    assert take_in(row, data)
    row.refresh_from_db()
    return row, data


def test_an_invoice_is_taken_in_once_its_original_archived_unchanged_with_the_flow_id(inbox):
    row, data = purchase(inbox)
    assert not take_in(row, data), "a second taker finds it done"
    assert (row.state, row.outcome) == ("done", Outcome.INVOICE)
    [incoming] = IncomingFile.objects.filter(dossier=inbox.dossier)
    assert incoming.source == "accredited" and incoming.outcome == "accepted" and row.incoming_file == incoming
    assert row.original == incoming.archived and open_content(row.original) == data
    assert row.flow_id == "flow-1" and incoming.invoice.events.count() == 2  # 202 Reçue, 203 Mise à disposition


def test_the_same_invoice_under_another_flow_is_a_doublon(inbox):
    purchase(inbox, "flow-1")
    again, _data = purchase(inbox, "flow-2")
    assert again.outcome == Outcome.REFUSED_FILE and again.message.startswith("DOUBLON")
    assert Invoice.objects.filter(dossier=inbox.dossier).count() == 1


def test_the_sellers_payment_reaches_the_purchase_invoice_with_its_message(inbox):
    _row, data = purchase(inbox)
    message = status_message(data, 212, set_by="seller", amount="120.00")
    status = received(inbox, "flow-212", flow_type="SupplierInvoiceLC", syntax="CDAR", name="212.xml")
    assert take_in(status, message)
    status.refresh_from_db()
    assert status.outcome == Outcome.STATUS and status.event.status == 212 and status.event.party == "seller"
    assert status.event.source == "accredited" and open_content(status.event.message) == message
    assert str(status.event.amount) == "120.00"
    assert Invoice.objects.get(dossier=inbox.dossier).lifecycle_status == 212


def test_a_status_only_the_dossier_itself_sets_is_refused(inbox):
    _row, data = purchase(inbox)
    status = received(inbox, "flow-205", flow_type="SupplierInvoiceLC", syntax="CDAR")
    assert take_in(status, status_message(data, 205, set_by="buyer"))  # the buyer is the dossier: not from outside
    status.refresh_from_db()
    assert status.outcome == Outcome.REFUSED_STATUS and "autre partie" in status.message
    assert status.event is None and open_content(status.original)  # kept as received all the same
    assert Invoice.objects.get(dossier=inbox.dossier).events.filter(status=205).count() == 0


def test_a_status_ahead_of_its_invoice_waits_for_it(inbox):
    data = purchase_cii(inbox.dossier.siren, number="F-LATE")
    status = received(inbox, "flow-212", flow_type="SupplierInvoiceLC", syntax="CDAR")
    with pytest.raises(NotYetMatched):
        take_in(status, status_message(data, 212, set_by="seller", amount="10.00"))
    status.refresh_from_db()
    assert status.state == "pending" and status.attempts == 0, "nothing of the attempt was kept"
