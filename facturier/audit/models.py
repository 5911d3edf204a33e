"""The audit trail: who did what, when, in which firm and dossier.

Events are write-once and hash-chained like the archive: each event's chain
hash covers the previous event's and every field of its own, database triggers
(migration 0003, ``triggers``) refuse any change but the platform's own nulling
of a deleted user, firm or dossier, and the archive's signed checkpoints record
the chain's head. The ids an event was recorded with stay in ``parties``, so the
hash still checks once a link was nulled.

Appends lock the single ``AuditChainHead`` row until their transaction commits:
record events late in a transaction, and after any archive append (the archive's
dossier head is always locked first, so the two locks never deadlock).
"""

import datetime
import hashlib
import json

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """Every action the trail records, named ``subject_past_participle``, with its label."""

    # Firms and their staff
    TERMS_ACCEPTED = "terms_accepted", _("Conditions générales acceptées")
    FIRM_DISCOVERED = "firm_discovered", _("Cabinet enregistré à la connexion de son personnel")
    ADMIN_GRANTED = "admin_granted", _("Droits d'administrateur délégués")
    ADMIN_REVOKED = "admin_revoked", _("Droits d'administrateur retirés")
    FIRM_TWO_FACTOR_CHANGED = "firm_two_factor_changed", _("Double authentification exigée ou non des clients")
    # Dossiers
    DOSSIER_CREATED = "dossier_created", _("Dossier créé")
    DOSSIER_CHANGED = "dossier_changed", _("Dossier modifié")
    DOSSIER_DELETED = "dossier_deleted", _("Dossier supprimé")
    DOSSIERS_IMPORTED = "dossiers_imported", _("Clients importés")
    DOSSIER_COMPLETED_FROM_REGISTRY = "dossier_completed_from_registry", _("Dossier complété depuis la base SIRENE")
    DOSSIER_SETTINGS_CHANGED = "dossier_settings_changed", _("Paramètres du dossier modifiés")
    COMPANY_SETTINGS_CHANGED = "company_settings_changed", _("Paramètres de la société modifiés")
    MAILBOX_ADDRESS_CHANGED = "mailbox_address_changed", _("Adresse de réception des factures remplacée")
    MAILBOX_SENDERS_CHANGED = "mailbox_senders_changed", _("Expéditeurs autorisés ou refusés modifiés")
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
    PASSWORD_RESET_LIMITED = "password_reset_limited", _("Réinitialisations de mot de passe limitées")
    TWO_FACTOR_ENABLED = "two_factor_enabled", _("Double authentification activée")
    TWO_FACTOR_DISABLED = "two_factor_disabled", _("Double authentification désactivée")
    TWO_FACTOR_CODES_RENEWED = "two_factor_codes_renewed", _("Codes de secours renouvelés")
    NOTIFICATION_PREFERENCES_CHANGED = "notification_preferences_changed", _("Préférences de notification modifiées")
    # Invoices
    INVOICE_ISSUED = "invoice_issued", _("Facture émise")
    INVOICE_RESENT = "invoice_resent", _("Facture renvoyée")
    INVOICES_UPLOADED = "invoices_uploaded", _("Factures d'achat déposées")
    INVOICE_DECISION_RECORDED = "invoice_decision_recorded", _("Décision enregistrée sur une facture")
    FLOW_REFUSED = "flow_refused", _("Flux refusé (API)")
    CUSTOMER_CREATED = "customer_created", _("Client de facturation créé")
    CUSTOMER_UPDATED = "customer_updated", _("Client de facturation modifié")
    THIRD_PARTY_UPDATED = "third_party_updated", _("Fiche d'un client ou fournisseur modifiée")
    SUPPLIER_CREATION_CONFIRMED = "supplier_creation_confirmed", _("Fournisseur en création confirmé")
    RECOGNISED_INVOICE_CONFIRMED = "recognised_invoice_confirmed", _("Facture reconnue (PDF, scan ou photo) confirmée")
    RECOGNISED_FILE_DISMISSED = "recognised_file_dismissed", _("Fichier reçu écarté : ce n'est pas une facture")
    # Archive
    ARCHIVE_DOWNLOADED = "archive_downloaded", _("Pièce archivée téléchargée")
    ARCHIVE_PERIOD_DOWNLOADED = "archive_period_downloaded", _("Archives d'une période téléchargées")
    ARCHIVE_INTEGRITY_FAILED = "archive_integrity_failed", _("Intégrité d'une pièce archivée en défaut")
    ARCHIVE_VERIFIED = "archive_verified", _("Archive vérifiée")
    ARCHIVE_CHECKPOINT_MADE = "archive_checkpoint_made", _("Point de contrôle signé de l'archive")
    ARCHIVE_CHECKPOINT_REFUSED = "archive_checkpoint_refused", _("Point de contrôle de l'archive refusé")
    ARCHIVE_CHECKPOINT_DOWNLOADED = "archive_checkpoint_downloaded", _("Point de contrôle signé téléchargé")
    ARCHIVE_ORPHANS_HANDLED = "archive_orphans_handled", _("Fichiers orphelins de l'archive traités")
    # Accounting
    LEDGER_EXPORTED = "ledger_exported", _("Écritures exportées")
    LEDGER_EXPORT_UNDONE = "ledger_export_undone", _("Export d'écritures annulé")
    LEDGER_CSV_DOWNLOADED = "ledger_csv_downloaded", _("Écritures téléchargées (CSV)")
    LEDGER_SETTINGS_CHANGED = "ledger_settings_changed", _("Paramètres comptables modifiés")
    # API clients (the standard platform API); events name the client in their detail
    API_CLIENT_CREATED = "api_client_created", _("Client de l'API créé")
    API_CLIENT_REVOKED = "api_client_revoked", _("Client de l'API révoqué")
    API_TOKEN_ISSUED = "api_token_issued", _("Jeton d'accès à l'API délivré")
    API_TOKEN_REFUSED = "api_token_refused", _("Jeton d'accès à l'API refusé")
    # E-reporting
    VAT_PROFILE_CHANGED = "vat_profile_changed", _("Profil TVA du dossier modifié")
    B2C_DAY_SAVED = "b2c_day_saved", _("Ventes aux particuliers d'un jour saisies")
    B2C_TOTALS_IMPORTED = "b2c_totals_imported", _("Totaux journaliers de ventes aux particuliers importés")
    EREPORT_BUILT = "ereport_built", _("Rapport d'e-reporting préparé")
    EREPORT_DOWNLOADED = "ereport_downloaded", _("Rapport d'e-reporting téléchargé")
    EREPORT_SEND_REFUSED = "ereport_send_refused", _("Transmission d'un rapport d'e-reporting impossible")
    EREPORT_SENT = "ereport_sent", _("Rapport d'e-reporting transmis à la plateforme agréée")
    EREPORT_RECEIVED = "ereport_received", _("Rapport d'e-reporting reçu (API)")
    # Webhooks of API clients
    WEBHOOK_CREATED = "webhook_created", _("Webhook créé")
    WEBHOOK_DELETED = "webhook_deleted", _("Webhook supprimé")
    # Connections to accredited platforms (PA)
    PLATFORM_CONNECTION_CREATED = "platform_connection_created", _("Connexion à une plateforme agréée créée")
    PLATFORM_CONNECTION_CHANGED = "platform_connection_changed", _("Connexion à une plateforme agréée modifiée")
    PLATFORM_CONNECTION_DELETED = "platform_connection_deleted", _("Connexion à une plateforme agréée supprimée")
    PLATFORM_CONNECTION_TESTED = "platform_connection_tested", _("Connexion à une plateforme agréée testée")
    DOSSIER_PLATFORM_CHANGED = "dossier_platform_changed", _("Plateforme agréée du dossier modifiée")
    RECEIVED_FLOW_RETRIED = "received_flow_retried", _("Flux reçu d'une plateforme agréée remis à traiter")

GENESIS_HASH = hashlib.sha256(b"facturier-audit/v1").hexdigest()


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=64)
    firm = models.ForeignKey("firms.Firm", null=True, on_delete=models.SET_NULL, related_name="+")
    dossier = models.ForeignKey("dossiers.Dossier", null=True, on_delete=models.SET_NULL, related_name="+")
    target = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    sequence = models.PositiveBigIntegerField(null=True, unique=True)
    parties = models.CharField(max_length=64, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    chain_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["firm", "-at"]), models.Index(fields=["dossier", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target}"

    def compute_chain_hash(self):
        return event_hash(self.previous_hash, self.sequence, self.at, self.action, self.parties, self.target,
                          self.detail)

    def parties_match(self):
        """The links still name the recorded ids, or were nulled by a deletion."""
        current = [self.actor_id, self.firm_id, self.dossier_id]
        recorded = [int(part) if part else None for part in self.parties.split("/")]
        return all(now is None or now == then for now, then in zip(current, recorded, strict=True))


class AuditChainHead(models.Model):
    """The one row appends lock, and the tail the checkpoints sign."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)


def event_hash(previous_hash, sequence, at, action, parties, target, detail):
    """SHA-256 of the canonical JSON of the event (its detail as the database gives it back)."""
    fields = [previous_hash, sequence, at.astimezone(datetime.UTC).isoformat(timespec="microseconds"), action,
              parties, target, json.loads(json.dumps(detail))]
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def parties_of(actor_id, firm_id, dossier_id):
    return "/".join("" if pk is None else str(pk) for pk in (actor_id, firm_id, dossier_id))


def record(actor, action, *, firm=None, dossier=None, target="", **detail):
    """Append one event; ``actor`` may be None for the platform itself.

    ``action`` must be an ``AuditAction``: an unknown one raises ValueError, so
    the trail never holds an action the audit page cannot name.
    """
    action = AuditAction(action)
    if dossier is not None and firm is None:
        firm = dossier.firm
    event = AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action.value,
        firm=firm,
        dossier=dossier,
        target=str(target),
        detail=detail,
    )
    return record_many([event])[0]


def record_many(events, batch_size=1000):
    """Append unsaved events in one go, chained in the order given (e.g. a whole import).

    The chain head, one row for the whole platform, stays locked until the
    surrounding transaction ends: call this as late in it as you can.
    """
    with transaction.atomic(savepoint=False):
        head = AuditChainHead.objects.select_for_update().get_or_create(pk=1)[0]
        for event in events:
            event.at = timezone.now()
            event.parties = parties_of(event.actor_id, event.firm_id, event.dossier_id)
            event.sequence, event.previous_hash = head.last_sequence + 1, head.last_hash
            event.chain_hash = event.compute_chain_hash()
            head.last_sequence, head.last_hash = event.sequence, event.chain_hash
        AuditEvent.objects.bulk_create(events, batch_size=batch_size)
        head.save(update_fields=["last_sequence", "last_hash"])
    return events


def chain_head():
    head = AuditChainHead.objects.filter(pk=1).first()
    return (head.last_sequence, head.last_hash) if head else (0, GENESIS_HASH)


def first_break():
    """``(sequence, reason)`` of the first event that fails its chain, or None when the trail is intact.

    Reasons: ``unchained`` (an event written around ``record``), ``missing`` (a gap in the
    sequence), ``link_broken``, ``changed``, ``tail_missing``.
    """
    if AuditEvent.objects.filter(sequence__isnull=True).exists():
        return 0, "unchained"
    expected, previous_hash = 1, GENESIS_HASH
    for event in AuditEvent.objects.filter(sequence__isnull=False).order_by("sequence").iterator(chunk_size=2000):
        if event.sequence != expected:
            return expected, "missing"
        if event.previous_hash != previous_hash:
            return expected, "link_broken"
        if event.compute_chain_hash() != event.chain_hash or not event.parties_match():
            return expected, "changed"
        previous_hash, expected = event.chain_hash, expected + 1
    if chain_head() != (expected - 1, previous_hash):
        return expected, "tail_missing"
    return None
