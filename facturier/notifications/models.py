"""What a person is told, and how they want to be told.

A ``Notification`` is one event (an invoice received, refused, paid, an anomaly)
told to one person: it shows in the list of the page header, and is e-mailed at
once, in the daily digest, or not at all, as the person's ``Preference`` for its
kind says. The row is unique per person and event, so an event announced twice
(a task run again) is never told twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INVOICE_RECEIVED = "invoice_received", _("Facture d'achat reçue")
    INVOICE_REFUSED = "invoice_refused", _("Facture de vente refusée ou rejetée")
    INVOICE_PAID = "invoice_paid", _("Facture de vente payée")
    ANOMALY = "anomaly", _("Anomalie sur une facture")
    ACTION_NEEDED = "action_needed", _("Action attendue sur un dossier suivi")


# Client users are told of their dossier's invoices; firm staff of the dossiers they follow.
CLIENT_KINDS = (Kind.INVOICE_RECEIVED, Kind.INVOICE_REFUSED, Kind.INVOICE_PAID, Kind.ANOMALY)
STAFF_KINDS = (Kind.ACTION_NEEDED,)


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("E-mail immédiat")
    DAILY = "daily", _("Résumé quotidien par e-mail")
    NONE = "none", _("Pas d'e-mail")


DEFAULT_FREQUENCY = Frequency.IMMEDIATE


class Preference(models.Model):
    """How one person wants to be e-mailed about one kind; no row means the default (immediate)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=DEFAULT_FREQUENCY)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_person_and_kind")]


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    invoice = models.ForeignKey("invoices.Invoice", null=True, on_delete=models.CASCADE, related_name="+")
    # The event told, e.g. "event:12" or "anomaly:3": one notification per person and event.
    source = models.CharField(max_length=40)
    # What the sentence needs beyond the invoice: a status code, a reason, an amount, an anomaly kind.
    data = models.JSONField(default=dict, blank=True)
    # The person's choice when the event happened, so a later change does not resend the past.
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "source"], name="one_notification_per_person_and_event"),
        ]
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"]),
            models.Index(fields=["frequency", "emailed_at"]),
        ]
