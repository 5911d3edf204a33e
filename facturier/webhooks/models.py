"""Webhook subscriptions of API clients, and the outbox of the callbacks owed to them."""

import base64
import secrets
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SIGNING_KEY_BYTES = 32  # 256 bits from the system's secure generator, as XP Z12-013 asks


def new_signing_key():
    return base64.b64encode(secrets.token_bytes(SIGNING_KEY_BYTES)).decode()


class Subscription(models.Model):
    """A callback URL an API client registered for the flows of its dossier (``createWebhook``).

    Empty filters match everything. The signing key is kept in clear because each
    callback is signed with it (HMAC is symmetric); the API shows it once, at creation.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    api_client = models.ForeignKey("apiclients.ApiClient", on_delete=models.CASCADE,
                                   related_name="webhook_subscriptions")
    callback_url = models.URLField(_("URL de rappel"), max_length=2000)
    flow_types = models.JSONField(default=list, blank=True)
    flow_direction = models.CharField(max_length=3, blank=True)
    ack_status = models.CharField(max_length=7, blank=True)
    signing_key = models.CharField(max_length=88, default=new_signing_key, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["dossier", "api_client"])]

    def __str__(self):
        return f"{self.uid} → {self.callback_url}"

    def matches(self, flow):
        """Whether a flow, as the API describes it (the ``Flow`` schema), passes this subscription's filters."""
        return ((not self.flow_types or flow.get("flowType") in self.flow_types)
                and (not self.flow_direction or flow.get("flowDirection") == self.flow_direction)
                and (not self.ack_status or (flow.get("acknowledgement") or {}).get("status") == self.ack_status))


class Delivery(models.Model):
    """One callback owed to one subscription for one flow event: the outbox row.

    Written in the transaction that changed the flow, so an event is never lost to
    a crash between the change and the send. ``body`` is the flow as it was then.
    A row in ``sending`` is leased until ``claimed_until``: past it, the worker that
    claimed it is taken for dead and the row is claimed again.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("En attente")
        SENDING = "sending", _("En cours d'envoi")
        SENT = "sent", _("Envoyé")
        ABANDONED = "abandoned", _("Abandonné")

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    flow_id = models.CharField(max_length=64)
    body = models.TextField()
    state = models.CharField(max_length=9, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self):
        return f"{self.flow_id} → {self.subscription_id} ({self.get_state_display()})"
