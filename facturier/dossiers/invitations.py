"""Inviting a person into a dossier by e-mail, and the invitation being accepted.

The link in the e-mail is single-use and expires; a person who already has an
account is only told that a new dossier is open to them. Accepting spends the
invitation with a conditional update, so two submissions of one link cannot
both succeed.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from facturier.accounts.models import User
from facturier.audit.models import AuditAction, record
from facturier.dossiers.last_used import remember
from facturier.dossiers.models import Dossier, DossierMembership, DossierStatus, Invitation

RIGHTS = ("can_manage_users", "can_issue_sales", "can_handle_purchases")


class InvitationSpent(Exception):
    """The invitation was used (or expired) before this acceptance went through."""


class OwnerTaken(Exception):
    """An owner invitation reached a dossier that someone else already owns."""


def invite(dossier, *, email, name, language, invited_by, rights=None):
    """Create an invitation to ``dossier``, then send its e-mail; return the invitation.

    ``rights`` are the DossierMembership flags the person will receive
    (``is_owner`` and the keys of ``RIGHTS``; the dossier owner gets every right).
    """
    with transaction.atomic():
        invitation, message = prepare_invitation(dossier, email=email, name=name, language=language,
                                                 invited_by=invited_by, rights=rights)
    deliver(invitation, message)
    return invitation


def prepare_invitation(dossier, *, email, name, language, invited_by, rights=None):
    """Save the invitation and write its e-mail; return both, the e-mail not sent yet.

    The caller sends it with ``deliver`` once its transaction is committed: no
    write transaction waits on the mail server.
    """
    language = language or settings.LANGUAGE_CODE
    invitation, token = Invitation.issue(
        email=email, dossier=dossier, invited_by=invited_by, rights=rights, name=name, language=language
    )
    existing = User.objects.filter(email__iexact=email, is_active=True).first()
    context = {
        "name": name or (existing and existing.full_name) or email,
        "email": invitation.email,
        "dossier": dossier,
        "link": settings.BASE_URL.rstrip("/") + reverse("dossiers:accept_invitation", args=[token]),
        "existing_account": existing is not None,
        # A client user inviting a colleague signs the e-mail; the firm's invitation of the owner does not.
        "inviter": None if invitation.rights.get("is_owner") or invited_by is None or invited_by.is_firm_staff
        else invited_by,
        "valid_days": settings.INVITATION_VALID_DAYS,
    }
    with translation.override(language):
        subject = render_to_string("dossiers/email/invitation_subject.txt", context).strip()
        text = render_to_string("dossiers/email/invitation.txt", context)
        html = render_to_string("dossiers/email/invitation.html", context)
    message = EmailMultiAlternatives(subject, text, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    message.existing_account = existing is not None
    return invitation, message


def deliver(invitation, message):
    """Send an invitation's e-mail; a failure goes to the audit trail, then up to the caller.

    The invitation stays saved: sending it again issues a new link.
    """
    try:
        message.send()
    except OSError as error:  # SMTP errors and refused connections alike
        record(invitation.invited_by, AuditAction.INVITATION_SEND_FAILED, dossier=invitation.dossier,
               target=invitation.email, error=str(error)[:200])
        raise
    record(invitation.invited_by, AuditAction.INVITATION_SENT, dossier=invitation.dossier, target=invitation.email,
           rights=invitation.rights, language=invitation.language, existing_account=message.existing_account)


def granted_rights(rights):
    """The membership flags an invitation's ``rights`` give (an owner has them all)."""
    is_owner = bool(rights.get("is_owner"))
    return {"is_owner": is_owner, **{name: is_owner or bool(rights.get(name)) for name in RIGHTS}}


def _spend(invitation):
    now = timezone.now()
    spent = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True, expires_at__gt=now).update(used_at=now)
    if not spent:
        raise InvitationSpent
    invitation.used_at = now


def accept(invitation, user):
    """Spend ``invitation`` and give ``user`` (an existing account) its membership; return the dossier."""
    with transaction.atomic():
        _spend(invitation)
        return _join(invitation, user)


def onboard(invitation, **account):
    """Spend ``invitation``, create the newcomer's account and membership, all or nothing.

    Returns (user, dossier). The invitation is spent first: a concurrent
    submission of the same link stops there, before creating anything.
    """
    with transaction.atomic():
        _spend(invitation)
        user = create_invited_user(invitation, **account)
        return user, _join(invitation, user)


def _join(invitation, user):
    """The owner's acceptance opens the dossier: nobody entered it before."""
    dossier = Dossier.objects.select_for_update().select_related("firm").get(pk=invitation.dossier_id)
    flags = granted_rights(invitation.rights)
    if flags["is_owner"] and dossier.owner_id not in (None, user.pk):
        raise OwnerTaken
    membership = DossierMembership.objects.filter(dossier=dossier, user=user).first()
    if membership is None:
        membership = DossierMembership(dossier=dossier, user=user)
    elif membership.is_owner:
        flags = granted_rights({"is_owner": True})
    for name, value in flags.items():
        setattr(membership, name, value)
    membership.last_used_at = timezone.now()
    membership.save()
    if flags["is_owner"]:
        _open(dossier, user)
    remember(user, dossier)
    record(user, AuditAction.INVITATION_ACCEPTED, dossier=dossier, target=user.email, invitation=invitation.pk, **flags)
    return dossier


def _open(dossier, owner):
    dossier.owner = owner
    fields = ["owner"]
    if dossier.status != DossierStatus.ACTIVE:
        dossier.status = DossierStatus.ACTIVE
        dossier.activated_at = timezone.now()
        fields += ["status", "activated_at"]
        record(owner, AuditAction.DOSSIER_OPENED, dossier=dossier, target=dossier.name)
    dossier.save(update_fields=fields)


def create_invited_user(invitation, *, full_name, mobile, language, password, photo=None):
    """The account of a person arriving through ``invitation`` (consent given on the form)."""
    user = User(email=invitation.email, full_name=full_name, mobile=mobile, language=language,
                gdpr_consent_at=timezone.now())
    user.set_password(password)
    if photo is not None:
        user.photo.save(photo.name, photo, save=False)
    user.save()
    record(user, AuditAction.ACCOUNT_CREATED, dossier=invitation.dossier, target=user.email, gdpr_consent=True,
           terms_accepted=True)
    return user
