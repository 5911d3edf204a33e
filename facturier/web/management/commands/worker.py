from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from facturier.web.workers import watch_abandoned_tasks, watch_stuck_files, watch_stuck_messages


class Command(BaseCommand):
    help = "Run background tasks (database queue by default, Redis when FACTURIER_TASKS=rq)."

    def handle(self, *args, **options):
        if settings.TASKS_BACKEND == "immediate":
            raise CommandError("FACTURIER_TASKS=immediate runs tasks inline: there is nothing for a worker to do.")
        watch_stuck_files()
        watch_stuck_messages()
        if settings.TASKS_BACKEND == "database":
            watch_abandoned_tasks()
            call_command("db_worker")
        else:
            # settings.RQ makes it a facturier.web.rq_workers.RQWorker, which reruns abandoned jobs.
            call_command("rqworker", "default", with_scheduler=True)
