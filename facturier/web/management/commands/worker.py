from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from facturier.web.workers import watch_abandoned_tasks


class Command(BaseCommand):
    help = "Run background tasks (database queue by default, Redis when FACTURIER_TASKS=rq)."

    def handle(self, *args, **options):
        if settings.TASKS_BACKEND == "database":
            watch_abandoned_tasks()
            call_command("db_worker")
        elif settings.TASKS_BACKEND == "rq":
            # settings.RQ makes it a facturier.web.workers.RQWorker, which reruns abandoned jobs.
            call_command("rqworker", "default", with_scheduler=True)
        else:
            raise CommandError("FACTURIER_TASKS=immediate runs tasks inline: there is nothing for a worker to do.")
