from django.core.management.base import BaseCommand

from facturier.invoices.receiving.tasks import retry_pending_checks


class Command(BaseCommand):
    help = "Run again the invoice controls left pending by a registry outage."

    def handle(self, *args, **options):
        answered = retry_pending_checks.call()
        self.stdout.write(f"{answered} pending check(s) answered by the registry.")
