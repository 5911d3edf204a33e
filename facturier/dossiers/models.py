"""Client companies (dossiers), who works on them and who uses them."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facturier.accounts.models import Language


class Month(models.IntegerChoices):
    JANUARY = 1, _("Janvier")
    FEBRUARY = 2, _("Février")
    MARCH = 3, _("Mars")
    APRIL = 4, _("Avril")
    MAY = 5, _("Mai")
    JUNE = 6, _("Juin")
    JULY = 7, _("Juillet")
    AUGUST = 8, _("Août")
    SEPTEMBER = 9, _("Septembre")
    OCTOBER = 10, _("Octobre")
    NOVEMBER = 11, _("Novembre")
    DECEMBER = 12, _("Décembre")


class DossierStatus(models.TextChoices):
    NOT_ACTIVATED = "not_activated", _("Non activé")
    INVITED = "invited", _("Invitation envoyée")
    ACTIVE = "active", _("Actif")


class VatRegime(models.TextChoices):
    """The VAT regime of a dossier: it sets the e-reporting calendar (facturier.ereporting.calendar)."""

    NOT_SET = "", _("Non renseigné")
    NORMAL_MONTHLY = "normal_monthly", _("Réel normal mensuel")
    NORMAL_QUARTERLY = "normal_quarterly", _("Réel normal trimestriel")
    SIMPLIFIED = "simplified", _("Réel simplifié")
    FRANCHISE = "franchise", _("Franchise en base")


class ServicesVatBasis(models.TextChoices):
    """When VAT on services falls due: on payment (the rule) or on the invoice (the option for debits)."""

    RECEIPTS = "receipts", _("Sur les encaissements")
    DEBITS = "debits", _("Sur les débits")


class Dossier(models.Model):
    firm = models.ForeignKey("firms.Firm", on_delete=models.PROTECT, related_name="dossiers")
    is_firm_own = models.BooleanField(default=False, help_text=_("Le dossier du cabinet lui-même."))
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    name = models.CharField(_("nom client"), max_length=200)
    country = models.CharField(_("pays"), max_length=2, default="FR")
    language = models.CharField(_("langue"), max_length=2, choices=Language.choices, default=Language.FRENCH)
    fiscal_year_end_month = models.PositiveSmallIntegerField(_("mois de clôture"), choices=Month.choices)
    vat_number = models.CharField(_("TVA"), max_length=20, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    address = models.CharField(_("adresse"), max_length=300)
    postal_code = models.CharField(_("code postal"), max_length=16)
    city = models.CharField(_("ville"), max_length=100)
    representative_name = models.CharField(_("nom du contact"), max_length=200)
    representative_language = models.CharField(
        _("langue contact"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    representative_email = models.EmailField(_("e-mail du contact"))
    status = models.CharField(max_length=16, choices=DossierStatus.choices, default=DossierStatus.NOT_ACTIVATED)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_dossiers"
    )
    free_invoices = models.PositiveIntegerField(default=0, help_text=_("Factures offertes restantes."))
    # Dossier settings (the gear of the dossier home).
    auto_approve = models.BooleanField(
        _("approuver automatiquement les factures sans anomalie"), default=False
    )
    default_output_format = models.CharField(
        _("format d'envoi par défaut"), max_length=8, default="facturx",
        choices=[("facturx", "Factur-X"), ("cii", "CII"), ("ubl", "UBL")],
    )
    # The company as its sales invoices show it (the "Société" settings page).
    legal_mentions = models.TextField(
        _("mentions légales"), blank=True, max_length=500,
        help_text=_("Forme juridique, capital, RCS… imprimées sur vos factures (BT-33)."))
    invoice_prefix = models.CharField(
        _("préfixe de numérotation"), max_length=10, default="F",
        help_text=_("Les numéros de facture suivent ce préfixe, l'année et un compteur : F2026-00001."))
    payment_days = models.PositiveSmallIntegerField(_("délai de paiement (jours)"), default=30)
    payment_terms = models.CharField(_("conditions de paiement"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact facturation"), max_length=200, blank=True)
    contact_phone = models.CharField(_("téléphone du contact"), max_length=40, blank=True)
    contact_email = models.EmailField(_("e-mail du contact facturation"), blank=True)
    # VAT profile: what the e-reporting of the dossier depends on.
    vat_regime = models.CharField(_("régime de TVA"), max_length=20, choices=VatRegime.choices, blank=True,
                                  default=VatRegime.NOT_SET)
    services_vat_basis = models.CharField(_("TVA sur les prestations de services"), max_length=10,
                                          choices=ServicesVatBasis.choices, default=ServicesVatBasis.RECEIPTS)
    sells_to_individuals = models.BooleanField(_("vend à des particuliers"), default=False)
    trades_abroad = models.BooleanField(_("achète ou vend hors de France"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["firm", "siren"], condition=~models.Q(siren=""), name="one_dossier_per_siren_in_firm"
            ),
        ]
        indexes = [
            models.Index(fields=["firm", "name"]),
            models.Index(fields=["siren"]),
            # The client list's SIREN prefix search (LIKE '123%') on PostgreSQL, whatever the collation.
            models.Index(fields=["siren"], name="dossier_siren_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self):
        """Nobody, the firm included, enters a dossier before its owner completes the invitation."""
        return self.status == DossierStatus.ACTIVE

    @property
    def identification(self):
        """The number shown in the client list, with its label."""
        if self.siren:
            return self.siren, _("N° SIREN")
        return self.vat_number, _("N° TVA")


class CompanyLogo(models.Model):
    """The dossier's logo, kept apart so that loading a dossier never loads the image."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, primary_key=True, related_name="logo")
    content = models.BinaryField()
    media_type = models.CharField(max_length=20)
    updated_at = models.DateTimeField(auto_now=True)


class Assignment(models.Model):
    """A firm staff member assigned to a dossier."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dossier", "user"], name="one_assignment_per_person")]


class DossierMembership(models.Model):
    """A client user of a dossier and the rights the owner gave them."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dossier_memberships")
    is_owner = models.BooleanField(default=False)
    can_manage_users = models.BooleanField(_("gérer les utilisateurs"), default=False)
    can_issue_sales = models.BooleanField(_("émettre les factures de vente"), default=False)
    can_handle_purchases = models.BooleanField(_("traiter les factures d'achat"), default=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dossier", "user"], name="one_membership_per_dossier")]

    @property
    def is_read_only(self):
        return not (self.can_manage_users or self.can_issue_sales or self.can_handle_purchases)


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


class LastDossier(models.Model):
    """The dossier a person used last: the platform opens it first at their next visit."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="last_dossier_used")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    used_at = models.DateTimeField(auto_now=True)
