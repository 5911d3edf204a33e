"""Firm staff as single sign-on describes them.

Each sign-in brings the identity provider's word on who the person is and, for
every firm they belong to, whether the firm granted them the platform
delegation. We mirror it: the account, and one FirmMembership per firm (the
admin right delegated on the platform, ``is_admin``, stays ours).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from facturier.accounts.models import User
from facturier.audit.models import AuditAction, record
from facturier.firms.models import Firm, FirmMembership, Role
from facturier.identifiers import InvalidIdentifier, validate_siren


class ClaimsError(Exception):
    """The provider's claims cannot describe a person we can sign in."""


@dataclass(frozen=True)
class FirmClaim:
    siren: str
    name: str
    delegation: bool


@dataclass(frozen=True)
class StaffClaims:
    subject: str
    email: str
    name: str
    chartered_accountant: bool
    firms: tuple

    @property
    def has_delegation(self):
        return any(firm.delegation for firm in self.firms)


def read_claims(claims):
    """Turn the provider's claims into StaffClaims through ``settings.OIDC_CLAIMS``."""
    names = settings.OIDC_CLAIMS
    subject = claims.get(names["subject"])
    email = (claims.get(names["email"]) or "").strip().lower()
    if not isinstance(subject, str) or not subject:
        raise ClaimsError("no subject")
    try:
        validate_email(email)
    except ValidationError:
        raise ClaimsError(f"invalid e-mail {email!r}") from None
    firms = claims.get(names["firms"]) or []
    if not isinstance(firms, list):
        raise ClaimsError("firms is not a list")
    return StaffClaims(
        subject=subject,
        email=email,
        name=str(claims.get(names["name"]) or "").strip(),
        chartered_accountant=claims.get(names["chartered_accountant"]) is True,
        firms=tuple(_firm_claim(firm) for firm in firms),
    )


def _firm_claim(firm):
    if not isinstance(firm, dict):
        raise ClaimsError("a firm is not an object")
    try:
        siren = validate_siren(str(firm.get("siren", "")))
    except InvalidIdentifier:
        raise ClaimsError(f"invalid firm SIREN {firm.get('siren')!r}") from None
    name = str(firm.get("name") or siren).strip()
    return FirmClaim(siren=siren, name=name, delegation=firm.get("delegation") is True)


def sync_staff(staff):
    """Create or update the person and their firm memberships; return the user.

    Runs even when the person has no delegation anywhere, so that a delegation
    withdrawn in the provider is withdrawn here too.
    """
    try:
        return _sync(staff)
    except IntegrityError:
        # Two first sign-ins of one person (or of one firm) at once: the other created the rows.
        return _sync(staff)


@transaction.atomic
def _sync(staff):
    user = _account(staff)
    role = Role.CHARTERED_ACCOUNTANT if staff.chartered_accountant else Role.STAFF
    kept = []
    for claim in staff.firms:
        firm, created = Firm.objects.get_or_create(siren=claim.siren, defaults={"name": claim.name})
        if created:
            record(user, AuditAction.FIRM_DISCOVERED, firm=firm, target=firm.siren, name=firm.name)
        membership, _ = FirmMembership.objects.update_or_create(
            firm=firm, user=user, defaults={"role": role, "has_delegation": claim.delegation}
        )
        kept.append(membership.pk)
    # Firms the provider no longer lists: the person keeps no delegation there.
    FirmMembership.objects.filter(user=user).exclude(pk__in=kept).update(has_delegation=False)
    return user


def _account(staff):
    user = User.objects.select_for_update().filter(sso_subject=staff.subject).first()
    if user is None:
        user = User.objects.select_for_update().filter(email__iexact=staff.email).first()
        if user is not None and user.sso_subject:
            raise ClaimsError(f"{staff.email} already belongs to another single sign-on subject")
    if user is None:
        return User.objects.create_user(staff.email, sso_subject=staff.subject, full_name=staff.name)
    if User.objects.filter(email__iexact=staff.email).exclude(pk=user.pk).exists():
        raise ClaimsError(f"{staff.email} already belongs to another account")
    # Firm staff never use a password, even one they had as a client user.
    user.sso_subject = staff.subject
    user.email = staff.email
    user.full_name = staff.name or user.full_name
    user.set_unusable_password()
    user.save()
    return user
