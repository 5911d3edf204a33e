"""Two people approving one invoice at the same moment: one decision recorded (PostgreSQL)."""

import pytest
from django.db import connection

from facturier.invoices.decisions import DecisionError, decide
from facturier.invoices.models import LifecycleEvent
from facturier.invoices.receiving.intake import receive_file
from facturier.invoices.receiving.tests.receiving_samples import (
    purchase_cii,
)
from facturier.testing.concurrency import at_once
from facturier.testing.world import build_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("offline_registry"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]


@pytest.mark.parametrize("round_", range(3))
def test_concurrent_approvals_record_one_event(round_):
    world = build_world()
    invoice = receive_file(world.active, "f.xml", purchase_cii(world.active.siren)).invoice
    people = [world.user("client"), world.user("staff_assigned")]

    results, errors = at_once(lambda index: decide(invoice, people[index % 2], 205), 4)

    assert len(results) == 1
    assert len(errors) == 3 and all(isinstance(error, DecisionError) for error in errors)
    assert LifecycleEvent.objects.filter(invoice=invoice, status=205).count() == 1
    invoice.refresh_from_db()
    assert invoice.lifecycle_status == 205


def test_concurrent_bulk_approvals_decide_each_invoice_once():
    """The same selection approved from two tabs at once (or a double click): one event per invoice."""
    from facturier.invoices.decisions import decide_many

    world = build_world()
    invoices = [receive_file(world.active, f"f{n}.xml", purchase_cii(world.active.siren, number=f"F-{n}")).invoice
                for n in range(3)]
    people = [world.user("client"), world.user("staff_assigned")]

    outcomes, errors = at_once(lambda index: decide_many(invoices, people[index % 2], 205), 4)

    assert errors == []
    assert sum(len(outcome.decided) for outcome in outcomes) == 3
    assert LifecycleEvent.objects.filter(invoice__in=invoices, status=205).count() == 3


def test_concurrent_bulk_payments_record_each_sales_invoice_paid_once():
    """"Marquer encaissées" on the same sales invoices from two tabs at once: one 212 per invoice."""
    from facturier.invoices.decisions import decide_many
    from facturier.invoices.models import Direction
    from facturier.invoices.tests.screens_data import make_invoice

    world = build_world()
    invoices = [make_invoice(world.active, Direction.SALES, number=f"V-{n}", lifecycle_status=203)
                for n in range(3)]

    outcomes, errors = at_once(lambda index: decide_many(invoices, world.user("client"), 212), 4)

    assert errors == []
    assert sum(len(outcome.decided) for outcome in outcomes) == 3
    assert sum(len(outcome.refused) for outcome in outcomes) == 9
    assert LifecycleEvent.objects.filter(invoice__in=invoices, status=212).count() == 3
