"""People and the invitations that bring them onto the platform.

A person has one account, identified by e-mail, whatever firms and dossiers they
belong to. Firm staff sign in through single sign-on only (``sso_subject`` set,
no usable password); client users sign in with e-mail and password.
"""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    FRENCH = "fr", _("Français")
    ENGLISH = "en", _("English")


class UserManager(BaseUserManager):
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


class TwoFactor(models.Model):
    """A client user's authenticator app (TOTP, RFC 6238): confirmed once the person typed a first code."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The 30-second step of the last code accepted: a code is good once, even typed in two tabs.
    last_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)


class RecoveryCode(models.Model):
    """A one-time code for when the phone is lost; only its SHA-256 is kept (the code is random, 50 bits)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "code_hash"])]
