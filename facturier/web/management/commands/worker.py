from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run background tasks (database queue by default, Redis when FACTURIER_TASKS=rq)."

    def handle(self, *args, **options):
        if settings.TASKS_BACKEND == "database":
            call_command("db_worker")
        elif settings.TASKS_BACKEND == "rq":
            call_command("rqworker", "default", with_scheduler=True)
        else:
            raise CommandError("FACTURIER_TASKS=immediate runs tasks inline: there is nothing for a worker to do.")
