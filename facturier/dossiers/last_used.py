"""The dossier a person used last, opened first at their next visit (DESIGN: access model)."""

from django.utils import timezone

from facturier.dossiers.models import DossierMembership, LastDossier


def remember(user, dossier):
    LastDossier.objects.update_or_create(user=user, defaults={"dossier": dossier})
    DossierMembership.objects.filter(dossier=dossier, user=user).update(last_used_at=timezone.now())


def last_dossier(user):
    """The dossier the person used last, or None."""
    last = LastDossier.objects.filter(user=user).select_related("dossier").first()
    return last.dossier if last is not None else None


def forget(user, dossier):
    """The person left ``dossier``: it no longer opens first for them."""
    LastDossier.objects.filter(user=user, dossier=dossier).delete()
