"""The notifications a person sees: their own, about the dossiers they can still open."""

from facturier.dossiers.access import openable_dossiers
from facturier.notifications.models import Notification


def visible_notifications(user):
    return Notification.objects.filter(user=user, dossier__in=openable_dossiers(user)).select_related(
        "dossier", "invoice")

