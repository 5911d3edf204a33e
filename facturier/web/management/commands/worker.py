from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from facturier.web.workers import watch_abandoned_tasks, watch_periodic_work


class Command(BaseCommand):
    help = "Run background tasks (database queue by default, Redis when FACTURIER_TASKS=rq)."

    def add_arguments(self, parser):
        # Read by facturier.cli before Django starts (the links and the registry of `serve --demo`).
        parser.add_argument("--demo", action="store_true", help="Serve a `facturier serve --demo` running beside.")
        parser.add_argument("--port", type=int, default=8000, help="The port of the server it serves (links).")

    def handle(self, *args, **options):
        if settings.TASKS_BACKEND == "immediate":
            raise CommandError("FACTURIER_TASKS=immediate runs tasks inline: there is nothing for a worker to do.")
        watch_periodic_work()
        if settings.TASKS_BACKEND == "database":
            watch_abandoned_tasks()
            call_command("db_worker")
        else:
            # settings.RQ makes it a facturier.web.rq_workers.RQWorker, which reruns abandoned jobs.
            call_command("rqworker", "default", with_scheduler=True)
