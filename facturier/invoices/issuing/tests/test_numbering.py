"""Numbers per dossier and year: continuous, unique, safe when people issue at the same moment."""

import threading

import pytest
from django.db import connection, transaction

from facturier.exchange.tests.support import customer, draft
from facturier.invoices.issuing import issue as issuing
from facturier.invoices.issuing.numbering import format_number, next_number
from facturier.invoices.models import Invoice, InvoiceState, NumberSequence

THREADS = 4
PER_THREAD = 3


def test_numbers_follow_each_other_per_dossier_and_year(seller_world):
    active, own = seller_world.active, seller_world.own
    with transaction.atomic():
        assert next_number(active, 2026) == "F2026-00001"
        assert next_number(active, 2026) == "F2026-00002"
        assert next_number(active, 2027) == "F2027-00001"
        assert next_number(own, 2026) == "F2026-00001"


@pytest.mark.django_db(transaction=True)
def test_a_number_is_only_taken_inside_the_issuing_transaction(seller_world):
    with pytest.raises(RuntimeError):
        next_number(seller_world.active, 2026)


def test_a_failed_issue_gives_its_number_back(seller_world):
    def issue_then_fail():
        with transaction.atomic():
            next_number(seller_world.active, 2026)
            raise ValueError("the archive failed")

    with pytest.raises(ValueError, match="the archive failed"):
        issue_then_fail()
    with transaction.atomic():
        assert next_number(seller_world.active, 2026) == "F2026-00001"


def test_format():
    assert format_number("F", 2026, 42) == "F2026-00042"


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the in-memory SQLite test database locks whole tables between connections")
@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_gives_gapless_unique_numbers(seller_world, settings):
    settings.EXCHANGE_CHANNELS = []  # delivery is not what this test is about
    buyer = customer(seller_world.active, output_format="cii")
    drafts = [issuing.save_draft(seller_world.active, draft(buyer), customer=buyer)
              for _ in range(THREADS * PER_THREAD)]
    start = threading.Barrier(THREADS)
    errors = []

    def work(mine):
        try:
            start.wait()
            for invoice in mine:
                issuing.issue(Invoice.objects.get(pk=invoice.pk))
        except Exception as error:  # reported below: a thread's exception would otherwise vanish
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(drafts[i::THREADS],)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Invoice.objects.filter(state=InvoiceState.ISSUED).values_list("number", flat=True))
    assert numbers == [format_number("F", 2026, n) for n in range(1, THREADS * PER_THREAD + 1)]
    assert NumberSequence.objects.get(dossier=seller_world.active, year=2026).last_value == THREADS * PER_THREAD
