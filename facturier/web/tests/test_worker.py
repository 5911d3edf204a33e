"""A task interrupted by a killed worker runs again, on both queues, with real workers."""

import datetime
import os
import signal
import subprocess
import sys
import time

import pytest
import redis
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from facturier.testing.servers import SMTPServer
from facturier.web.workers import MAX_ATTEMPTS, requeue_abandoned_tasks

ABANDONED_AFTER = 3  # seconds
REDIS_URL = "redis://127.0.0.1:6379/13"


def facturier(env, *args):
    return subprocess.run([sys.executable, "-m", "facturier", *args], env=env, capture_output=True, text=True,
                          check=True, timeout=120).stdout


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def database_queue(tmp_path, transactional_db):
    """Environment of `facturier` processes sharing this test's database."""
    env = dict(os.environ, FACTURIER_DATA_DIR=str(tmp_path), FACTURIER_TASKS="database",
               FACTURIER_TASKS_ABANDONED_AFTER=str(ABANDONED_AFTER))
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:  # the test's SQLite database lives in memory: the processes share a file of their own
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'facturier.sqlite3'}"
        facturier(env, "migrate", "--verbosity", "0")
    return env


@pytest.fixture
def redis_queue(tmp_path):
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    yield dict(os.environ, FACTURIER_DATA_DIR=str(tmp_path), FACTURIER_TASKS="rq", FACTURIER_REDIS_URL=REDIS_URL,
               FACTURIER_TASKS_ABANDONED_AFTER=str(ABANDONED_AFTER))
    client.flushdb()


@pytest.fixture
def start_worker(tmp_path):
    """Start `facturier worker` processes, each in a process group of its own."""
    started = []

    def start(env):
        log = (tmp_path / f"worker-{len(started)}.log").open("w")
        process = subprocess.Popen([sys.executable, "-m", "facturier", "worker"], env=env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.mark.parametrize("queue", ["database_queue", "redis_queue"])
def test_a_task_whose_worker_is_killed_mid_run_runs_again_to_completion(queue, request, tmp_path, start_worker):
    env = request.getfixturevalue(queue)
    runs = tmp_path / "runs.txt"
    enqueue = f"from facturier.testing.tasks import note_runs; print(note_runs.enqueue({str(runs)!r}).id)"
    task_id = facturier(env, "shell", "-c", enqueue).split()[-1]

    first_worker_started = time.time()
    first_worker = start_worker(env)
    wait_for(lambda: runs.exists() and "started" in runs.read_text(), 60, "the first run")
    # The host is lost: the worker, and the RQ work horse (its own process group), die at once.
    running_pid = int(runs.read_text().split()[1])
    os.killpg(first_worker.pid, signal.SIGKILL)
    if running_pid != first_worker.pid:
        os.kill(running_pid, signal.SIGKILL)
    first_worker.wait()

    start_worker(env)
    wait_for(lambda: runs.read_text().endswith("done\n"), 180, "the second run")  # a loaded CI host starts slowly

    lines = runs.read_text().splitlines()
    assert [line.split()[0] for line in lines] == ["started", "started", "done"]
    # The job's last sign of life (RQ's heartbeat as it hands the job over, the database's
    # started_at) comes after its worker started but may precede the task's own first line.
    second_start = float(lines[1].split()[2])
    assert second_start - first_worker_started >= ABANDONED_AFTER
    get_status = f"from django_tasks import default_task_backend as b; print(b.get_result({task_id!r}).status)"
    status = facturier(env, "shell", "-c", get_status).split()[-1]
    assert status == "SUCCESSFUL"


def running_task(started_minutes_ago, runs):
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, args_kwargs={"args": [], "kwargs": {}}, backend_name="default",
        task_path="facturier.testing.tasks.note_runs", run_after=timezone.now(),
        started_at=timezone.now() - datetime.timedelta(minutes=started_minutes_ago),
        worker_ids=[f"worker-{n}" for n in range(runs)],
    )


@pytest.mark.django_db
def test_only_tasks_running_past_the_timeout_are_queued_again(settings):
    settings.TASKS_ABANDONED_AFTER = 600
    abandoned, recent = running_task(11, runs=1), running_task(9, runs=1)

    assert requeue_abandoned_tasks() == 1

    abandoned.refresh_from_db(), recent.refresh_from_db()
    assert abandoned.status == TaskResultStatus.READY
    assert recent.status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_a_task_whose_workers_die_on_each_run_ends_failed(settings):
    settings.TASKS_ABANDONED_AFTER = 600
    poison = running_task(11, runs=MAX_ATTEMPTS)

    assert requeue_abandoned_tasks() == 0

    poison.refresh_from_db()
    assert poison.status == TaskResultStatus.FAILED
    assert poison.exception_class_path == "facturier.web.workers.TaskAbandoned"


STUCK_FILE = """
import datetime
import os
from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from facturier.invoices.models import IncomingFile
from facturier.invoices.receiving.intake import receive_file_later
from facturier.invoices.receiving.tests.receiving_samples import purchase_cii
from facturier.testing.world import build_world

dossier = build_world().active
incoming = receive_file_later(dossier, "f.xml", purchase_cii(dossier.siren))
# Its task lost (a row purged, a Redis flushed): the file stays pending.
DBTaskResult.objects.all().delete()
if settings.TASKS_BACKEND == "rq":
    import redis
    redis.Redis.from_url(os.environ["FACTURIER_REDIS_URL"]).flushdb()
IncomingFile.objects.filter(pk=incoming.pk).update(
    analysis_queued_at=timezone.now() - datetime.timedelta(hours=1))
print(incoming.pk)
"""
FILE_STATE = """
from facturier.invoices.models import IncomingFile, Invoice
incoming = IncomingFile.objects.get(pk={pk})
print(incoming.outcome, incoming.analysis_runs, Invoice.objects.count())
"""


@pytest.mark.parametrize("queue", ["database", "rq"])
def test_a_file_left_in_analysis_is_read_again_once_with_two_workers(queue, database_queue, request, tmp_path,
                                                                    start_worker):
    """Both workers sweep as they start, at the same moment: the file is queued again once, read once."""
    registry = tmp_path / "registry.json"
    registry.write_text('{"100000009": {"name": "VENDEUR SARL", "status": "active", "created_on": "2001-01-01"}}')
    # Tasks are not taken for abandoned while the file is read (a cold reading takes seconds).
    env = dict(database_queue, FACTURIER_ANALYSIS_TIMEOUT="60", FACTURIER_TASKS_ABANDONED_AFTER="600",
               FACTURIER_REGISTRY_FILE=str(registry))
    if queue == "rq":  # the tasks on Redis, the files in the same database
        redis_env = request.getfixturevalue("redis_queue")
        env.update(FACTURIER_TASKS="rq", FACTURIER_REDIS_URL=redis_env["FACTURIER_REDIS_URL"])
    pk = facturier(env, "shell", "-c", STUCK_FILE).split()[-1]

    def file_state():
        return facturier(env, "shell", "-c", FILE_STATE.format(pk=pk)).splitlines()[-1].split()

    assert file_state() == ["pending", "1", "0"]

    workers = [start_worker(env), start_worker(env)]
    wait_for(lambda: file_state()[0] != "pending", 120, "the file to be read")

    assert file_state() == ["accepted", "2", "1"]
    for worker in workers:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    logs = "".join((tmp_path / f"worker-{n}.log").read_text() for n in range(2))
    assert logs.count("still pending 60 s after its reading was queued: queued again") == 1, logs


def test_a_server_running_tasks_itself_reads_again_a_file_left_in_analysis(database_queue, tmp_path):
    """The demo has no worker: `facturier serve` with in-process tasks sweeps the files a stopped server left."""
    registry = tmp_path / "registry.json"
    registry.write_text('{"100000009": {"name": "VENDEUR SARL", "status": "active", "created_on": "2001-01-01"}}')
    env = dict(database_queue, FACTURIER_ANALYSIS_TIMEOUT="60", FACTURIER_REGISTRY_FILE=str(registry))
    pk = facturier(env, "shell", "-c", STUCK_FILE).split()[-1]

    def file_state():
        return facturier(env, "shell", "-c", FILE_STATE.format(pk=pk)).splitlines()[-1].split()

    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "facturier", "serve", "--port", "0"],
                              env=dict(env, FACTURIER_TASKS="immediate"), stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        wait_for(lambda: file_state()[0] != "pending", 120, "the file to be read")
        assert file_state() == ["accepted", "2", "1"]
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


LOST_DELIVERY = """
import datetime
from django.utils import timezone
from facturier.exchange.tests.support import customer, ready_to_issue
from facturier.exchange.tests.test_sweep import issued_without_task
from facturier.invoices.models import LifecycleEvent
from facturier.testing.world import build_world

dossier = build_world().active
ready_to_issue(dossier)
invoice = issued_without_task(dossier, customer(dossier, email="compta@acheteur.example"))
# Issued an hour ago by a server that died before queuing its delivery.
LifecycleEvent.objects.filter(invoice=invoice).update(at=timezone.now() - datetime.timedelta(hours=1))
print(invoice.pk)
"""
DELIVERIES = "from facturier.exchange.models import Delivery; print(list(Delivery.objects.values_list('state')))"


def test_an_invoice_whose_delivery_task_was_lost_is_delivered_once_by_two_workers(database_queue, tmp_path,
                                                                                   start_worker):
    registry = tmp_path / "registry.json"
    registry.write_text('{"552100554": {"name": "Acheteur SA", "status": "active", "created_on": "2001-01-01"}}')
    with SMTPServer() as smtp:
        env = dict(database_queue, FACTURIER_REGISTRY_FILE=str(registry), FACTURIER_SMTP_HOST="127.0.0.1",
                   FACTURIER_SMTP_PORT=str(smtp.port), FACTURIER_DELIVERY_GRACE_SECONDS="60")
        facturier(env, "shell", "-c", LOST_DELIVERY)

        def deliveries():
            return facturier(env, "shell", "-c", DELIVERIES).splitlines()[-1]

        assert deliveries() == "[]"

        start_worker(env), start_worker(env)
        wait_for(lambda: "sent" in deliveries(), 120, "the invoice to be delivered")
        time.sleep(2)  # the other worker's sweep has run too

        assert deliveries() == "[('sent',)]"
        assert [message["To"] for message in smtp.mailbox.messages] == ["compta@acheteur.example"]
