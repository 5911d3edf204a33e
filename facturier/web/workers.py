"""Tasks left behind by a dead worker run again.

A worker killed mid-task (``kill -9``, out of memory, a host lost) leaves its task
marked as running, and neither queue ever looks at it again: django-tasks-db has no
notion of a stale task, and RQ moves an abandoned job to its failed registry. After
``TASKS_ABANDONED_AFTER`` seconds without news the task is queued again, up to
``MAX_ATTEMPTS`` runs in all, so a task that kills its worker each time (a memory
bomb) ends failed instead of taking the workers down in turn.

The Redis side (an optional extra) lives in ``rq_workers``.

Running a task again is safe because the platform's tasks are idempotent: each one
re-reads the state it acts on and skips the work already done.

Beyond the queues, the worker runs periodic sweeps (``watch_periodic_work``): the
received files still "being analysed" ``INVOICE_ANALYSIS_TIMEOUT`` seconds after
their reading was queued (a task failed, given up, or lost with its Redis) are
queued again (``facturier.invoices.receiving.intake.requeue_stuck_files``), as are
the unstructured invoices still being read (``facturier.recognition.service``) and
the mail messages the listener accepted and no worker processed within
``MAILBOX_PROCESSING_TIMEOUT`` seconds (``facturier.mailbox.delivery.requeue_stuck``);
it pulls the incoming flows of the dossiers connected to an accredited platform
(``facturier.accredited.receiving.pull.pull_all``), builds the e-reporting reports
of the periods that close (``facturier.ereporting.schedule``) and erases the
received files that were not invoices once their short term is over
(``facturier.archive.held``), and delivers the issued invoices and statuses whose
delivery task was lost (``facturier.exchange.delivery.sweep_undelivered``).
"""

import datetime
import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from facturier.accredited.receiving.pull import pull_all
from facturier.archive.held import purge_expired
from facturier.ereporting.schedule import sweep as ereporting_sweep
from facturier.exchange.delivery import sweep_undelivered
from facturier.invoices.receiving.intake import requeue_stuck_files
from facturier.mailbox.delivery import requeue_stuck as requeue_stuck_messages
from facturier.recognition.service import requeue_stuck_recognitions

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
HELD_FILES_SWEEP_SECONDS = 3600


class TaskAbandoned(Exception):
    """Recorded as the error of a database task whose workers died on each attempt."""


def requeue_abandoned_tasks():
    """Put back in the database queue the tasks running for longer than the timeout.

    The database queue keeps no heartbeat: a task counts as abandoned once it has
    been running for ``TASKS_ABANDONED_AFTER`` seconds, which must therefore exceed
    the longest run of a task. Each row is updated only if it is still the same run
    (same ``started_at``), so two workers sweeping at once, or a task claimed again
    meanwhile, never double a run. Returns how many tasks were queued again.
    """
    now = timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.TASKS_ABANDONED_AFTER)
    requeued = 0
    for result in DBTaskResult.objects.running().filter(started_at__lt=cutoff):
        same_run = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING,
                                               started_at=result.started_at)
        if len(result.worker_ids) >= MAX_ATTEMPTS:
            same_run.update(status=TaskResultStatus.FAILED, finished_at=now,
                            exception_class_path=f"{__name__}.{TaskAbandoned.__qualname__}",
                            traceback=f"Its worker stopped during each of {len(result.worker_ids)} runs.")
            logger.warning("Task %s (%s) abandoned after %s runs", result.pk, result.task_path, len(result.worker_ids))
        elif same_run.update(status=TaskResultStatus.READY):
            requeued += 1
            logger.warning("Task %s (%s) left by a stopped worker: queued again", result.pk, result.task_path)
    return requeued


def watch(sweep, every):
    """Run ``sweep()`` every ``every`` seconds in a daemon thread of the worker; a failed sweep is logged."""

    def sweep_forever():
        while True:
            try:
                sweep()
            except Exception:
                logger.exception("%s failed; trying again later", sweep.__name__)
            finally:
                close_old_connections()
            time.sleep(every)

    thread = threading.Thread(target=sweep_forever, name=sweep.__name__, daemon=True)
    thread.start()
    return thread


def watch_abandoned_tasks():
    """Sweep the database queue for abandoned tasks."""
    return watch(requeue_abandoned_tasks, every=max(1, settings.TASKS_ABANDONED_AFTER / 2))


def watch_stuck_files():
    """Sweep the received files left "being analysed" (either queue: a task can be lost on both)."""
    return watch(requeue_stuck_readings, every=max(1, settings.INVOICE_ANALYSIS_TIMEOUT / 2))


def requeue_stuck_readings():
    """Received files and unstructured invoices whose reading never finished, queued again; how many."""
    return requeue_stuck_files() + requeue_stuck_recognitions()


def watch_incoming_flows():
    """Pull the connected dossiers' accredited platforms every ``ACCREDITED_PULL_INTERVAL`` seconds (0: never)."""
    if settings.ACCREDITED_PULL_INTERVAL <= 0:
        return None
    return watch(pull_all, every=settings.ACCREDITED_PULL_INTERVAL)


def watch_ereporting():
    """Build the reports of closed periods, send again, follow acknowledgements (either queue)."""
    return watch(ereporting_sweep, every=max(1, settings.EREPORTING_SWEEP_SECONDS))


def watch_held_files():
    """Erase, every hour, the held files past their term (nothing is late by more than that)."""
    return watch(purge_expired, every=HELD_FILES_SWEEP_SECONDS)


def watch_stuck_messages():
    """Sweep the mail messages accepted by the listener and still waiting for the worker."""
    return watch(requeue_stuck_messages, every=max(1, settings.MAILBOX_PROCESSING_TIMEOUT / 2))


def watch_undelivered():
    """Deliver, twice per ``DELIVERY_GRACE_SECONDS``, what was issued or recorded and never handed to a task."""
    return watch(sweep_undelivered, every=max(1, settings.DELIVERY_GRACE_SECONDS / 2))


def watch_periodic_work():
    """Start the sweeps every worker runs, and the demo server too, which has no worker beside it."""
    watch_stuck_files()
    watch_incoming_flows()
    watch_ereporting()
    watch_held_files()
    watch_stuck_messages()
    watch_undelivered()
