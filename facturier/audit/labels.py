"""Readable names of the audit trail's actions."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "terms_accepted": _("Conditions générales acceptées"),
    "admin_granted": _("Droits d'administrateur délégués"),
    "admin_revoked": _("Droits d'administrateur retirés"),
    "dossier_created": _("Dossier créé"),
    "dossier_changed": _("Dossier modifié"),
    "dossier_deleted": _("Dossier supprimé"),
    "assigned": _("Collaborateur affecté"),
    "unassigned": _("Affectation retirée"),
    "dossier_activated": _("Dossier activé (invitation envoyée)"),
    "invitation_resent": _("Invitation renvoyée"),
    "invitation_sent": _("Invitation envoyée"),
    "invitation_send_failed": _("Échec de l'envoi de l'invitation"),
    "invitation_opened": _("Invitation ouverte"),
    "invitation_accepted": _("Invitation acceptée"),
    "dossier_opened": _("Dossier ouvert par son propriétaire"),
    "account_created": _("Compte créé"),
    "signed_in": _("Connexion"),
    "dossiers.imported": _("Clients importés"),
    "dossier.completed_from_registry": _("Dossier complété depuis la base SIRENE"),
}


def action_label(action):
    return ACTION_LABELS.get(action, action)
