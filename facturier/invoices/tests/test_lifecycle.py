"""Lifecycle events: CDAR messages valid against the official XSD, archived; the signal; remote events."""

from decimal import Decimal

import pytest

from einvoice.lifecycle import parse_cdar
from facturier.archive.models import Kind
from facturier.archive.store import open_content, records_for
from facturier.invoices.decisions import decide
from facturier.invoices.lifecycle import record_event, record_remote_event
from facturier.invoices.models import Invoice, InvoiceState
from facturier.invoices.receiving.intake import receive_file
from facturier.invoices.receiving.tests.receiving_samples import purchase_cii
from facturier.invoices.signals import lifecycle_event_recorded

pytestmark = pytest.mark.usefixtures("offline_registry")


def cdar_checks():
    try:
        from einvoice.tests.cdar_validation import fatal_failures, xsd_errors

        xsd_errors(b"<x/>")
    except BaseException as error:
        pytest.skip(f"CDAR XSD not available: {error}")
    return xsd_errors, fatal_failures


@pytest.fixture
def invoice(world):
    return receive_file(world.active, "f.xml", purchase_cii(world.active.siren)).invoice


@pytest.fixture
def announced():
    events = []

    def receiver(sender, event, **kwargs):
        events.append(event)

    lifecycle_event_recorded.connect(receiver)
    yield events
    lifecycle_event_recorded.disconnect(receiver)


DECISIONS = [
    (204, {}), (205, {}), (206, {"reason_code": "QTE_ERR", "amount": "50"}), (207, {"reason_code": "PU_ERR"}),
    (208, {"reason_code": "JUSTIF_ABS"}), (210, {"reason_code": "TX_TVA_ERR", "reason": "TVA à 5,5 %"}),
]


@pytest.mark.parametrize("status, options", DECISIONS)
def test_each_decision_archives_a_cdar_message_the_official_checks_accept(world, invoice, status, options):
    xsd_errors, fatal_failures = cdar_checks()
    event = decide(invoice, world.user("client"), status, **options)
    record = event.message
    assert record.kind == Kind.LIFECYCLE and record.reference_pk == str(invoice.pk)
    data = open_content(record)
    assert xsd_errors(data) == [] and fatal_failures(data) == []
    message = parse_cdar(data)
    assert (message.status, message.invoice_number, message.issuer.role) == (status, invoice.number, "BY")
    assert message.issuer.id == world.active.siren and message.recipients[0].role == "SE"
    assert (message.reason_code or "") == options.get("reason_code", "")


def test_payment_statuses_carry_the_amount(world, invoice):
    xsd_errors, fatal_failures = cdar_checks()
    decide(invoice, world.user("client"), 205)
    paid = decide(invoice, world.user("client"), 211)
    data = open_content(paid.message)
    assert xsd_errors(data) == [] and fatal_failures(data) == []
    # The seller side, once it knows: 212 with the amount per VAT rate.
    sales = Invoice.objects.create(
        dossier=world.own, direction="sales", state=InvoiceState.ISSUED, number=invoice.number,
        original=invoice.original, total_incl_vat=invoice.total_incl_vat, amount_due=invoice.amount_due,
        lifecycle_status=211)
    received = decide(sales, world.user("accountant"), 212, amount=str(invoice.amount_due))
    data = open_content(received.message)
    assert xsd_errors(data) == [] and fatal_failures(data) == []
    message = parse_cdar(data)
    assert message.status == 212 and message.amount == invoice.amount_due and message.issuer.role == "SE"


def test_receipt_statuses_are_set_by_the_platform(world, invoice):
    xsd_errors, fatal_failures = cdar_checks()
    for event in invoice.events.all():
        data = open_content(event.message)
        assert xsd_errors(data) == [] and fatal_failures(data) == []
        assert parse_cdar(data).issuer.role == "WK"


def test_local_events_are_announced_once_committed(world, invoice, announced, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        event = decide(invoice, world.user("client"), 205)
        assert announced == [], "nothing is announced before the commit"
    assert event in announced and len(callbacks) >= 1


def test_remote_events_are_recorded_but_never_sent_back(world, invoice, announced, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sales = Invoice.objects.create(dossier=world.own, direction="sales", state=InvoiceState.ISSUED,
                                       number=invoice.number, original=invoice.original, lifecycle_status=203)
        event = record_remote_event(sales, 205, party="buyer", source="platform")
    assert announced == []
    sales.refresh_from_db()
    assert (event.source, event.party, event.actor, sales.lifecycle_status) == ("platform", "buyer", None, 205)
    assert parse_cdar(open_content(event.message)).status == 205


def test_remote_event_keeps_the_message_the_other_party_sent(world, invoice):
    sent = decide(invoice, world.user("client"), 205)
    cdar = open_content(sent.message)
    sales = Invoice.objects.create(dossier=world.own, direction="sales", state=InvoiceState.ISSUED,
                                   number=invoice.number, original=invoice.original)
    mirrored = record_remote_event(sales, 205, party="buyer", message=cdar, at=sent.at, source="platform")
    assert open_content(mirrored.message) == cdar and mirrored.at == sent.at
    assert records_for(sales).filter(kind=Kind.LIFECYCLE).count() == 1


def test_an_invoice_that_cannot_carry_a_cdar_still_records_its_event(world, invoice):
    bare = Invoice.objects.create(dossier=world.active, direction="purchase", state=InvoiceState.RECEIVED,
                                  number="X-1", amount_due=Decimal(10))
    event = record_event(bare, 205, party="buyer", actor=world.user("client"))
    bare.refresh_from_db()
    assert event.message is None and bare.lifecycle_status == 205


@pytest.mark.parametrize("code", [250, 251, 300, 301, 400, 401, 500, 601])
def test_a_status_of_unknown_meaning_from_the_other_party_is_recorded_and_shown(client, world, invoice, code):
    """Recorded with the message as sent, shown on the timeline; the invoice's own status and the
    decisions offered do not change, and nobody here can set it."""
    from django.urls import reverse

    from einvoice.lifecycle import build_cdar, message_for_invoice
    from facturier.invoices.decisions import DecisionError, allowed_decisions
    from facturier.invoices.lifecycle import document_of

    xsd_errors, fatal_failures = cdar_checks()
    before = invoice.lifecycle_status
    offered = [choice.status for choice in allowed_decisions(invoice, world.user("client"))]
    sent = build_cdar(message_for_invoice(document_of(invoice), code, set_by="seller", issued_at=invoice.created_at))
    event = record_remote_event(invoice, code, party="seller", message=sent, source="platform")
    invoice.refresh_from_db()
    assert open_content(event.message) == sent and xsd_errors(sent) == [] and fatal_failures(sent) == []
    assert (event.status, invoice.lifecycle_status) == (code, before)
    assert [choice.status for choice in allowed_decisions(invoice, world.user("client"))] == offered
    assert code not in offered
    with pytest.raises(DecisionError):
        decide(invoice, world.user("client"), code)

    client.force_login(world.user("client"))
    page = client.get(reverse("invoices:detail", args=[invoice.dossier_id, invoice.pk]))
    assert page.status_code == 200
    timeline = page.content.decode().split('<ol class="lifecycle">')[1]
    assert f"Statut {code}" in timeline
    listing = client.get(reverse("invoices:purchases", args=[invoice.dossier_id]))
    options = listing.content.decode().split('name="statut"')[1].split("</select>")[0]
    assert 'value="205"' in options and f'value="{code}"' not in options
    assert '<option value="205">Approuvée</option>' in options, "the filter shows labels, never a bare code"
