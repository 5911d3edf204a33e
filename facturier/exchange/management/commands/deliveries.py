"""``facturier deliveries retry [--all]``: attempt again the deliveries that failed.
``facturier deliveries sweep``: deliver the issued invoices and statuses whose task was lost.

Run them from cron when the task backend cannot defer work (the worker sweeps by
itself). ``--all`` also retries failed deliveries that are not due yet (after an
SMTP outage is over).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from facturier.exchange.delivery import retry_due, sweep_undelivered
from facturier.exchange.models import Delivery


class Command(BaseCommand):
    help = "Deliveries of invoices and lifecycle statuses."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        retry = actions.add_parser("retry", help="Attempt again the failed deliveries that are due.")
        retry.add_argument("--all", action="store_true", help="Do not wait for the next attempt time.")
        actions.add_parser("sweep", help="Deliver the issued invoices and statuses whose task was lost.")

    def handle(self, *args, action, **options):
        if action == "sweep":
            return self._report(sweep_undelivered())
        if options["all"]:
            Delivery.objects.filter(state=Delivery.State.FAILED, next_attempt_at__isnull=False).update(
                next_attempt_at=timezone.now())
        self._report(retry_due())

    def _report(self, done):
        sent = sum(1 for delivery in done if delivery.state == Delivery.State.SENT)
        self.stdout.write(f"{len(done)} delivery attempt(s): {sent} sent, {len(done) - sent} failed.")
