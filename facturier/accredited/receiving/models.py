"""What a dossier receives from its accredited platform: the inbox of each connection, and each flow taken in.

An ``Inbox`` is one dossier's mailbox on one connection: where the last walk of
``POST /v1/flows/search`` stopped (``cursor``, for a walk cut short) and the
``updatedAfter`` mark the next walk starts from, plus the webhook the platform
calls when a flow arrives. A dossier that changes connection gets a new inbox.

A ``ReceivedFlow`` is one incoming flow of the platform, unique per connection
and flow id: the pull and the webhook both only insert it, and whoever turns it
from ``pending`` to ``done`` (one conditional UPDATE, in the transaction that
takes the invoice or status in) is the only one to process it. A worker killed
midway leaves it ``pending``: nothing of its work was committed.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facturier.accredited import keys


class Inbox(models.Model):
    connection = models.ForeignKey("accredited.Connection", on_delete=models.CASCADE, related_name="inboxes")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="platform_inboxes")
    organization_id = models.CharField(max_length=64, blank=True)
    # The walk of the platform's search (see ``pull``): the ``updatedAfter`` mark a walk starts from, the
    # cursor a walk cut short resumes at, and the latest ``updatedAt`` this walk has seen.
    updated_after = models.DateTimeField(null=True, blank=True)
    cursor = models.CharField(max_length=500, blank=True)
    newest_seen = models.DateTimeField(null=True, blank=True)
    last_pulled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    next_pull_at = models.DateTimeField(null=True, blank=True)  # a platform that asked to wait (Retry-After)
    # The webhook the platform calls: our URL carries ``token``; its signing key is encrypted at rest.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    webhook_id = models.CharField(max_length=100, blank=True)
    encrypted_signing_key = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("boîte de réception sur une plateforme agréée")
        constraints = [models.UniqueConstraint(fields=["connection", "dossier"], name="one_inbox_per_connection")]

    def __str__(self):
        return f"{self.dossier} @ {self.connection}"

    @property
    def signing_key(self):
        return keys.decrypt(self.encrypted_signing_key) if self.encrypted_signing_key else ""

    @signing_key.setter
    def signing_key(self, value):
        self.encrypted_signing_key = keys.encrypt(value) if value else ""


class ReceivedFlow(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("À traiter")
        DONE = "done", _("Traité")
        FAILED = "failed", _("En échec")

    class Outcome(models.TextChoices):
        INVOICE = "invoice", _("Facture reçue")
        REFUSED_FILE = "refused_file", _("Fichier refusé à la réception")
        STATUS = "status", _("Statut enregistré")
        REFUSED_STATUS = "refused_status", _("Statut refusé")

    connection = models.ForeignKey("accredited.Connection", on_delete=models.CASCADE, related_name="received_flows")
    inbox = models.ForeignKey(Inbox, on_delete=models.CASCADE, related_name="flows")
    flow_id = models.CharField(max_length=64)
    flow_type = models.CharField(max_length=40, blank=True)
    syntax = models.CharField(max_length=10, blank=True)
    name = models.CharField(max_length=255, blank=True)
    platform_updated_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=7, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    outcome = models.CharField(max_length=14, choices=Outcome.choices, blank=True)
    message = models.TextField(blank=True)  # what became of it, for people
    incoming_file = models.ForeignKey("invoices.IncomingFile", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    event = models.ForeignKey("invoices.LifecycleEvent", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    original = models.ForeignKey("archive.ArchiveRecord", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")  # the file as the platform gave it, archived unchanged
    discovered_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("flux reçu d'une plateforme agréée")
        ordering = ["platform_updated_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["connection", "flow_id"], name="one_received_flow_per_id")]
        indexes = [models.Index(fields=["inbox", "state", "next_attempt_at"])]

    def __str__(self):
        return f"{self.flow_id} ({self.get_state_display()})"
