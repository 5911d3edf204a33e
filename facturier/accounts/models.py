"""People and the invitations that bring them onto the platform.

A person has one account, identified by e-mail, whatever firms and dossiers they
belong to. Firm staff sign in through single sign-on only (``sso_subject`` set,
no usable password); client users sign in with e-mail and password.
"""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    FRENCH = "fr", _("Français")
    ENGLISH = "en", _("English")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        return self.create_user(email, password, is_staff=True, is_superuser=True, **fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("nom"), max_length=200, blank=True)
    mobile = models.CharField(_("numéro mobile"), max_length=32, blank=True)
    language = models.CharField(_("langue"), max_length=2, choices=Language.choices, default=Language.FRENCH)
    photo = models.ImageField(_("photo"), upload_to="photos/", blank=True)
    # The OpenID Connect subject of a firm staff member; empty for client users.
    sso_subject = models.CharField(max_length=255, unique=True, null=True, blank=True)
    gdpr_consent_at = models.DateTimeField(null=True, blank=True)
    last_dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    failed_logins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)  # Django admin access, not firm staff.
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self):
        return self.full_name or self.email

    @property
    def is_firm_staff(self):
        return self.sso_subject is not None


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A single-use, expiring link that opens a dossier to a person.

    Only the SHA-256 of the token is stored: a leaked database does not leak
    working links.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField()
    # How the inviter named the person, and the language of the e-mail: the
    # onboarding page starts from them.
    name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.FRENCH)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="invitations")
    # The rights the invited person receives (see dossiers.DossierMembership).
    rights = models.JSONField(default=dict)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    @classmethod
    def issue(cls, *, email, dossier, invited_by, rights=None, name="", language=Language.FRENCH):
        """Create an invitation; return it with its clear token (shown once, in the e-mail)."""
        token = secrets.token_urlsafe(32)
        invitation = cls.objects.create(
            token_hash=hash_token(token),
            email=email.lower(),
            name=name or "",
            language=language or Language.FRENCH,
            dossier=dossier,
            invited_by=invited_by,
            rights=rights or {},
            expires_at=timezone.now() + timezone.timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        return invitation, token

    @classmethod
    def find_usable(cls, token):
        return cls.objects.usable().filter(token_hash=hash_token(token)).select_related("dossier").first()

    @classmethod
    def find(cls, token):
        """The invitation of ``token`` whatever its state (to tell used from expired from unknown)."""
        return cls.objects.filter(token_hash=hash_token(token)).select_related("dossier", "dossier__firm").first()

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_used(self):
        return self.used_at is not None
