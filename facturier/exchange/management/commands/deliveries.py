"""``facturier deliveries retry [--all]``: attempt again the deliveries that failed.

Run it from cron when the task backend cannot defer work. ``--all`` also
retries failed deliveries that are not due yet (after an SMTP outage is over).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from facturier.exchange.delivery import retry_due
from facturier.exchange.models import Delivery


class Command(BaseCommand):
    help = "Deliveries of invoices and lifecycle statuses."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        retry = actions.add_parser("retry", help="Attempt again the failed deliveries that are due.")
        retry.add_argument("--all", action="store_true", help="Do not wait for the next attempt time.")

    def handle(self, *args, action, **options):
        if options["all"]:
            Delivery.objects.filter(state=Delivery.State.FAILED, next_attempt_at__isnull=False).update(
                next_attempt_at=timezone.now())
        done = retry_due()
        sent = sum(1 for delivery in done if delivery.state == Delivery.State.SENT)
        self.stdout.write(f"{len(done)} delivery attempt(s): {sent} sent, {len(done) - sent} failed.")
