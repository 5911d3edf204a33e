"""receive_file: invoices archived, other files held a short time, one parse, duplicates, suppliers, usage."""

import datetime
import hashlib

import pytest
from django.utils import timezone

from facturier.archive.held import held_content, purge_expired
from facturier.archive.models import ArchiveRecord, HeldFile, Kind
from facturier.archive.storage import archive_storage
from facturier.archive.store import open_content
from facturier.invoices.models import IncomingFile, Invoice, LifecycleEvent, ThirdParty
from facturier.invoices.receiving.intake import receive_file
from facturier.invoices.receiving.tests.receiving_samples import SUPPLIER_SIREN, purchase_cii, purchase_ubl
from facturier.invoices.usage import monthly_usage

Outcome = IncomingFile.Outcome
pytestmark = pytest.mark.usefixtures("offline_registry")


def test_a_valid_invoice_becomes_a_received_purchase_invoice(world):
    data = purchase_cii(world.active.siren)
    incoming = receive_file(world.active, "F2026-0042.xml", data, by=world.user("client"))
    assert incoming.outcome == Outcome.ACCEPTED, incoming.message
    invoice = incoming.invoice
    assert (invoice.direction, invoice.state, invoice.number) == ("purchase", "received", "F2026-0042")
    assert invoice.syntax == "CII" and invoice.profile == "EN 16931"
    assert invoice.is_valid and invoice.validation["valid"] is True
    assert invoice.seller_siren == SUPPLIER_SIREN and invoice.buyer_siren == world.active.siren
    assert invoice.total_incl_vat > 0 and invoice.created_by == world.user("client")
    assert open_content(invoice.original) == data and invoice.original.kind == Kind.ORIGINAL_RECEIVED
    assert incoming.archived == invoice.original and incoming.sha256 == hashlib.sha256(data).hexdigest()


def test_receipt_records_202_and_203_with_cdar_messages(world):
    invoice = receive_file(world.active, "f.xml", purchase_cii(world.active.siren)).invoice
    events = list(invoice.events.all())
    assert [e.status for e in events] == [202, 203]
    assert all(e.party == "platform" and e.message.kind == Kind.LIFECYCLE for e in events)
    assert b"<ram:ProcessConditionCode>202</ram:ProcessConditionCode>" in open_content(events[0].message)
    invoice.refresh_from_db()
    assert invoice.lifecycle_status == 203


def test_supplier_is_created_then_matched_by_siren_then_by_vat(world):
    first = receive_file(world.active, "a.xml", purchase_cii(world.active.siren, number="A-1")).invoice
    supplier = first.third_party
    assert supplier.is_supplier and supplier.siren == SUPPLIER_SIREN and supplier.electronic_address == SUPPLIER_SIREN
    second = receive_file(world.active, "b.xml", purchase_ubl(world.active.siren, number="A-2")).invoice
    assert second.third_party == supplier
    ThirdParty.objects.filter(pk=supplier.pk).update(siren="")
    third = receive_file(world.active, "c.xml", purchase_cii(world.active.siren, number="A-3")).invoice
    assert third.third_party == supplier
    assert ThirdParty.objects.filter(dossier=world.active).count() == 1


def test_a_customer_becomes_a_supplier_too(world):
    customer = ThirdParty.objects.create(dossier=world.active, is_customer=True, name="VENDEUR", siren=SUPPLIER_SIREN)
    invoice = receive_file(world.active, "a.xml", purchase_cii(world.active.siren)).invoice
    customer.refresh_from_db()
    assert invoice.third_party == customer and customer.is_supplier and customer.is_customer


def test_the_same_invoice_again_is_a_duplicate_whatever_its_syntax(world):
    receive_file(world.active, "a.xml", purchase_cii(world.active.siren))
    again = receive_file(world.active, "a.ubl.xml", purchase_ubl(world.active.siren))
    assert again.outcome == Outcome.DUPLICATE and again.invoice is None
    assert "DOUBLON" in again.message and "F2026-0042" in again.message
    assert again.archived is not None, "a refused file is archived too: nothing is lost"
    assert Invoice.objects.filter(dossier=world.active).count() == 1


def test_same_number_other_year_or_other_seller_or_other_dossier_is_not_a_duplicate(world):
    import datetime

    receive_file(world.active, "a.xml", purchase_cii(world.active.siren))
    other_year = receive_file(world.active, "b.xml", purchase_cii(world.active.siren,
                                                                    issue_date=datetime.date(2025, 9, 1)))
    other_seller = receive_file(world.active, "c.xml", purchase_cii(world.active.siren, seller_siren="552100554"))
    other_dossier = receive_file(world.own, "d.xml", purchase_cii(world.active.siren))
    assert [f.outcome for f in (other_year, other_seller, other_dossier)] == [Outcome.ACCEPTED] * 3


def test_a_foreign_seller_is_identified_by_vat_for_duplicates(world):
    first = receive_file(world.active, "a.xml", purchase_cii(world.active.siren, seller_siren=None,
                                                               seller_vat="DE123456789"))
    assert first.outcome == Outcome.ACCEPTED and first.invoice.seller_vat == "DE123456789"
    again = receive_file(world.active, "b.xml", purchase_ubl(world.active.siren, seller_siren=None,
                                                               seller_vat="DE123456789"))
    assert again.outcome == Outcome.DUPLICATE


def test_an_invalid_invoice_is_received_with_the_engine_report(world):
    data = purchase_cii(world.active.siren).replace(b"<ram:TypeCode>380</ram:TypeCode>",
                                                    b"<ram:TypeCode>999</ram:TypeCode>")
    incoming = receive_file(world.active, "bad.xml", data)
    invoice = incoming.invoice
    assert incoming.outcome == Outcome.ACCEPTED and not invoice.is_valid
    assert invoice.validation["errors"] and "erreur" in incoming.message


@pytest.mark.parametrize("data, outcome", [
    (b"", Outcome.UNREADABLE),
    (b"not xml at all", Outcome.UNREADABLE),
    (b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>", Outcome.UNREADABLE),
    (b"<Order xmlns='urn:example:order'/>", Outcome.UNSUPPORTED),
    (b"%PDF-1.4\n%broken", Outcome.UNREADABLE),
])
def test_files_that_are_not_invoices_are_held_a_short_time_not_archived(world, settings, data, outcome):
    settings.REJECTED_FILES_DAYS = 7
    before = timezone.now()
    incoming = receive_file(world.active, "x.bin", data)
    assert incoming.outcome == outcome and incoming.invoice is None and incoming.message
    assert incoming.archived is None and not ArchiveRecord.objects.filter(kind=Kind.ORIGINAL_RECEIVED).exists()
    incoming = IncomingFile.objects.select_related("held").get(pk=incoming.pk)
    assert held_content(incoming.held) == data and incoming.held.size == len(data)
    days = (incoming.held.delete_after - before).total_seconds() / 86400
    assert 7 <= days < 7.01, "kept the configured number of days from its refusal"


def test_structured_invoices_are_legal_originals_whatever_becomes_of_them(world):
    """Valid, invalid, duplicate or with amounts out of range: what a supplier sent is kept ten years."""
    valid = receive_file(world.active, "a.xml", purchase_cii(world.active.siren))
    duplicate = receive_file(world.active, "a2.xml", purchase_ubl(world.active.siren))
    invalid = receive_file(world.active, "b.xml", purchase_cii(world.active.siren, number="B-1").replace(
        b"<ram:TypeCode>380</ram:TypeCode>", b"<ram:TypeCode>999</ram:TypeCode>"))
    huge = receive_file(world.active, "c.xml", purchase_cii(world.active.siren, number="C-1").replace(
        b"<ram:GrandTotalAmount>", b"<ram:GrandTotalAmount>9999999999999999999"))
    outcomes = [f.outcome for f in (valid, duplicate, invalid, huge)]
    assert outcomes == [Outcome.ACCEPTED, Outcome.DUPLICATE, Outcome.ACCEPTED, Outcome.UNREADABLE], huge.message
    for incoming in (valid, duplicate, invalid, huge):
        assert incoming.held is None and incoming.archived.kind == Kind.ORIGINAL_RECEIVED
        assert incoming.archived.retain_until.year >= timezone.now().year + 10
    assert open_content(duplicate.archived) == purchase_ubl(world.active.siren)
    assert not HeldFile.objects.exclude(delete_after=None).exists()


def test_expired_held_files_are_erased_and_the_row_still_says_what_they_were(world, settings):
    settings.REJECTED_FILES_DAYS = 3
    incoming = receive_file(world.active, "devis.txt", b"not an invoice")
    kept = receive_file(world.active, "autre.txt", b"another non-invoice")
    token = IncomingFile.objects.get(pk=incoming.pk).held.token
    assert purge_expired(timezone.now() + datetime.timedelta(days=2)) == 0
    kept_held = IncomingFile.objects.get(pk=kept.pk).held
    kept_held.delete_after = timezone.now() + datetime.timedelta(days=10)
    kept_held.save()
    assert purge_expired(timezone.now() + datetime.timedelta(days=3, seconds=1)) == 1
    incoming.refresh_from_db()
    assert incoming.held is None and incoming.outcome == Outcome.UNREADABLE and incoming.filename == "devis.txt"
    assert not HeldFile.objects.filter(token=token).exists()
    assert not archive_storage().exists(f"held/{token}"), "the bytes are erased with the row"
    assert held_content(IncomingFile.objects.get(pk=kept.pk).held) == b"another non-invoice"
    assert purge_expired(timezone.now() + datetime.timedelta(days=30)) == 1


def test_a_file_over_the_limit_is_refused_unread(world, settings):
    settings.INVOICE_MAX_FILE_BYTES = 1000
    incoming = receive_file(world.active, "big.xml", b"<" + b"x" * 2000)
    assert incoming.outcome == Outcome.TOO_LARGE and "limite" in incoming.message
    assert incoming.archived is None and incoming.size == 2001


def test_usage_counts_received_invoices_per_month(world):
    receive_file(world.active, "a.xml", purchase_cii(world.active.siren, number="U-1"))
    receive_file(world.active, "b.xml", purchase_cii(world.active.siren, number="U-2"))
    receive_file(world.active, "c.xml", purchase_cii(world.active.siren, number="U-2"))  # duplicate
    [month] = monthly_usage(world.active)
    assert (month.received, month.issued) == (2, 0)


def test_controls_are_queued_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invoice = receive_file(world.active, "a.xml", purchase_cii(world.active.siren)).invoice
    # The immediate backend ran the controls: this clean invoice has no anomaly, and nothing was lost.
    assert invoice.anomalies.count() == 0
    assert ArchiveRecord.objects.filter(dossier=world.active).count() == 3
    assert LifecycleEvent.objects.filter(invoice=invoice).count() == 2


def test_unknown_source_is_a_programming_error(world):
    with pytest.raises(ValueError, match="unknown source 'fax'"):
        receive_file(world.active, "a.xml", b"", source="fax")


@pytest.mark.parametrize("name, stored", [("../../etc/passwd", "passwd"), ("..", "facture"), ("", "facture"),
                                           ("C:\\factures\\f.xml", "f.xml")])
def test_file_names_are_made_safe(world, name, stored):
    incoming = receive_file(world.active, name, purchase_cii(world.active.siren, number=f"N-{len(name)}"))
    assert incoming.filename == stored and incoming.archived.filename == stored


def test_the_source_is_kept(world):
    incoming = receive_file(world.active, "a.xml", purchase_cii(world.active.siren), source="platform")
    assert incoming.source == "platform"
