"""Background work of receiving: a pull of one inbox (after a webhook), and the sweep of them all.

The worker runs ``pull_all`` every ``ACCREDITED_PULL_INTERVAL`` seconds itself
(``facturier.web.workers``); ``facturier accredited_pull`` runs it from cron.
Both may run at once with a webhook's pull: each flow is still taken in once.
"""

from django_tasks import task

from facturier.accredited.receiving.models import Inbox
from facturier.accredited.receiving.pull import pull_quietly


@task()
def pull_inbox(inbox_id):
    inbox = Inbox.objects.select_related("connection", "dossier").filter(pk=inbox_id).first()
    if inbox is None:
        return None
    return pull_quietly(inbox).taken
