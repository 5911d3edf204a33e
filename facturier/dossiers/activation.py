"""Activation: the invitation that opens a dossier to its legal representative.

The dossier stays closed to everybody, the firm included, until the owner
completes the invitation (the accounts app turns the dossier active then).
"""

from django.db import transaction
from django.utils import timezone

from facturier.accounts.invitations import invite
from facturier.accounts.models import Invitation
from facturier.audit.models import record
from facturier.dossiers.models import DossierStatus

OWNER_RIGHTS = {"is_owner": True}


def can_activate(dossier):
    return dossier.status in (DossierStatus.NOT_ACTIVATED, DossierStatus.INVITED)


def expire_owner_invitations(dossier):
    """Every pending owner link of ``dossier`` stops working, whoever it was sent to.

    A link sent to a former representative must not take the dossier over.
    """
    Invitation.objects.usable().filter(dossier=dossier, rights__is_owner=True).update(expires_at=timezone.now())


@transaction.atomic
def send_owner_invitation(dossier, *, by):
    """Invite the legal representative as owner; a new invitation replaces the previous link.

    Raises whatever sending the e-mail raises: the transaction then leaves the
    dossier as it was.
    """
    if not can_activate(dossier):
        raise ValueError("an active dossier needs no invitation")
    resend = dossier.status == DossierStatus.INVITED
    expire_owner_invitations(dossier)
    dossier.status = DossierStatus.INVITED
    dossier.save(update_fields=["status"])
    invitation = invite(
        dossier,
        email=dossier.representative_email,
        name=dossier.representative_name,
        language=dossier.representative_language,
        invited_by=by,
        rights=OWNER_RIGHTS,
    )
    record(by, "invitation_resent" if resend else "dossier_activated", dossier=dossier,
           target=dossier.name, email=dossier.representative_email)
    return invitation
