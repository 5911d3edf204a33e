import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from facturier.web.workers import watch_periodic_work


class Command(BaseCommand):
    help = "Start the web platform (migrates the database first)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--demo", action="store_true", help="Create the demo data if missing.")

    def handle(self, *args, port, host, threads, demo, **options):
        from waitress import serve

        from facturier.wsgi import application

        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if demo:
            call_command("demo_data")
            if settings.ARCHIVE_SIGNING_KEY_FILE and not os.path.exists(settings.ARCHIVE_SIGNING_KEY_FILE):
                call_command("archive", "keygen", settings.ARCHIVE_SIGNING_KEY_FILE, verbosity=0)
        if settings.TASKS_BACKEND == "immediate":
            # No worker runs beside it (the demo): this process does the worker's periodic work itself.
            watch_periodic_work()
        shown_host = "localhost" if host == "127.0.0.1" else host
        self.stdout.write(f"Facturier {settings.VERSION} on http://{shown_host}:{port}/")
        serve(application, host=host, port=port, threads=threads)
