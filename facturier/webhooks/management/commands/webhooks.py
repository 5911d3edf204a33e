"""``facturier webhooks send-due [--all]``: send the webhook callbacks whose time has come.

Run it from cron when the task backend cannot defer work (retries then wait for
it). It also takes back the callbacks a dead worker was sending. ``--all`` does
not wait for the next attempt time (after a receiver's outage is over).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from facturier.webhooks.models import Delivery
from facturier.webhooks.outbox import send_due


class Command(BaseCommand):
    help = "Webhook callbacks."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        due = actions.add_parser("send-due", help="Send the callbacks that are due.")
        due.add_argument("--all", action="store_true", help="Do not wait for the next attempt time.")

    def handle(self, *args, action, **options):
        if options["all"]:
            Delivery.objects.filter(state=Delivery.State.PENDING).update(next_attempt_at=timezone.now())
        done = send_due()
        sent = sum(1 for delivery in done if delivery.state == Delivery.State.SENT)
        self.stdout.write(f"{len(done)} callback attempt(s): {sent} sent, {len(done) - sent} not sent.")
