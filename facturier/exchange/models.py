"""Every attempt to carry an invoice or a lifecycle status to the other party."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Delivery(models.Model):
    """One thing to send (an issued invoice, or a status message about it) by one channel.

    The row exists before the first attempt, so a crash or an outage leaves a
    pending or failed row to retry: nothing handed to the exchange is lost.
    """

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Facture")
        EVENT = "event", _("Statut de cycle de vie")

    class State(models.TextChoices):
        PENDING = "pending", _("En attente")
        SENT = "sent", _("Envoyée")
        FAILED = "failed", _("Échec")

    invoice = models.ForeignKey("invoices.Invoice", on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey("invoices.LifecycleEvent", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="deliveries")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.INVOICE)
    channel = models.CharField(_("canal"), max_length=32)
    recipient = models.CharField(_("destinataire"), max_length=254, blank=True)
    recipient_dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+")
    # The buyer's purchase invoice a platform delivery created: how statuses find their way back.
    counterpart_invoice = models.ForeignKey("invoices.Invoice", null=True, blank=True, on_delete=models.SET_NULL,
                                            related_name="delivered_from")
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The delivery the exchange made on its own once the invoice was issued (a resend is not): only one is ever
    # created, whichever of the task and the sweep gets there first.
    initial = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["invoice"], condition=models.Q(kind="invoice", initial=True),
                                    name="exchange_one_initial_delivery"),
            models.UniqueConstraint(fields=["event"], condition=models.Q(kind="event"),
                                    name="exchange_one_delivery_per_event"),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["invoice", "kind"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient or self.channel} ({self.get_state_display()})"
