"""The audit trail: who did what, when, in which firm and dossier."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=64)
    firm = models.ForeignKey("firms.Firm", null=True, on_delete=models.SET_NULL, related_name="+")
    dossier = models.ForeignKey("dossiers.Dossier", null=True, on_delete=models.SET_NULL, related_name="+")
    target = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["firm", "-at"]), models.Index(fields=["dossier", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target}"


def record(actor, action, *, firm=None, dossier=None, target="", **detail):
    """Append one event; ``actor`` may be None for the platform itself."""
    if dossier is not None and firm is None:
        firm = dossier.firm
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        firm=firm,
        dossier=dossier,
        target=str(target),
        detail=detail,
    )
