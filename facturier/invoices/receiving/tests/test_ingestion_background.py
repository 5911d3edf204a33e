"""Uploaded files are read by the worker: the upload answers at once and the page follows the reading."""

import datetime
import os
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from facturier.archive.held import held_content
from facturier.archive.models import ArchiveRecord, HeldFile, Kind
from facturier.archive.store import open_content
from facturier.invoices.models import IncomingFile, Invoice
from facturier.invoices.receiving import intake
from facturier.invoices.receiving.intake import (
    MAX_ANALYSIS_RUNS,
    analyse_pending,
    receive_file_later,
    requeue_stuck,
    requeue_stuck_files,
    stuck_files,
)
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
def test_the_upload_answers_before_the_file_is_read(client, world, queued, django_capture_on_commit_callbacks):
    sign_in(client, world, "client")
    url = reverse("receiving:upload", args=[world.active.pk])
    data = purchase_cii(world.active.siren)

    response = client.post(url, {"files": [SimpleUploadedFile("f.xml", data)]})

    page = response.content.decode()
    incoming = IncomingFile.objects.get()
    assert response.status_code == 200 and incoming.outcome == "pending" and not Invoice.objects.exists()
    assert incoming.held.sha256 == incoming.sha256 and incoming.size == len(data)  # kept whatever happens
    assert incoming.archived is None and incoming.held.delete_after is None, "not archived before it is read"
    assert "En cours d&#x27;analyse" in page and 'http-equiv="refresh"' in page and "<script>" not in page
    assert [task.task_path for task in DBTaskResult.objects.all()] == [
        "facturier.invoices.receiving.tasks.analyse_file"]

    held_token = incoming.held.token
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()

    incoming.refresh_from_db()
    assert incoming.outcome == "accepted" and incoming.invoice.number == "F2026-0042"
    assert incoming.archived == incoming.invoice.original and open_content(incoming.archived) == data
    assert incoming.held is None and not HeldFile.objects.filter(token=held_token).exists(), "moved, not copied"
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


def backdate(incoming, seconds):
    queued_at = timezone.now() - datetime.timedelta(seconds=seconds)
    IncomingFile.objects.filter(pk=incoming.pk).update(analysis_queued_at=queued_at)


def analyse_tasks():
    return DBTaskResult.objects.filter(task_path="facturier.invoices.receiving.tasks.analyse_file").count()


@pytest.mark.django_db
def test_only_files_pending_past_the_timeout_are_queued_again(world, queued, settings):
    settings.INVOICE_ANALYSIS_TIMEOUT = 900
    stuck = receive_file_later(world.active, "a.xml", purchase_cii(world.active.siren))
    recent = receive_file_later(world.active, "b.xml", purchase_ubl(world.active.siren))
    DBTaskResult.objects.all().delete()  # both tasks lost
    backdate(stuck, 901), backdate(recent, 899)

    assert requeue_stuck_files() == 1
    assert requeue_stuck_files() == 0  # queued again just now: not stuck any more
    assert analyse_tasks() == 1
    run_worker()

    stuck.refresh_from_db(), recent.refresh_from_db()
    assert (stuck.outcome, stuck.analysis_runs, recent.outcome, recent.analysis_runs) == (
        "accepted", 2, "pending", 1)


@pytest.mark.django_db
def test_two_sweeps_that_list_the_same_stuck_file_queue_it_once(world, queued, settings):
    settings.INVOICE_ANALYSIS_TIMEOUT = 900
    incoming = receive_file_later(world.active, "a.xml", purchase_cii(world.active.siren))
    backdate(incoming, 1000)
    now = timezone.now()
    first, second = stuck_files(now), stuck_files(now)  # two workers list it before either acts
    assert first == second and len(first) == 1

    assert [requeue_stuck(first[0], now), requeue_stuck(second[0], now)] == [True, False]
    assert analyse_tasks() == 2  # the upload's own task, and one more


@pytest.mark.django_db
def test_a_file_whose_reading_never_finishes_is_given_up_visibly(client, world, queued, settings):
    settings.INVOICE_ANALYSIS_TIMEOUT = 900
    incoming = receive_file_later(world.active, "a.xml", purchase_cii(world.active.siren))
    IncomingFile.objects.filter(pk=incoming.pk).update(analysis_runs=MAX_ANALYSIS_RUNS)
    backdate(incoming, 1000)

    assert requeue_stuck_files() == 0

    incoming.refresh_from_db()
    assert incoming.outcome == "unreadable" and "3 essais" in incoming.message
    assert incoming.held is not None and incoming.held.delete_after is None and not Invoice.objects.exists()
    sign_in(client, world, "client")
    page = client.get(reverse("receiving:upload", args=[world.active.pk])).content.decode()
    assert "n&#x27;a pas abouti après 3 essais" in page


@pytest.mark.django_db
def test_a_late_reading_never_overwrites_the_outcome_already_recorded(world, queued):
    """A reading that outlived the timeout finishes after the one queued again: it changes nothing."""
    incoming = receive_file_later(world.active, "a.xml", purchase_cii(world.active.siren))
    late = IncomingFile.objects.select_related("dossier", "held").get(pk=incoming.pk)  # read while pending
    data = held_content(late.held)
    run_worker()

    result = intake._analyse(late, data, by=None)

    assert result.outcome == "accepted"
    assert ArchiveRecord.objects.filter(kind=Kind.ORIGINAL_RECEIVED).count() == 1, "archived once"
    assert result.archived == IncomingFile.objects.get().archived
    assert IncomingFile.objects.get().outcome == "accepted" and Invoice.objects.count() == 1
