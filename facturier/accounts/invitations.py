"""Inviting a person into a dossier by e-mail.

The link in the e-mail is single-use and expires; a person who already has an
account is only told that a new dossier is open to them.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from facturier.accounts.models import Invitation, User


def invite(dossier, *, email, name, language, invited_by, rights=None):
    """Create an invitation to ``dossier`` and send its e-mail; return the invitation.

    ``rights`` are the DossierMembership flags the person will receive (the
    dossier owner gets every right).
    """
    invitation, token = Invitation.issue(email=email, dossier=dossier, invited_by=invited_by, rights=rights)
    existing = User.objects.filter(email__iexact=email, is_active=True).first()
    context = {
        "name": name or (existing and existing.full_name) or email,
        "email": email,
        "dossier": dossier,
        "link": settings.BASE_URL + reverse("accounts:accept_invitation", args=[token]),
        "existing_account": existing is not None and existing.has_usable_password(),
    }
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        text = render_to_string("accounts/email/invitation.txt", context)
        html = render_to_string("accounts/email/invitation.html", context)
    message = EmailMultiAlternatives(subject, text, to=[email])
    message.attach_alternative(html, "text/html")
    message.send()
    return invitation
