"""Activation: the invitation that opens a dossier to its legal representative.

The dossier stays closed to everybody, the firm included, until the owner
completes the invitation (the accounts app turns the dossier active then).
"""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from facturier.accounts.models import User
from facturier.audit.models import AuditAction, record
from facturier.dossiers.invitations import deliver, prepare_invitation
from facturier.dossiers.models import Dossier, DossierStatus, Invitation

OWNER_RIGHTS = {"is_owner": True}


def can_activate(dossier):
    return dossier.status in (DossierStatus.NOT_ACTIVATED, DossierStatus.INVITED)


def expire_owner_invitations(dossier):
    """Every pending owner link of ``dossier`` stops working, whoever it was sent to.

    A link sent to a former representative must not take the dossier over.
    """
    Invitation.objects.usable().filter(dossier=dossier, rights__is_owner=True).update(expires_at=timezone.now())


def send_owner_invitation(dossier, *, by):
    """Invite the legal representative as owner; a new invitation replaces the previous link.

    The e-mail leaves once the dossier is marked invited and committed. When
    sending fails, the failure is in the audit trail and raised to the caller;
    the dossier stays invited, so its "Renvoyer l'invitation" button sends a
    new link.
    """
    if not can_activate(dossier):
        raise ValueError("an active dossier needs no invitation")
    with transaction.atomic():
        resend = dossier.status == DossierStatus.INVITED
        expire_owner_invitations(dossier)
        dossier.status = DossierStatus.INVITED
        dossier.save(update_fields=["status"])
        invitation, message = prepare_invitation(
            dossier,
            email=dossier.representative_email,
            name=dossier.representative_name,
            language=dossier.representative_language,
            invited_by=by,
            rights=OWNER_RIGHTS,
        )
        record(by, AuditAction.INVITATION_RESENT if resend else AuditAction.DOSSIER_ACTIVATED, dossier=dossier,
               target=dossier.name, email=dossier.representative_email)
    deliver(invitation, message)
    return invitation


@task()
def activate_dossier(dossier_id, user_id):
    """One dossier of "Tout activer", in its own task so the request stays short.

    A dossier activated meanwhile (by another click) is left alone.
    """
    dossier = Dossier.objects.filter(pk=dossier_id, status=DossierStatus.NOT_ACTIVATED).select_related("firm").first()
    if dossier is not None:
        send_owner_invitation(dossier, by=User.objects.get(pk=user_id))
