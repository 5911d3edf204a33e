"""Unstructured invoices being recognised, and what people taught the platform about their suppliers."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Recognition(models.Model):
    """One received PDF, scan or photo: read in the background, then reviewed and confirmed by a person.

    ``result`` holds the fields as read (value, confidence, box), ``pages`` the
    text read on each page with its position (what the layout memory learns
    from), ``corrections`` what the person changed when confirming.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("En attente de lecture")
        READING = "reading", _("Lecture en cours")
        REVIEW = "review", _("À vérifier")
        CONFIRMING = "confirming", _("Confirmation en cours")
        CONFIRMED = "confirmed", _("Confirmée")
        DUPLICATE = "duplicate", _("DOUBLON")
        DISMISSED = "dismissed", _("Écartée : pas une facture")
        FAILED = "failed", _("Illisible")

    incoming = models.OneToOneField("invoices.IncomingFile", on_delete=models.CASCADE, related_name="recognition")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    pages_total = models.PositiveIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    pages = models.JSONField(default=list, blank=True)
    registry = models.JSONField(default=dict, blank=True)  # what SIRENE said of the seller
    message = models.TextField(blank=True)
    seconds = models.FloatField(null=True, blank=True)  # time the reading took
    # When the reading was last queued, and how many times (see service.requeue_stuck_recognitions).
    queued_at = models.DateTimeField(default=timezone.now)
    runs = models.PositiveSmallIntegerField(default=1)
    corrections = models.JSONField(default=dict, blank=True)
    invoice = models.OneToOneField("invoices.Invoice", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="recognition")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["dossier", "state"])]


class SupplierLayout(models.Model):
    """Where a supplier prints its fields, as people pointed it out: read there first next time.

    Kept per dossier (a dossier's documents teach only that dossier) and per
    seller, identified by SIREN, else VAT number, else name.
    """

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    seller_key = models.CharField(max_length=200)
    boxes = models.JSONField(default=dict)  # field name → [page, x0, y0, x1, y1]
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dossier", "seller_key"], name="one_layout_per_seller")]
