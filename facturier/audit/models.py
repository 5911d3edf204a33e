"""The audit trail: who did what, when, in which firm and dossier."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """Every action the trail records, named ``subject_past_participle``, with its label."""

    # Firms and their staff
    TERMS_ACCEPTED = "terms_accepted", _("Conditions générales acceptées")
    FIRM_DISCOVERED = "firm_discovered", _("Cabinet enregistré à la connexion de son personnel")
    ADMIN_GRANTED = "admin_granted", _("Droits d'administrateur délégués")
    ADMIN_REVOKED = "admin_revoked", _("Droits d'administrateur retirés")
    # Dossiers
    DOSSIER_CREATED = "dossier_created", _("Dossier créé")
    DOSSIER_CHANGED = "dossier_changed", _("Dossier modifié")
    DOSSIER_DELETED = "dossier_deleted", _("Dossier supprimé")
    DOSSIERS_IMPORTED = "dossiers_imported", _("Clients importés")
    DOSSIER_COMPLETED_FROM_REGISTRY = "dossier_completed_from_registry", _("Dossier complété depuis la base SIRENE")
    DOSSIER_SETTINGS_CHANGED = "dossier_settings_changed", _("Paramètres du dossier modifiés")
    ASSIGNED = "assigned", _("Collaborateur affecté")
    UNASSIGNED = "unassigned", _("Affectation retirée")
    DOSSIER_ACTIVATED = "dossier_activated", _("Dossier activé (invitation envoyée)")
    DOSSIER_OPENED = "dossier_opened", _("Dossier ouvert par son propriétaire")
    # Invitations and the dossier's users
    INVITATION_SENT = "invitation_sent", _("Invitation envoyée")
    INVITATION_RESENT = "invitation_resent", _("Invitation renvoyée")
    INVITATION_SEND_FAILED = "invitation_send_failed", _("Échec de l'envoi de l'invitation")
    INVITATION_OPENED = "invitation_opened", _("Invitation ouverte")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation acceptée")
    INVITATION_REPLACED = "invitation_replaced", _("Invitation remplacée")
    INVITATION_CANCELLED = "invitation_cancelled", _("Invitation annulée")
    DOSSIER_USER_RIGHTS_CHANGED = "dossier_user_rights_changed", _("Droits d'un utilisateur du dossier modifiés")
    DOSSIER_USER_REMOVED = "dossier_user_removed", _("Utilisateur du dossier retiré")
    # Accounts and sign-in
    ACCOUNT_CREATED = "account_created", _("Compte créé")
    SIGNED_IN = "signed_in", _("Connexion")
    SIGNED_OUT = "signed_out", _("Déconnexion")
    SIGN_IN_FAILED = "sign_in_failed", _("Échec de connexion")
    SIGN_IN_REFUSED = "sign_in_refused", _("Connexion refusée")
    ACCOUNT_LOCKED = "account_locked", _("Compte verrouillé")
    SSO_REJECTED = "sso_rejected", _("Connexion par le fournisseur d'identité rejetée")
    PASSWORD_RESET = "password_reset", _("Mot de passe réinitialisé")
    # Invoices
    INVOICE_ISSUED = "invoice_issued", _("Facture émise")
    INVOICE_RESENT = "invoice_resent", _("Facture renvoyée")
    INVOICES_UPLOADED = "invoices_uploaded", _("Factures d'achat déposées")
    INVOICE_DECISION_RECORDED = "invoice_decision_recorded", _("Décision enregistrée sur une facture")
    CUSTOMER_CREATED = "customer_created", _("Client de facturation créé")
    CUSTOMER_UPDATED = "customer_updated", _("Client de facturation modifié")
    # Archive
    ARCHIVE_DOWNLOADED = "archive_downloaded", _("Pièce archivée téléchargée")
    ARCHIVE_PERIOD_DOWNLOADED = "archive_period_downloaded", _("Archives d'une période téléchargées")
    ARCHIVE_INTEGRITY_FAILED = "archive_integrity_failed", _("Intégrité d'une pièce archivée en défaut")
    ARCHIVE_VERIFIED = "archive_verified", _("Archive vérifiée")
    # Accounting
    LEDGER_EXPORTED = "ledger_exported", _("Écritures exportées")
    LEDGER_EXPORT_UNDONE = "ledger_export_undone", _("Export d'écritures annulé")
    LEDGER_CSV_DOWNLOADED = "ledger_csv_downloaded", _("Écritures téléchargées (CSV)")
    LEDGER_SETTINGS_CHANGED = "ledger_settings_changed", _("Paramètres comptables modifiés")


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=64)
    firm = models.ForeignKey("firms.Firm", null=True, on_delete=models.SET_NULL, related_name="+")
    dossier = models.ForeignKey("dossiers.Dossier", null=True, on_delete=models.SET_NULL, related_name="+")
    target = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["firm", "-at"]), models.Index(fields=["dossier", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target}"


def record(actor, action, *, firm=None, dossier=None, target="", **detail):
    """Append one event; ``actor`` may be None for the platform itself.

    ``action`` must be an ``AuditAction``: an unknown one raises ValueError, so
    the trail never holds an action the audit page cannot name.
    """
    action = AuditAction(action)
    if dossier is not None and firm is None:
        firm = dossier.firm
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action.value,
        firm=firm,
        dossier=dossier,
        target=str(target),
        detail=detail,
    )
