"""The controls of seed annex 2 against a registry answering over HTTP (SIRENE + BODACC)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import translation

from facturier.invoices.models import Anomaly, Task
from facturier.invoices.receiving.intake import receive_file
from facturier.invoices.receiving.tasks import run_controls
from facturier.invoices.receiving.tests.receiving_samples import SUPPLIER_SIREN, purchase_cii

Kind = Anomaly.Kind


def receive(world, **options):
    invoice = receive_file(world.active, "f.xml", purchase_cii(world.active.siren, **options)).invoice
    run_controls.enqueue(invoice.pk)  # the immediate backend of the tests runs it now
    invoice.refresh_from_db()
    return invoice


def open_kinds(invoice):
    return sorted(invoice.anomalies.filter(resolved_at__isnull=True).values_list("kind", flat=True))


def test_a_healthy_supplier_raises_nothing(world, registry):
    registry.company(SUPPLIER_SIREN)
    invoice = receive(world)
    assert open_kinds(invoice) == [] and not invoice.needs_decision
    assert not Task.objects.filter(invoice=invoice).exists()


def test_supplier_absent_from_sirene_alerts_the_assigned_staff(world, registry):
    invoice = receive(world)
    assert open_kinds(invoice) == [Kind.NOT_IN_SIRENE] and invoice.needs_decision
    anomaly = invoice.anomalies.get()
    assert anomaly.blocking and SUPPLIER_SIREN in anomaly.detail
    task = Task.objects.get(anomaly=anomaly)
    assert task.for_firm and not task.for_client and task.dossier == world.active and task.done_at is None


def test_closed_company(world, registry):
    registry.company(SUPPLIER_SIREN, closed=True)
    invoice = receive(world)
    anomaly = invoice.anomalies.get(kind=Kind.CLOSED)
    assert "30/06/2023" in anomaly.detail and anomaly.data["closed_on"] == "2023-06-30"
    task = Task.objects.get(anomaly=anomaly)
    assert task.for_firm and task.for_client


def test_liquidation_with_its_date(world, registry):
    registry.company(SUPPLIER_SIREN)
    registry.liquidation(SUPPLIER_SIREN, judged_on="2026-09-08")
    invoice = receive(world)
    anomaly = invoice.anomalies.get(kind=Kind.INSOLVENCY)
    assert "liquidation judiciaire" in anomaly.detail and "08/09/2026" in anomaly.detail
    assert anomaly.data["liquidation"] is True and anomaly.data["date"] == "2026-09-08"
    assert invoice.needs_decision


def test_recently_created_company_needs_confirmation(world, registry):
    registry.company(SUPPLIER_SIREN, created="2026-08-20")
    invoice = receive(world, issue_date=datetime.date(2026, 9, 1))
    assert open_kinds(invoice) == [Kind.BEING_CREATED]
    assert "20/08/2026" in invoice.anomalies.get().detail


def test_unknown_to_sirene_but_the_invoice_says_being_created(world, registry):
    invoice = receive(world, legal_information="SAS en cours d'immatriculation au RCS de Paris")
    assert open_kinds(invoice) == [Kind.BEING_CREATED]


def test_invoice_for_another_company(world, registry):
    registry.company(SUPPLIER_SIREN)
    invoice = receive_file(world.active, "f.xml", purchase_cii("552100554")).invoice
    run_controls.enqueue(invoice.pk)
    anomaly = invoice.anomalies.get()
    assert anomaly.kind == Kind.NOT_FOR_THIS_DOSSIER and "552100554" in anomaly.detail
    assert anomaly.get_kind_display() == "Facture non destinée à ce dossier"


def test_incomplete_invoice_keeps_the_engine_errors_and_says_so_plainly(world, registry):
    registry.company(SUPPLIER_SIREN)
    data = purchase_cii(world.active.siren).replace(b"<ram:TypeCode>380</ram:TypeCode>",
                                                    b"<ram:TypeCode>999</ram:TypeCode>")
    invoice = receive_file(world.active, "f.xml", data).invoice
    run_controls.enqueue(invoice.pk)
    anomaly = invoice.anomalies.get(kind=Kind.INCOMPLETE)
    rules = [error["rule"] for error in invoice.validation["errors"]]
    assert rules and anomaly.data["errors"] == invoice.validation["errors"]  # shown grouped on the invoice page
    assert not any(rule in anomaly.text for rule in rules)
    assert anomaly.text.startswith(f"La facture n'a pas passé la validation : {len(rules)} erreur(s)")
    with translation.override("en"):
        assert anomaly.text.startswith("The invoice failed validation")


def test_unidentified_supplier(world, registry):
    invoice = receive(world, seller_siren=None, seller_vat="")
    assert Kind.UNIDENTIFIED_SUPPLIER in open_kinds(invoice)
    assert not registry.stub.requests, "nothing to ask the registry about"


def test_a_foreign_supplier_with_a_vat_number_is_identified_and_not_asked_to_sirene(world, registry):
    invoice = receive(world, seller_siren=None, seller_vat="DE136695976")
    assert Kind.UNIDENTIFIED_SUPPLIER not in open_kinds(invoice)
    assert not registry.stub.requests


def test_a_vat_number_with_a_wrong_check_does_not_identify_the_supplier(world, registry):
    invoice = receive(world, seller_siren=None, seller_vat="DE123456789")
    assert Kind.UNIDENTIFIED_SUPPLIER in open_kinds(invoice)


def test_registry_outage_leaves_a_pending_check_resolved_on_retry(world, registry):
    registry.company(SUPPLIER_SIREN)
    registry.liquidation(SUPPLIER_SIREN)
    registry.down = True
    invoice = receive(world)
    pending = invoice.anomalies.get()
    assert pending.kind == Kind.REGISTRY_PENDING and not pending.blocking
    assert not invoice.needs_decision and not Task.objects.filter(invoice=invoice).exists()
    call_command("retry_checks")  # still down: stays pending
    assert open_kinds(invoice) == [Kind.REGISTRY_PENDING]
    registry.down = False
    call_command("retry_checks")
    pending.refresh_from_db()
    invoice.refresh_from_db()
    assert pending.resolved_at is not None
    assert open_kinds(invoice) == [Kind.INSOLVENCY] and invoice.needs_decision


def test_registry_timeout_is_an_outage(world, registry, settings):
    import time

    settings.REGISTRY_TIMEOUT = 0.2
    registry.stub.route("GET", "/search", lambda query, body: (time.sleep(0.6), (200, {}))[1])
    invoice = receive(world)
    assert open_kinds(invoice) == [Kind.REGISTRY_PENDING]


def test_answers_are_cached_across_invoices_of_one_supplier(world, registry):
    registry.company(SUPPLIER_SIREN)
    receive(world, number="C-1")
    asked = len(registry.stub.requests)
    receive(world, number="C-2")
    assert len(registry.stub.requests) == asked


def test_controls_run_twice_open_nothing_twice(world, registry):
    invoice = receive(world)
    run_controls.enqueue(invoice.pk)
    assert invoice.anomalies.count() == 1 and Task.objects.filter(invoice=invoice).count() == 1


def test_an_unreachable_registry_never_fails_the_upload(world, registry, settings, django_capture_on_commit_callbacks):
    settings.REGISTRY_RECHERCHE_URL = "http://127.0.0.1:9"  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        incoming = receive_file(world.active, "f.xml", purchase_cii(world.active.siren))
    assert incoming.outcome == "accepted"
    assert open_kinds(incoming.invoice) == [Kind.REGISTRY_PENDING]


@pytest.mark.parametrize("auto", [True, False])
def test_auto_approval_of_clean_invoices(world, registry, auto):
    world.active.auto_approve = auto
    world.active.save()
    registry.company(SUPPLIER_SIREN)
    invoice = receive(world)
    event = invoice.events.last()
    if auto:
        assert (event.status, event.actor, event.party) == (205, None, "buyer") and invoice.approved_at
        assert event.message is not None
    else:
        assert event.status == 203 and invoice.approved_at is None


def test_auto_approval_skips_an_invoice_with_an_anomaly(world, registry):
    world.active.auto_approve = True
    world.active.save()
    invoice = receive(world)  # absent from SIRENE
    assert invoice.lifecycle_status == 203 and invoice.needs_decision


def test_auto_approval_waits_for_a_pending_check(world, registry):
    world.active.auto_approve = True
    world.active.save()
    registry.company(SUPPLIER_SIREN)
    registry.down = True
    invoice = receive(world)
    assert invoice.lifecycle_status == 203
    registry.down = False
    call_command("retry_checks")
    invoice.refresh_from_db()
    assert invoice.lifecycle_status == 205


def test_a_pending_check_schedules_its_retry_on_a_deferring_backend(world, registry, settings):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    registry.down = True
    invoice = receive_file(world.active, "f.xml", purchase_cii(world.active.siren)).invoice
    run_controls.call(invoice.pk)
    retry = DBTaskResult.objects.get(task_path__endswith="retry_registry_check")
    assert retry.run_after > timezone.now() + datetime.timedelta(seconds=30)
    assert retry.args_kwargs["args"] == [invoice.pk]


def test_absent_from_sirene_e_mails_the_assigned_staff(world, registry, mailbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invoice = receive(world)
    assert invoice.anomalies.get().kind == Kind.NOT_IN_SIRENE
    staff_mail = [m for m in mailbox.messages if "cabinet-a" in m["To"]]
    assert [m["To"] for m in staff_mail] == [world.user("staff_assigned").email], \
        "the assigned staff member with the delegation, not the one without"
    body = mailbox.body(staff_mail[0])
    assert "absente de la base SIRENE" in staff_mail[0]["Subject"] and SUPPLIER_SIREN in body
    assert invoice.number in body and world.active.name in body
    # Only the firm can clear it: the client is told the invoice arrived, not of the anomaly.
    [client_mail] = mailbox.to(world.user("client").email)
    assert "SIRENE" not in client_mail["Subject"]


def test_other_anomalies_are_told_to_the_client_too(world, registry, mailbox, django_capture_on_commit_callbacks):
    registry.company(SUPPLIER_SIREN, closed=True)
    with django_capture_on_commit_callbacks(execute=True):
        receive(world)
    assert any("Entreprise fermée" in m["Subject"] for m in mailbox.to(world.user("client").email))
    assert ["Entreprise fermée" in m["Subject"] for m in mailbox.to(world.user("staff_assigned").email)] == [True]


@pytest.mark.parametrize("settle", ["approved", "refused", "exported"])
def test_a_check_answered_after_the_decision_informs_without_reopening_the_invoice(
        world, registry, mailbox, django_capture_on_commit_callbacks, settle):
    """The registry was down at receipt; the client decided meanwhile; the late answer changes no decision."""
    from django.utils import timezone

    from facturier.invoices.decisions import decide
    from facturier.invoices.models import Invoice
    from facturier.invoices.worklists import action_required_condition

    registry.down = True
    invoice = receive(world)  # absent from SIRENE once the registry answers
    if settle == "refused":
        decide(invoice, world.user("client"), 210, reason_code="DOUBLE_FACT")
    else:
        decide(invoice, world.user("client"), 205)
    if settle == "exported":
        Invoice.objects.filter(pk=invoice.pk).update(integrated_at=timezone.now())
    invoice.refresh_from_db()
    status = invoice.lifecycle_status

    registry.down = False
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retry_checks")

    invoice.refresh_from_db()
    finding = invoice.anomalies.get(kind=Kind.NOT_IN_SIRENE)
    assert not finding.blocking and finding.data["after_decision"]
    assert finding.detail.startswith("Constaté après la décision du ") and SUPPLIER_SIREN in finding.detail
    assert invoice.lifecycle_status == status and not invoice.needs_decision
    assert not Task.objects.filter(invoice=invoice, done_at__isnull=True).exists()
    assert not Invoice.objects.filter(action_required_condition(), pk=invoice.pk).exists()
    assert [m["To"] for m in mailbox.messages] == [world.user("staff_assigned").email]  # the staff are told
    assert "Constaté après la décision" in mailbox.body(mailbox.messages[0])
