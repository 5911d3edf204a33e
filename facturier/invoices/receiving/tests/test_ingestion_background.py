"""Uploaded files are read by the worker: the upload answers at once and the page follows the reading."""

import os
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from facturier.invoices.models import IncomingFile, Invoice
from facturier.invoices.receiving.intake import analyse_pending, receive_file_later
from facturier.invoices.receiving.tests.receiving_samples import (
    purchase_cii,
    purchase_ubl,
)
from facturier.testing.concurrency import at_once
from facturier.testing.world import build_world, sign_in

pytestmark = [pytest.mark.usefixtures("offline_registry")]
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queued(settings):
    """Tasks wait in the database queue for a worker, as in production."""
    settings.TASKS = DATABASE_QUEUE


def run_worker():
    """Run the queued tasks as the worker does (its command closes the test's connection)."""
    for queued_task in DBTaskResult.objects.ready().order_by("enqueued_at"):
        queued_task.task.call(*queued_task.args_kwargs["args"], **queued_task.args_kwargs["kwargs"])
        queued_task.delete()


@pytest.mark.django_db
def test_the_upload_answers_before_the_file_is_read(client, world, queued):
    sign_in(client, world, "client")
    url = reverse("receiving:upload", args=[world.active.pk])
    data = purchase_cii(world.active.siren)

    response = client.post(url, {"files": [SimpleUploadedFile("f.xml", data)]})

    page = response.content.decode()
    incoming = IncomingFile.objects.get()
    assert response.status_code == 200 and incoming.outcome == "pending" and not Invoice.objects.exists()
    assert incoming.archived.sha256 == incoming.sha256 and incoming.size == len(data)  # kept whatever happens
    assert "En cours d&#x27;analyse" in page and 'http-equiv="refresh"' in page and "<script>" not in page
    assert [task.task_path for task in DBTaskResult.objects.all()] == [
        "facturier.invoices.receiving.tasks.analyse_file"]

    run_worker()

    incoming.refresh_from_db()
    assert incoming.outcome == "accepted" and incoming.invoice.number == "F2026-0042"
    page = client.get(url).content.decode()
    assert "Acceptée" in page and 'http-equiv="refresh"' not in page


@pytest.mark.django_db
def test_a_pending_file_is_read_once(world, queued):
    incoming = receive_file_later(world.active, "f.xml", purchase_cii(world.active.siren))
    run_worker()
    assert analyse_pending(incoming.pk) is None  # a second run of the task finds nothing to do
    assert IncomingFile.objects.get().outcome == "accepted" and Invoice.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.parametrize("round_", range(3))
def test_two_identical_files_read_at_once_give_one_invoice_and_a_duplicate(settings, round_):
    settings.TASKS = DATABASE_QUEUE
    dossier = build_world().active
    pending = [receive_file_later(dossier, name, data).pk for name, data in (
        ("a.xml", purchase_cii(dossier.siren)), ("b.xml", purchase_ubl(dossier.siren)))]

    results, errors = at_once(lambda index: analyse_pending(pending[index]).outcome, 2)

    assert errors == []
    assert sorted(results) == ["accepted", "duplicate"]
    assert sorted(IncomingFile.objects.values_list("outcome", flat=True)) == ["accepted", "duplicate"]
    assert Invoice.objects.count() == 1


def test_the_file_size_limit_is_set_in_megabytes_from_the_environment(tmp_path):
    probe = ("import django; django.setup(); from facturier.invoices.receiving.intake import max_file_bytes; "
             "print(max_file_bytes())")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="facturier.settings", FACTURIER_DATA_DIR=str(tmp_path),
               FACTURIER_MAX_FILE_MB="3")
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.split()[-1] == str(3 * 1024 * 1024)
