"""Connections of a firm to accredited platforms, and the connection each dossier uses.

A firm administrator declares a ``Connection`` (the platform's Flow, Directory and token
URLs, the OAuth2 client the platform gave the firm). A dossier uses one connection
through its ``DossierConnection`` row, with its own identifier on that platform
(``organization_id``, sent as the ``Organization-Id`` header).

The row is the truth: a dossier with a row uses that connection, chosen in the
dossier settings. A dossier without one uses the firm's default connection, if the
firm has one: ``connection_for`` gives the dossier its row the first time it is
asked (``connected_at`` is then), so a later change of default leaves the dossiers
already connected where they are.
"""

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facturier.accredited import keys


class OrganizationIdScheme(models.TextChoices):
    """What a dossier's ``Organization-Id`` is on the platform by default."""

    NONE = "", _("Aucun (le client de la plateforme n'agit que pour un dossier)")
    SIREN = "siren", _("SIREN du dossier")
    VAT = "vat", _("Numéro de TVA du dossier")
    CUSTOM = "custom", _("Saisi dans les paramètres de chaque dossier")


class Connection(models.Model):
    firm = models.ForeignKey("firms.Firm", on_delete=models.CASCADE, related_name="platform_connections")
    name = models.CharField(_("nom"), max_length=100)
    flow_url = models.URLField(_("URL du service Flow"), max_length=300,
                               help_text=_("Par exemple https://api.plateforme.example/flow-service"))
    directory_url = models.URLField(_("URL du service Annuaire"), max_length=300,
                                    help_text=_("Par exemple https://api.plateforme.example/directory-service"))
    token_url = models.URLField(_("URL du jeton OAuth2"), max_length=300)
    client_id = models.CharField(_("identifiant client"), max_length=200)
    encrypted_secret = models.TextField(editable=False)
    organization_id_scheme = models.CharField(_("Organization-Id"), max_length=8, blank=True,
                                              choices=OrganizationIdScheme.choices, default=OrganizationIdScheme.NONE)
    is_default = models.BooleanField(_("connexion par défaut des dossiers"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("connexion à une plateforme agréée")
        verbose_name_plural = _("connexions à des plateformes agréées")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["firm", "name"], name="one_connection_name_per_firm"),
            models.UniqueConstraint(fields=["firm"], condition=models.Q(is_default=True),
                                    name="one_default_connection_per_firm"),
        ]

    def __str__(self):
        return self.name

    def __repr__(self):
        return f"<Connection {self.pk} {self.name!r} of firm {self.firm_id}>"

    @property
    def secret(self):
        """The client secret in clear, for the token request only; ``keys.UnreadableSecret`` if the key changed."""
        return keys.decrypt(self.encrypted_secret)

    @secret.setter
    def secret(self, value):
        self.encrypted_secret = keys.encrypt(value)

    @property
    def has_secret(self):
        return bool(self.encrypted_secret)

    def organization_id_for(self, dossier):
        """The ``Organization-Id`` the scheme gives ``dossier`` ("" when typed by hand or not sent)."""
        if self.organization_id_scheme == OrganizationIdScheme.SIREN:
            return dossier.siren
        if self.organization_id_scheme == OrganizationIdScheme.VAT:
            return dossier.vat_number
        return ""


class DossierConnection(models.Model):
    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="platform_connection")
    connection = models.ForeignKey(Connection, on_delete=models.PROTECT, related_name="dossiers")
    organization_id = models.CharField(
        _("identifiant du dossier sur la plateforme (Organization-Id)"), max_length=64, blank=True)
    connected_at = models.DateTimeField(_("connecté depuis"), default=timezone.now)

    class Meta:
        verbose_name = _("connexion d'un dossier")
        verbose_name_plural = _("connexions des dossiers")

    def __str__(self):
        return f"{self.dossier} → {self.connection}"


def connection_for(dossier):
    """The ``DossierConnection`` ``dossier`` uses, or None when it uses none (see the module docstring)."""
    existing = DossierConnection.objects.select_related("connection").filter(dossier=dossier).first()
    if existing is not None:
        return existing
    default = Connection.objects.filter(firm_id=dossier.firm_id, is_default=True).first()
    if default is None:
        return None
    try:
        with transaction.atomic():
            return DossierConnection.objects.create(dossier=dossier, connection=default,
                                                    organization_id=default.organization_id_for(dossier))
    except IntegrityError:  # another request gave the dossier its row first
        return DossierConnection.objects.select_related("connection").get(dossier=dossier)


class SentFlow(models.Model):
    """What a delivery through an accredited platform became there: the flow, its acknowledgement, and
    where the directory said the buyer receives.

    Written when the platform has answered; the ``tracking_id`` is the delivery's own (see
    ``sending.tracking_id``), so a retry, even after a crash that lost this row, names the same flow.
    """

    class Ack(models.TextChoices):
        PENDING = "Pending", _("En attente")
        OK = "Ok", _("Acceptée")
        ERROR = "Error", _("Refusée")

    delivery = models.OneToOneField("exchange.Delivery", on_delete=models.CASCADE, related_name="platform_flow")
    connection = models.ForeignKey(Connection, on_delete=models.PROTECT, related_name="sent_flows")
    tracking_id = models.CharField(max_length=64, unique=True)
    flow_id = models.CharField(max_length=64, blank=True)
    addressing_identifier = models.CharField(_("identifiant d'adressage"), max_length=125, blank=True)
    platform_type = models.CharField(max_length=3, blank=True)  # UNCL 3035 of the buyer's line: WK (a PA), DFH (PPF)
    ack_status = models.CharField(max_length=8, choices=Ack.choices, default=Ack.PENDING)
    ack_details = models.JSONField(default=list, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("flux envoyé à une plateforme agréée")
        verbose_name_plural = _("flux envoyés à des plateformes agréées")

    def __str__(self):
        return f"{self.tracking_id} → {self.flow_id or '?'} ({self.ack_status})"
