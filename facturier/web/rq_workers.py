"""The RQ worker and exception handler that rerun the jobs a dead worker left (``FACTURIER_TASKS=rq``).

Apart from ``workers`` so that a worker on the database queue runs on an install
without the ``rq`` extra.
"""

import logging

from django.conf import settings
from rq import Worker
from rq.exceptions import AbandonedJobError

from facturier.web.workers import MAX_ATTEMPTS

logger = logging.getLogger(__name__)


class RQWorker(Worker):
    """RQ's worker, with ``TASKS_ABANDONED_AFTER`` as its definition of a dead job.

    RQ keeps a job in the queue's StartedJobRegistry while its worker sends
    heartbeats; once they stop, the registry cleanup that workers run every
    ``maintenance_interval`` hands the job to the exception handlers (see
    ``rerun_abandoned_job``). RQ's own heartbeat lifetime adds a fixed minute and
    cleans every ten minutes; these follow the platform's setting instead.
    """

    def __init__(self, *args, **kwargs):
        after = settings.TASKS_ABANDONED_AFTER
        # An idle worker wakes every dequeue timeout (worker_ttl - 15) to run its maintenance.
        kwargs.update(job_monitoring_interval=max(1, after // 3), maintenance_interval=after, worker_ttl=after + 15)
        super().__init__(*args, **kwargs)

    def get_heartbeat_ttl(self, job, working_time=0.0):
        return settings.TASKS_ABANDONED_AFTER


def rerun_abandoned_job(job, exc_type, exc_value, traceback):
    """RQ exception handler: give a job abandoned by its worker another run.

    RQ calls it from StartedJobRegistry.cleanup before deciding between retrying
    the job (when it has retries left) and failing it; an ordinary exception
    raised by a task is left alone.
    """
    if exc_type is AbandonedJobError:
        runs = job.meta.get("runs_abandoned", 0) + 1
        job.meta["runs_abandoned"] = runs
        if runs < MAX_ATTEMPTS:
            job.retries_left = (job.retries_left or 0) + 1
            logger.warning("Job %s left by a stopped worker: queued again", job.id)
    return True
