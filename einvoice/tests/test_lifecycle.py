"""CDAR lifecycle messages: what we build passes the official XSD and French
Schematron for every status, reads back unchanged, and bad messages are refused."""

import dataclasses
import datetime
import re
from decimal import Decimal

import pytest

from einvoice.errors import HostileInputError, UnsupportedFormatError
from einvoice.lifecycle import (
    REASONS,
    REASONS_BY_STATUS,
    CdarParty,
    Characteristic,
    InvalidLifecycleMessage,
    LifecycleMessage,
    LifecycleStatus,
    build_cdar,
    paid_amount,
    parse_cdar,
)
from einvoice.tests.cdar_validation import (
    fatal_failures,
    schematron_failures,
    xsd_errors,
)

UTC = datetime.UTC
SELLER = CdarParty("SE", "100000009", "0002", "VENDEUR", electronic_address="100000009_STATUTS")
BUYER = CdarParty("BY", "200000008", "0002", "ACHETEUR", electronic_address="200000008")
PPF = CdarParty("DFH", "9998", "0238", "PPF")
PLATFORM = CdarParty("WK")


def message_for(status, **changes):
    """A message as the party who sets ``status`` would send it."""
    status = LifecycleStatus(status)
    if status.phase == "305":
        issuer, recipients = PLATFORM, (SELLER, BUYER, PPF)
    elif status in (LifecycleStatus.ENCAISSEE, LifecycleStatus.ANNULEE):
        issuer, recipients = SELLER, (BUYER, PPF)
    else:
        issuer, recipients = BUYER, (SELLER,)
    reasons = REASONS_BY_STATUS.get(status)
    fields = {
        "invoice_number": "F202600042",
        "invoice_issue_date": datetime.date(2026, 9, 1),
        "status": status,
        "seller_id": "100000009",
        "issuer": issuer,
        "recipients": recipients,
        "issued_at": datetime.datetime(2026, 9, 2, 10, 5, tzinfo=UTC),
        "status_at": datetime.datetime(2026, 9, 2, 10, 0, tzinfo=UTC),
        "invoice_received_at": datetime.datetime(2026, 9, 1, 15, 10, tzinfo=UTC),
        "reason_code": sorted(reasons)[0] if status.requires_reason else None,
        "reason_text": REASONS[sorted(reasons)[0]] if status.requires_reason else None,
        "characteristics": (paid_amount("1000.00", "20.00"), paid_amount("200", "5.5"))
        if status is LifecycleStatus.ENCAISSEE else (),
    }
    fields.update(changes)
    return LifecycleMessage(**fields)


@pytest.mark.parametrize("status", list(LifecycleStatus), ids=lambda s: f"{s.value}")
def test_every_status_builds_a_message_the_xsd_and_french_schematron_accept(status):
    data = build_cdar(message_for(status))
    assert xsd_errors(data) == []
    assert fatal_failures(data) == []


@pytest.mark.parametrize("status", list(LifecycleStatus), ids=lambda s: f"{s.value}")
def test_every_status_reads_back_to_the_same_message(status):
    message = message_for(status)
    parsed = parse_cdar(build_cdar(message))
    assert dataclasses.replace(parsed, message_id=None) == message
    assert parsed.message_id.startswith("F202600042_")


def test_status_labels_are_french_and_phase_follows_who_sets_the_status():
    assert LifecycleStatus(207).label == "En litige"
    assert LifecycleStatus(212).label_en == "Payment received"
    assert LifecycleStatus.DEPOSEE.phase == "305" and LifecycleStatus.APPROUVEE.phase == "23"
    assert {s.value for s in LifecycleStatus if s.requires_reason} == {206, 207, 208, 210, 213, 501}


UNKNOWN_MEANING = [s for s in LifecycleStatus if not s.meaning_known]


def test_every_code_of_the_official_list_is_a_status():
    """BR-FR-CDV-CL-06 (is-valid-invoice-status-code in the French CDAR Schematron)."""
    from einvoice.tests.shared_files import shared_path

    schematron = shared_path("specs", "cdar", "schematron", "BR-FR-CDV-Schematron-CDAR.sch").read_text()
    listed = re.search(r"invoice-status-codes\" as=\"xs:string\"\s+select=\"'([\d\s]+)'", schematron).group(1)
    assert {s.value for s in LifecycleStatus} == {int(code) for code in listed.split()}
    assert {s.value for s in UNKNOWN_MEANING} == {250, 251, 300, 301, 400, 401, 500, 601}


@pytest.mark.parametrize("set_by", ["platform", "buyer", "seller"])
@pytest.mark.parametrize("status", UNKNOWN_MEANING, ids=lambda s: f"{s.value}")
def test_a_status_of_unknown_meaning_is_built_clean_and_read_back(status, set_by):
    """Its phase follows who sets it; the message passes the XSD and the Schematron with no warning at all."""
    issuer, recipients = {"platform": (PLATFORM, (SELLER, BUYER)), "buyer": (BUYER, (SELLER,)),
                          "seller": (SELLER, (BUYER,))}[set_by]
    message = message_for(status, issuer=issuer, recipients=recipients)
    data = build_cdar(message)
    assert xsd_errors(data) == []
    assert schematron_failures(data) == []
    assert f"<ram:TypeCode>{'305' if set_by == 'platform' else '23'}</ram:TypeCode>".encode() in data
    assert b"ram:ProcessCondition>" not in data  # no invented label
    parsed = parse_cdar(data)
    assert dataclasses.replace(parsed, message_id=None) == message
    assert parsed.status is status and parsed.phase == message.phase
    assert (status.label, status.label_en) == (f"Statut {status.value}", f"Status {status.value}")


@pytest.mark.parametrize("code", [206, 207, 208, 210, 213, 501])
def test_a_status_that_needs_a_reason_is_refused_without_one(code):
    with pytest.raises(InvalidLifecycleMessage, match="requires a reason"):
        build_cdar(message_for(code, reason_code=None, reason_text=None))


def test_a_reason_outside_the_closed_list_of_its_status_is_refused():
    with pytest.raises(InvalidLifecycleMessage, match="not allowed for status 213"):
        build_cdar(message_for(213, reason_code="TX_TVA_ERR"))
    with pytest.raises(InvalidLifecycleMessage, match="unknown reason"):
        build_cdar(message_for(207, reason_code="PAS_CONTENT"))
    assert isinstance(InvalidLifecycleMessage("x"), ValueError)


def test_reason_code_and_text_are_written_and_read():
    message = message_for(210, reason_code="TX_TVA_ERR", reason_text="Taux de TVA erroné sur la ligne 2",
                          requested_action_code="NIN", note="Merci d'émettre une facture rectificative")
    data = build_cdar(message)
    assert fatal_failures(data) == []
    parsed = parse_cdar(data)
    assert (parsed.reason_code, parsed.reason_text) == ("TX_TVA_ERR", "Taux de TVA erroné sur la ligne 2")
    assert parsed.requested_action_code == "NIN" and parsed.note.startswith("Merci")
    duplicate = parse_cdar(build_cdar(message_for(213, reason_code="DOUBLON", reason_text=None)))
    assert duplicate.reason_label.startswith("Facture en doublon")


def test_encaissee_carries_the_amount_received_per_vat_rate():
    parsed = parse_cdar(build_cdar(message_for(212)))
    assert parsed.amount == Decimal("1200.00")
    assert [(c.amount, c.percent) for c in parsed.characteristics] == [
        (Decimal("1000.00"), Decimal("20.00")), (Decimal("200"), Decimal("5.5"))]
    with pytest.raises(InvalidLifecycleMessage, match="amount received"):
        build_cdar(message_for(212, characteristics=()))
    with pytest.raises(InvalidLifecycleMessage, match="amount received"):
        build_cdar(message_for(212, characteristics=(Characteristic("MEN", Decimal("10")),)))


def test_processing_status_set_by_a_platform_is_refused():
    with pytest.raises(InvalidLifecycleMessage, match="identified seller or buyer"):
        build_cdar(message_for(205, issuer=PLATFORM))
    with pytest.raises(InvalidLifecycleMessage, match="electronic address"):
        build_cdar(message_for(205, recipients=(dataclasses.replace(SELLER, electronic_address=None),)))


def test_the_schematron_harness_really_catches_broken_messages():
    """Without this, a harness that reports nothing would make the tests above vacuous."""
    data = build_cdar(message_for(213, reason_code="DOUBLON")).replace(b"DOUBLON", b"TX_TVA_ERR")
    assert ("BR-FR-CDV-CL-09_MDT-113_213", "fatal") in schematron_failures(data)
    no_reason = build_cdar(message_for(207)).replace(b"<ram:ReasonCode>", b"<ram:ReasonInformationCode>").replace(
        b"</ram:ReasonCode>", b"</ram:ReasonInformationCode>")
    assert "BR-FR-CDV-15_MDT-113" in fatal_failures(no_reason)


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        build_cdar(message_for(205, issued_at=datetime.datetime(2026, 9, 2, 10, 5)))


def test_parse_refuses_other_documents_and_hostile_xml():
    with pytest.raises(UnsupportedFormatError):
        parse_cdar(b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>")
    with pytest.raises(HostileInputError):
        parse_cdar(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    unknown = build_cdar(message_for(205)).replace(b">205<", b">299<")
    with pytest.raises(UnsupportedFormatError, match="299"):
        parse_cdar(unknown)


def test_a_message_about_an_engine_invoice_takes_its_parties_from_the_invoice():
    from einvoice.lifecycle import message_for_invoice
    from einvoice.tests.invoice_samples import rich_invoice

    invoice = rich_invoice()
    message = message_for_invoice(invoice, 212, set_by="seller", issued_at=datetime.datetime(2026, 10, 2, tzinfo=UTC),
                                  characteristics=(paid_amount(invoice.totals.tax_exclusive, "20"),))
    data = build_cdar(message)
    assert xsd_errors(data) == [] and fatal_failures(data) == []
    parsed = parse_cdar(data)
    assert (parsed.invoice_number, parsed.invoice_issue_date, parsed.seller_id) == (
        "F2026-0042", datetime.date(2026, 9, 1), "100000009")
    assert parsed.issuer.role == "SE" and parsed.buyer_id == "200000008"
    assert parsed.recipients[0].electronic_address == "200000008"
    assert parsed.amount == invoice.totals.tax_exclusive
