"""``facturier accredited pull [--dossier ID]`` and ``facturier accredited subscribe``: receiving from platforms.

``pull`` walks each connected dossier's platform for new incoming flows and
takes them in (what the worker does on its own every
``ACCREDITED_PULL_INTERVAL`` seconds): run it from cron when no worker runs.
``subscribe`` asks each platform to call this installation back
(``FACTURIER_BASE_URL`` must be its public address) when a flow arrives.
"""

from django.core.management.base import BaseCommand, CommandError

from facturier.accredited.client import PlatformError
from facturier.accredited.receiving.pull import connected_inboxes, pull_all, pull_quietly
from facturier.accredited.receiving.subscription import subscribe
from facturier.dossiers.models import Dossier


class Command(BaseCommand):
    help = "Receiving from accredited platforms."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        pull = actions.add_parser("pull", help="Pull the incoming flows of the connected dossiers.")
        pull.add_argument("--dossier", type=int, help="Only this dossier (its id).")
        subscribe_ = actions.add_parser("subscribe", help="Subscribe the connected dossiers to their platform's "
                                                          "webhooks.")
        subscribe_.add_argument("--dossier", type=int, help="Only this dossier (its id).")

    def handle(self, *args, action, dossier=None, **options):
        if action == "pull" and dossier is None:
            self.stdout.write(f"{pull_all()} flow(s) taken in.")
            return
        inboxes = list(connected_inboxes(Dossier.objects.filter(pk=dossier) if dossier is not None else None))
        if dossier is not None and not inboxes:
            raise CommandError(f"Dossier {dossier} is not active or uses no accredited-platform connection.")
        for inbox in inboxes:
            if action == "pull":
                pulled = pull_quietly(inbox)
                inbox.refresh_from_db()
                self.stdout.write(f"{inbox}: {pulled.listed} listed, {pulled.taken} taken in."
                                  + (f" {inbox.last_error}" if inbox.last_error else ""))
            else:
                try:
                    subscribe(inbox)
                except PlatformError as error:
                    raise CommandError(f"{inbox}: {error}") from None
                self.stdout.write(f"{inbox}: webhook {inbox.webhook_id}.")
