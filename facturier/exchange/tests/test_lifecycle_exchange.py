"""Statuses travel to the other party by the invoice's own channel, both ways, and never echo back."""

from decimal import Decimal

from einvoice.lifecycle import parse_cdar
from facturier.archive.store import open_content
from facturier.exchange.models import Delivery
from facturier.exchange.tasks import carry_lifecycle_event
from facturier.exchange.tests.support import committed, customer, issued_invoice
from facturier.invoices.decisions import decide
from facturier.invoices.receiving.intake import receive_file
from facturier.invoices.receiving.tests.receiving_samples import purchase_cii


def platform_pair(world):
    """A sales invoice of the active dossier delivered to the foreign firm's active dossier, and its copy there."""
    buyer = customer(world.active, siren=world.foreign.siren, name=world.foreign.name, email="")
    sale = issued_invoice(world.active, buyer)
    purchase = Delivery.objects.get(invoice=sale, kind=Delivery.Kind.INVOICE).counterpart_invoice
    return sale, purchase


def attached_cdar(message):
    """The CDAR XML attached to a message (an XML part may be decoded as text by the e-mail parser)."""
    [attachment] = list(message.iter_attachments())
    content = attachment.get_content()
    return content if isinstance(content, bytes) else content.encode()


def statuses(invoice):
    return list(invoice.events.values_list("status", flat=True))


def test_the_seller_sees_reception_then_the_buyer_decision(seller_world, mailbox):
    sale, purchase = platform_pair(seller_world)
    assert statuses(purchase) == [202, 203]
    assert statuses(sale) == [200, 202, 203]  # the platform's statuses reach the seller too
    with committed():
        decide(purchase, seller_world.foreign.owner, 205, confirmed=True)
    sale.refresh_from_db()
    assert sale.lifecycle_status == 205 and statuses(sale) == [200, 202, 203, 205]
    mirrored = sale.events.get(status=205)
    assert (mirrored.party, mirrored.source) == ("buyer", "platform")
    assert mirrored.message.dossier == seller_world.active  # the buyer's CDAR, archived on the seller's side
    assert parse_cdar(open_content(mirrored.message)).status == 205
    assert statuses(purchase) == [202, 203, 205]  # recorded once, not echoed back
    # No status went by e-mail: the buyer's owner is only told the invoice arrived (the notifications app).
    assert [m["To"] for m in mailbox.messages] == [purchase.dossier.owner.email]


def test_payment_travels_both_ways(seller_world, mailbox):
    sale, purchase = platform_pair(seller_world)
    with committed():
        decide(purchase, seller_world.foreign.owner, 205, confirmed=True)
    purchase.refresh_from_db()
    with committed():
        decide(purchase, seller_world.foreign.owner, 211)
    sale.refresh_from_db()
    assert sale.lifecycle_status == 211
    with committed():
        decide(sale, seller_world.user("client"), 212, amount=sale.total_incl_vat)
    purchase.refresh_from_db()
    assert purchase.lifecycle_status == 212
    received = purchase.events.get(status=212)
    assert received.party == "seller" and received.amount == Decimal("240.00")
    assert statuses(sale)[-2:] == [211, 212] and statuses(purchase)[-3:] == [205, 211, 212]
    carried = Delivery.objects.filter(kind=Delivery.Kind.EVENT, state="sent").values_list("event__status", flat=True)
    assert sorted(carried) == [202, 203, 205, 211, 212]


def test_email_customer_gets_the_cdar_of_a_status_the_seller_records(seller_world, mailbox):
    buyer = customer(seller_world.active, email="compta@acheteur.example", output_format="cii")
    sale = issued_invoice(seller_world.active, buyer)
    assert len(mailbox.messages) == 1  # the invoice itself
    with committed():
        decide(sale, seller_world.user("client"), 212, amount=sale.total_incl_vat)
    message = mailbox.messages[-1]
    assert message["To"] == "compta@acheteur.example" and sale.number in message["Subject"]
    assert "statut Encaissée" in message["Subject"] and "212" not in message["Subject"]  # never a bare code
    body = message.get_body(("plain",)).get_content()
    assert "Encaissée" in body and "212" not in body
    cdar = attached_cdar(message)
    assert parse_cdar(cdar).status == 212 and parse_cdar(cdar).invoice_number == sale.number
    delivery = Delivery.objects.get(kind=Delivery.Kind.EVENT)
    assert (delivery.channel, delivery.state, delivery.event.status) == ("email", "sent", 212)


def test_english_speaking_customer_reads_the_status_in_english(seller_world, mailbox):
    buyer = customer(seller_world.active, email="ap@buyer.example", output_format="cii", country="DE")
    sale = issued_invoice(seller_world.active, buyer)
    with committed():
        decide(sale, seller_world.user("client"), 212, amount=sale.total_incl_vat)
    assert "Payment received" in mailbox.messages[-1]["Subject"]


def test_uploaded_purchase_invoice_decision_goes_to_a_known_supplier_by_email(seller_world, mailbox):
    incoming = receive_file(seller_world.active, "achat.xml", purchase_cii(seller_world.active.siren))
    purchase = incoming.invoice
    supplier = purchase.third_party
    supplier.billing_email = "facturation@vendeur.example"
    supplier.save()
    with committed():
        decide(purchase, seller_world.user("client"), 210, reason_code="DOUBLE_FACT")
    [message] = mailbox.to("facturation@vendeur.example")
    assert "Refusée" in message["Subject"] and "210" not in message["Subject"]
    assert parse_cdar(attached_cdar(message)).reason_code == "DOUBLE_FACT"


def test_supplier_without_address_gets_nothing_and_nothing_fails(seller_world, mailbox):
    incoming = receive_file(seller_world.active, "achat.xml", purchase_cii(seller_world.active.siren))
    with committed():
        decide(incoming.invoice, seller_world.user("client"), 210, reason_code="DOUBLE_FACT")
    assert mailbox.messages == [] and not Delivery.objects.filter(state="failed").exists()


def test_carrying_a_status_again_after_a_worker_died_sends_no_second_copy(seller_world, mailbox):
    buyer = customer(seller_world.active, email="compta@acheteur.example", output_format="cii")
    sale = issued_invoice(seller_world.active, buyer)
    with committed():
        event = decide(sale, seller_world.user("client"), 212, amount=sale.total_incl_vat)
    sent = len(mailbox.messages)

    carry_lifecycle_event.call(event.pk)  # the same task run again, as after its worker was killed

    assert Delivery.objects.filter(kind=Delivery.Kind.EVENT).count() == 1
    assert len(mailbox.messages) == sent
