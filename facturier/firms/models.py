"""Accounting firms and the people who work in them.

A firm is known as soon as single sign-on tells us a chartered accountant
belongs to it; its space opens when a chartered accountant accepts the terms,
which also creates the firm's own dossier.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

FREE_INVOICES = 500  # Invoices offered to the firm's own dossier.


class Firm(models.Model):
    siren = models.CharField(_("SIREN"), max_length=9, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    terms_accepted_at = models.DateTimeField(null=True, blank=True)
    terms_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The client users of the firm's dossiers must sign in with a second factor (an authenticator app).
    requires_two_factor = models.BooleanField(_("exiger la double authentification des clients"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cabinet")
        verbose_name_plural = _("cabinets")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_open(self):
        return self.terms_accepted_at is not None


class Role(models.TextChoices):
    CHARTERED_ACCOUNTANT = "chartered_accountant", _("Expert-comptable")
    STAFF = "staff", _("Collaborateur")


class FirmMembershipQuerySet(models.QuerySet):
    def delegated(self):
        """Members who work on the platform: single sign-on gave them the delegation."""
        return self.filter(has_delegation=True)

    def administering(self):
        """Members who administer their firm: chartered accountants and delegated admins."""
        return self.filter(models.Q(role=Role.CHARTERED_ACCOUNTANT) | models.Q(is_admin=True))


class FirmMembership(models.Model):
    """A person in a firm, as single sign-on last described them.

    ``role`` and ``has_delegation`` come from the identity provider's claims at
    each sign-in; ``is_admin`` is the admin right a chartered accountant
    delegated on the platform (chartered accountants are always admins).
    """

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="firm_memberships")
    role = models.CharField(max_length=24, choices=Role.choices, default=Role.STAFF)
    has_delegation = models.BooleanField(default=False)
    is_admin = models.BooleanField(default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    objects = FirmMembershipQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["firm", "user"], name="one_membership_per_firm")]

    def __str__(self):
        return f"{self.user} @ {self.firm}"

    @property
    def is_chartered_accountant(self):
        return self.role == Role.CHARTERED_ACCOUNTANT

    @property
    def can_administer(self):
        return self.is_chartered_accountant or self.is_admin
