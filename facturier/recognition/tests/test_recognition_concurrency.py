"""Two confirmations of one recognised invoice at the same moment (two tabs, two servers): one invoice (PostgreSQL)."""

import random
import threading

import pytest
from django.db import connection, connections

from einvoice.recognition.specimens import make_specimen, render_pdf
from facturier.invoices.models import Invoice
from facturier.invoices.receiving.intake import receive_file
from facturier.recognition import service
from facturier.recognition.forms import ConfirmForm
from facturier.recognition.models import Recognition
from facturier.testing.world import build_world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("offline_registry")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_concurrent_confirmations_file_one_invoice():
    world = build_world()
    specimen = make_specimen(random.Random(12), layout="classique", lines=2)
    incoming = receive_file(world.active, "facture.pdf", render_pdf(specimen))  # committed: the reading ran
    recognition = Recognition.objects.get(incoming=incoming)
    form = ConfirmForm(service.draft_values(recognition))
    assert form.is_valid(), form.errors
    start, outcomes, errors = threading.Barrier(3), [], []

    def confirm():
        try:
            start.wait()
            confirmed = service.confirm(Recognition.objects.get(pk=recognition.pk), form.cleaned_data, by=None)
            outcomes.append(confirmed.state if confirmed else None)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes, key=str) == [None, None, "confirmed"]
    assert Invoice.objects.filter(dossier=world.active).count() == 1
