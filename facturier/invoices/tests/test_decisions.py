"""decide / allowed_decisions: transitions, reasons, amounts, anomalies, who may decide."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from facturier.audit.models import AuditEvent
from facturier.dossiers.models import DossierMembership
from facturier.invoices.decisions import DecisionError, allowed_decisions, decide
from facturier.invoices.models import Anomaly, Invoice, InvoiceState, Task
from facturier.invoices.receiving import controls
from facturier.invoices.receiving.intake import receive_file
from facturier.invoices.receiving.tests.receiving_samples import purchase_cii

pytestmark = pytest.mark.usefixtures("offline_registry")


@pytest.fixture
def invoice(world):
    return receive_file(world.active, "f.xml", purchase_cii(world.active.siren)).invoice


@pytest.fixture
def blocked(invoice):
    controls.raise_anomaly(invoice, Anomaly.Kind.INSOLVENCY, "liquidation judiciaire, jugement du 08/09/2026", {})
    controls.refresh_needs_decision(invoice)
    invoice.refresh_from_db()
    return invoice


def test_a_clean_invoice_is_approved_directly(world, invoice):
    event = decide(invoice, world.user("client"), 205)
    invoice.refresh_from_db()
    assert (event.status, event.party, event.actor) == (205, "buyer", world.user("client"))
    assert invoice.lifecycle_status == 205 and invoice.approved_at == event.at
    assert AuditEvent.objects.filter(action="invoice_decision_recorded", dossier=world.active).exists()


def test_approval_with_a_blocking_anomaly_needs_a_confirmation(world, blocked):
    assert blocked.needs_decision
    with pytest.raises(DecisionError, match="anomalie ouverte"):
        decide(blocked, world.user("staff_assigned"), 205)
    blocked.refresh_from_db()
    assert blocked.lifecycle_status == 203 and blocked.needs_decision
    decide(blocked, world.user("staff_assigned"), 205, confirmed=True)
    blocked.refresh_from_db()
    anomaly = blocked.anomalies.get()
    assert anomaly.resolved_by == world.user("staff_assigned") and anomaly.resolved_at
    assert not blocked.needs_decision and blocked.lifecycle_status == 205
    assert not Task.objects.filter(invoice=blocked, done_at__isnull=True).exists()


def test_refusing_a_blocked_invoice_is_a_decision_without_confirmation(world, blocked):
    decide(blocked, world.user("client"), 210, reason_code="EMMET_INC")
    blocked.refresh_from_db()
    assert blocked.lifecycle_status == 210 and not blocked.needs_decision
    assert blocked.anomalies.get().resolved_at is None, "the anomaly stays on record, decided"


def test_a_non_blocking_pending_check_does_not_hold_approval(world, invoice):
    controls.raise_anomaly(invoice, Anomaly.Kind.REGISTRY_PENDING, "down", {}, blocking=False)
    decide(invoice, world.user("client"), 205)
    assert invoice.anomalies.get().resolved_at is None


@pytest.mark.parametrize("status, options, message", [
    (210, {}, "motif"),
    (210, {"reason_code": "AUTRE"}, "motif"),  # not on the refusal list
    (208, {"reason": "pièce manquante"}, "motif"),  # suspension has no "AUTRE"
    (206, {"reason_code": "QTE_ERR"}, "montant"),
    (206, {"reason_code": "QTE_ERR", "amount": "abc"}, "Montant invalide"),
    (206, {"reason_code": "QTE_ERR", "amount": "-5"}, "positif"),
    (206, {"reason_code": "QTE_ERR", "amount": "999999"}, "au plus"),
    (212, {"amount": "10"}, "pas possible"),  # seller status on a purchase invoice
    (211, {}, "pas possible"),  # not approved yet
    (999, {}, "Statut inconnu"),
])
def test_invalid_decisions_are_refused_with_a_message(world, invoice, status, options, message):
    with pytest.raises(DecisionError, match=message):
        decide(invoice, world.user("client"), status, **options)
    assert invoice.events.count() == 2


def test_partial_approval_dispute_and_suspension_carry_their_reason(world, invoice):
    event = decide(invoice, world.user("client"), 207, reason="prix erroné")
    assert event.reason_code == "AUTRE" and event.reason == "prix erroné"
    event = decide(invoice, world.user("client"), 206, reason_code="PU_ERR", amount="100,50")
    assert event.amount == Decimal("100.50") and event.reason_code == "PU_ERR"


def test_suspend_complete_approve_pay(world, invoice):
    user = world.user("client")
    decide(invoice, user, 208, reason_code="JUSTIF_ABS")
    assert [c.status for c in allowed_decisions(invoice, user)] == [207, 209, 210]
    decide(invoice, user, 209)
    decide(invoice, user, 205)
    event = decide(invoice, user, 211)
    invoice.refresh_from_db()
    assert event.amount == invoice.amount_due and invoice.amount_paid == invoice.amount_due
    assert allowed_decisions(invoice, user) == []


def test_nothing_after_a_refusal(world, invoice):
    decide(invoice, world.user("client"), 210, reason_code="DOUBLE_FACT")
    assert allowed_decisions(invoice, world.user("client")) == []
    with pytest.raises(DecisionError):
        decide(invoice, world.user("client"), 205)


def test_allowed_decisions_of_a_received_invoice(world, invoice, blocked):
    choices = {c.status: c for c in allowed_decisions(blocked, world.user("client"))}
    assert sorted(choices) == [204, 205, 206, 207, 208, 210]
    assert choices[205].needs_confirmation and choices[206].needs_confirmation and choices[206].needs_amount
    assert not choices[210].needs_confirmation
    assert ("DOUBLON", "Facture en doublon (déjà émise ou reçue)") in choices[210].reasons
    assert choices[204].reasons == ()


def sales_invoice(world, **fields):
    values = {"dossier": world.active, "direction": "sales", "state": InvoiceState.ISSUED, "number": "V-1",
              "total_incl_vat": Decimal("120.00"), "amount_due": Decimal("120.00"), "lifecycle_status": 205}
    values.update(fields)
    return Invoice.objects.create(**values)


def test_seller_records_payment_received_on_a_sales_invoice(world):
    invoice = sales_invoice(world)
    assert [c.status for c in allowed_decisions(invoice, world.user("client"))] == [212]
    with pytest.raises(DecisionError, match="montant"):
        decide(invoice, world.user("client"), 212)
    event = decide(invoice, world.user("client"), 212, amount="120")
    invoice.refresh_from_db()
    assert event.party == "seller" and invoice.amount_paid == Decimal("120.00") and invoice.lifecycle_status == 212
    assert allowed_decisions(invoice, world.user("client")) == []


@pytest.mark.parametrize("fields", [{"lifecycle_status": 210}, {"state": InvoiceState.DRAFT}])
def test_no_payment_on_a_refused_or_draft_sales_invoice(world, fields):
    invoice = sales_invoice(world, **fields)
    with pytest.raises(DecisionError):
        decide(invoice, world.user("client"), 212, amount="120")


@pytest.mark.parametrize("role, may", [
    ("client", True), ("staff_assigned", True), ("admin", True), ("accountant", True),
    ("staff_unassigned", False), ("staff_no_delegation", False),
])
def test_who_decides_on_purchases(world, invoice, role, may):
    user = world.user(role)
    assert bool(allowed_decisions(invoice, user)) is may
    if may:
        decide(invoice, user, 204)
    else:
        with pytest.raises(PermissionDenied):
            decide(invoice, user, 204)


def test_client_users_need_the_right_of_their_side(world, invoice):
    from facturier.accounts.models import User

    clerk = User.objects.create_user("clerk@client-actif.example")
    membership = DossierMembership.objects.create(dossier=world.active, user=clerk, can_issue_sales=True)
    assert allowed_decisions(invoice, clerk) == []
    with pytest.raises(PermissionDenied):
        decide(invoice, clerk, 205)
    assert [c.status for c in allowed_decisions(sales_invoice(world), clerk)] == [212]
    membership.can_issue_sales, membership.can_handle_purchases = False, True
    membership.save()
    decide(invoice, clerk, 205)
    with pytest.raises(PermissionDenied):
        decide(sales_invoice(world, number="V-2"), clerk, 212, amount="1")


def test_foreign_firm_never_decides(world, invoice):
    from facturier.firms.models import FirmMembership

    foreigner = FirmMembership.objects.filter(firm=world.foreign_firm).first().user
    with pytest.raises(PermissionDenied):
        decide(invoice, foreigner, 205)
