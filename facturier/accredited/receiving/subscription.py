"""The webhook an inbox subscribes to on its platform (``createWebhook``), at this installation's public URL.

    subscribe(inbox)   # once: the platform then calls callback_url(inbox) for each In flow of the dossier

The signing key the platform returns (shown once) is kept encrypted at rest, like
the connection's secret; the callbacks are checked with it (``webhook``).
"""

from django.conf import settings
from django.urls import reverse

from facturier.accredited.client import PlatformClient
from facturier.accredited.receiving.models import Inbox


def callback_url(inbox):
    return settings.BASE_URL.rstrip("/") + reverse("accredited_receiving:webhook", args=[inbox.token])


def subscribe(inbox, *, client=None):
    """Subscribe the inbox to its platform's In flows, unless it already is; the inbox, with its webhook."""
    if inbox.webhook_id:
        return inbox
    if client is None:
        with PlatformClient(inbox.connection, organization_id=inbox.organization_id) as client:
            return subscribe(inbox, client=client)
    answer = client.create_webhook(callback_url(inbox), flow_direction="In")
    webhook_id, inbox.signing_key = answer["webhookId"], answer["signingKey"]
    if not Inbox.objects.filter(pk=inbox.pk, webhook_id="").update(
            webhook_id=webhook_id, encrypted_signing_key=inbox.encrypted_signing_key):
        client.delete_webhook(webhook_id)  # another worker subscribed meanwhile: one webhook is enough
    inbox.refresh_from_db(fields=["webhook_id", "encrypted_signing_key"])
    return inbox

