"""The French lifecycle statuses and status reasons (XP Z12-012, BR-FR-CDV Schematron).

A status is set either during transmission, by the accredited platforms
(acknowledgement type 305), or during processing, by the companies themselves
(type 23). Some statuses need a reason taken from a closed list; the lists
below are those of the French CDAR Schematron (BR-FR-CDV-CL-09, v1.4.0).

Every code of its status list (BR-FR-CDV-CL-06) is here; the few no published
source defines carry a neutral label (docs/lifecycle.md).
"""

import enum

GUIDELINE = "urn.cpro.gouv.fr:1p0:CDV:invoice"  # MDT-3

TRANSMISSION = "305"  # MDT-77: status set by a platform while the invoice travels
PROCESSING = "23"  # MDT-77: status set by the seller or the buyer


class LifecycleStatus(enum.IntEnum):
    """Statuses of an invoice's life (MDT-105), with their French and English labels."""

    def __new__(cls, code, label, label_en):
        member = int.__new__(cls, code)
        member._value_ = code
        member.label = label
        member.label_en = label_en
        return member

    DEPOSEE = 200, "Déposée", "Submitted"
    EMISE = 201, "Émise", "Issued"
    RECUE = 202, "Reçue", "Received"
    MISE_A_DISPOSITION = 203, "Mise à disposition", "Made available"
    PRISE_EN_CHARGE = 204, "Prise en charge", "In process"
    APPROUVEE = 205, "Approuvée", "Approved"
    APPROUVEE_PARTIELLEMENT = 206, "Approuvée partiellement", "Partially approved"
    EN_LITIGE = 207, "En litige", "Disputed"
    SUSPENDUE = 208, "Suspendue", "Suspended"
    COMPLETEE = 209, "Complétée", "Completed"
    REFUSEE = 210, "Refusée", "Refused"
    PAIEMENT_TRANSMIS = 211, "Paiement transmis", "Payment sent"
    ENCAISSEE = 212, "Encaissée", "Payment received"
    REJETEE = 213, "Rejetée", "Rejected"
    VISEE = 214, "Visée", "Certified"
    ANNULEE = 220, "Annulée", "Cancelled"
    ERREUR_ROUTAGE = 221, "Erreur de routage", "Routing error"
    DEMANDE_PAIEMENT_DIRECT = 224, "Demande de paiement direct", "Direct payment requested"
    AFFACTUREE = 225, "Affacturée", "Factored"
    AFFACTUREE_CONFIDENTIEL = 226, "Affacturée confidentiel", "Confidentially factored"
    CHANGEMENT_COMPTE_A_PAYER = 227, "Changement de compte à payer", "Payment account changed"
    NON_AFFACTUREE = 228, "Non affacturée", "Not factored"
    IRRECEVABLE = 501, "Irrecevable", "Inadmissible"
    # Codes of the official list (BR-FR-CDV-CL-06) whose meaning no published
    # source we could read defines: neutral labels, no invented meaning.
    STATUT_250 = 250, "Statut 250", "Status 250"
    STATUT_251 = 251, "Statut 251", "Status 251"
    STATUT_300 = 300, "Statut 300", "Status 300"
    STATUT_301 = 301, "Statut 301", "Status 301"
    STATUT_400 = 400, "Statut 400", "Status 400"
    STATUT_401 = 401, "Statut 401", "Status 401"
    STATUT_500 = 500, "Statut 500", "Status 500"
    STATUT_601 = 601, "Statut 601", "Status 601"

    def text(self, language="fr"):
        """The label in ``language`` ("en", "en-gb"…: English; anything else: French)."""
        return self.label_en if (language or "").lower().startswith("en") else self.label

    @property
    def phase(self):
        """MDT-77: 305 when a platform sets the status, 23 when a company does.

        ``None`` for a status of unknown meaning: its phase is that of whoever
        sets it (see ``LifecycleMessage.phase``).
        """
        if not self.meaning_known:
            return None
        return TRANSMISSION if self in TRANSMISSION_STATUSES else PROCESSING

    @property
    def meaning_known(self):
        """False for the listed codes no published source defines: recorded and shown, never offered."""
        return self not in UNKNOWN_MEANING

    @property
    def requires_reason(self):
        return self in REASON_REQUIRED

    @property
    def mandatory_for_tax_authority(self):
        """The four statuses every platform must pass on to the PPF data hub."""
        return self in (LifecycleStatus.DEPOSEE, LifecycleStatus.REFUSEE, LifecycleStatus.ENCAISSEE,
                        LifecycleStatus.REJETEE)


S = LifecycleStatus

UNKNOWN_MEANING = frozenset({S.STATUT_250, S.STATUT_251, S.STATUT_300, S.STATUT_301, S.STATUT_400, S.STATUT_401,
                             S.STATUT_500, S.STATUT_601})

TRANSMISSION_STATUSES = frozenset({S.DEPOSEE, S.EMISE, S.RECUE, S.MISE_A_DISPOSITION, S.REJETEE, S.IRRECEVABLE})

# BR-FR-CDV-15: a reason (MDT-113) is required for these statuses.
REASON_REQUIRED = frozenset({S.APPROUVEE_PARTIELLEMENT, S.EN_LITIGE, S.SUSPENDUE, S.REFUSEE, S.REJETEE,
                             S.IRRECEVABLE})

# MDT-88 (UNTDID 1373 document status) as the AFNOR examples use it. The
# Schematron allows it to be absent, which is what we do where the examples
# do not settle the code.
DOCUMENT_STATUS_CODES = {
    S.DEPOSEE: "10", S.RECUE: "43", S.MISE_A_DISPOSITION: "48", S.REJETEE: "8",
    S.PRISE_EN_CHARGE: "45", S.APPROUVEE: "1", S.EN_LITIGE: "46", S.REFUSEE: "50",
    S.PAIEMENT_TRANSMIS: "47", S.ENCAISSEE: "47",
}

# MDT-113, closed list (BR-FR-CDV-CL-09), with a French description.
REASONS = {
    "RETRAIT_MAN_SERV": "Retrait manuel par le service (B2G)",
    "ST_CT_NON_DECLAR": "Sous-traitant ou cotraitant non déclaré",
    "SUPPR_COMP_AVOIR": "Suppression compensée par un avoir",
    "TRANSF_PMNT_REGIE": "Transfert au paiement en régie",
    "CONTACT_ACHTR": "Contacter l'acheteur",
    "NON_TRANSMISE": "Facture non transmise",
    "JUSTIF_ABS": "Justificatif absent",
    "ROUTAGE_ERR": "Erreur de routage",
    "AUTRE": "Autre motif",
    "COORD_BANC_ERR": "Coordonnées bancaires erronées",
    "TX_TVA_ERR": "Taux de TVA erroné",
    "MONTANTTOTAL_ERR": "Montant total erroné",
    "CALCUL_ERR": "Erreur de calcul",
    "NON_CONFORME": "Facture non conforme",
    "DOUBLON": "Facture en doublon (déjà émise ou reçue)",
    "DEST_INC": "Destinataire inconnu",
    "DEST_ERR": "Erreur de destinataire",
    "TRANSAC_INC": "Transaction inconnue",
    "EMMET_INC": "Émetteur inconnu",
    "CONTRAT_TERM": "Contrat terminé",
    "DOUBLE_FACT": "Double facturation",
    "CMD_ERR": "Référence de commande erronée",
    "ADR_ERR": "Adresse de facturation erronée",
    "SIRET_ERR": "SIRET absent ou erroné",
    "CODE_ROUTAGE_ERR": "Code de routage absent ou erroné",
    "REF_CT_ABSENT": "Référence de contrat absente",
    "REF_ERR": "Référence erronée",
    "PU_ERR": "Prix unitaire erroné",
    "REM_ERR": "Remise erronée",
    "QTE_ERR": "Quantité erronée",
    "ART_ERR": "Article facturé erroné",
    "MODPAI_ERR": "Modalités de paiement erronées",
    "QUALITE_ERR": "Qualité non conforme",
    "LIVR_INCOMP": "Livraison incomplète",
    "REJ_SEMAN": "Rejet : erreur sémantique",
    "REJ_UNI": "Rejet : facture non unique",
    "REJ_COH": "Rejet : données incohérentes",
    "REJ_ADR": "Rejet : erreur d'adressage",
    "REJ_CONT_B2G": "Rejet : contrôle B2G",
    "REJ_REF_PJ": "Rejet : pièce jointe référencée absente",
    "REJ_ASS_PJ": "Rejet : pièce jointe non associée",
    "IRR_VIDE_F": "Fichier vide",
    "IRR_TYPE_F": "Type de fichier non autorisé",
    "IRR_SYNTAX": "Erreur de syntaxe",
    "IRR_TAILLE_PJ": "Pièce jointe trop volumineuse",
    "IRR_NOM_PJ": "Nom de pièce jointe non conforme",
    "IRR_VID_PJ": "Pièce jointe vide",
    "IRR_EXT_DOC": "Extension de document non autorisée",
    "IRR_TAILLE_F": "Fichier trop volumineux",
    "IRR_ANTIVIRUS": "Fichier bloqué par l'antivirus",
    "IRR_NOM_F": "Nom de fichier non conforme",
}

# The same reasons in English, for readers of the platform in English (CDAR messages carry the French text).
REASONS_EN = {
    "RETRAIT_MAN_SERV": "Manually withdrawn by the department (B2G)",
    "ST_CT_NON_DECLAR": "Undeclared subcontractor or co-contractor",
    "SUPPR_COMP_AVOIR": "Cancelled and offset by a credit note",
    "TRANSF_PMNT_REGIE": "Transferred to cash payment",
    "CONTACT_ACHTR": "Contact the buyer",
    "NON_TRANSMISE": "Invoice not transmitted",
    "JUSTIF_ABS": "Supporting document missing",
    "ROUTAGE_ERR": "Routing error",
    "AUTRE": "Other reason",
    "COORD_BANC_ERR": "Wrong bank details",
    "TX_TVA_ERR": "Wrong VAT rate",
    "MONTANTTOTAL_ERR": "Wrong total amount",
    "CALCUL_ERR": "Calculation error",
    "NON_CONFORME": "Non-compliant invoice",
    "DOUBLON": "Duplicate invoice (already issued or received)",
    "DEST_INC": "Unknown recipient",
    "DEST_ERR": "Wrong recipient",
    "TRANSAC_INC": "Unknown transaction",
    "EMMET_INC": "Unknown sender",
    "CONTRAT_TERM": "Contract ended",
    "DOUBLE_FACT": "Invoiced twice",
    "CMD_ERR": "Wrong order reference",
    "ADR_ERR": "Wrong billing address",
    "SIRET_ERR": "SIRET missing or wrong",
    "CODE_ROUTAGE_ERR": "Routing code missing or wrong",
    "REF_CT_ABSENT": "Contract reference missing",
    "REF_ERR": "Wrong reference",
    "PU_ERR": "Wrong unit price",
    "REM_ERR": "Wrong discount",
    "QTE_ERR": "Wrong quantity",
    "ART_ERR": "Wrong item invoiced",
    "MODPAI_ERR": "Wrong payment terms",
    "QUALITE_ERR": "Quality not as agreed",
    "LIVR_INCOMP": "Incomplete delivery",
    "REJ_SEMAN": "Rejected: semantic error",
    "REJ_UNI": "Rejected: invoice not unique",
    "REJ_COH": "Rejected: inconsistent data",
    "REJ_ADR": "Rejected: addressing error",
    "REJ_CONT_B2G": "Rejected: B2G check",
    "REJ_REF_PJ": "Rejected: referenced attachment missing",
    "REJ_ASS_PJ": "Rejected: attachment not linked",
    "IRR_VIDE_F": "Empty file",
    "IRR_TYPE_F": "File type not allowed",
    "IRR_SYNTAX": "Syntax error",
    "IRR_TAILLE_PJ": "Attachment too large",
    "IRR_NOM_PJ": "Attachment name not allowed",
    "IRR_VID_PJ": "Empty attachment",
    "IRR_EXT_DOC": "Document extension not allowed",
    "IRR_TAILLE_F": "File too large",
    "IRR_ANTIVIRUS": "File blocked by the antivirus",
    "IRR_NOM_F": "File name not allowed",
}


def reason_text(code, language="fr"):
    """A status reason's description in ``language``; the code itself when the list does not know it."""
    table = REASONS_EN if (language or "").lower().startswith("en") else REASONS
    return table.get(code, code)


# The reasons each status accepts when its list is closed (BR-FR-CDV-CL-09_MDT-113_<status>).
REASONS_BY_STATUS = {
    S.DEPOSEE: {"NON_TRANSMISE"},
    S.REJETEE: {"MONTANTTOTAL_ERR", "CALCUL_ERR", "DOUBLON", "DEST_INC", "ADR_ERR", "REJ_SEMAN", "REJ_UNI",
                "REJ_COH", "REJ_ADR", "REJ_CONT_B2G", "REJ_REF_PJ", "REJ_ASS_PJ"},
    S.REFUSEE: {"TX_TVA_ERR", "MONTANTTOTAL_ERR", "CALCUL_ERR", "NON_CONFORME", "DOUBLON", "DEST_ERR",
                "TRANSAC_INC", "EMMET_INC", "CONTRAT_TERM", "DOUBLE_FACT", "CMD_ERR", "ADR_ERR", "REF_CT_ABSENT"},
    S.EN_LITIGE: {"AUTRE", "COORD_BANC_ERR", "TX_TVA_ERR", "MONTANTTOTAL_ERR", "CALCUL_ERR", "NON_CONFORME",
                  "DOUBLON", "DEST_INC", "DEST_ERR", "TRANSAC_INC", "EMMET_INC", "CONTRAT_TERM", "DOUBLE_FACT",
                  "CMD_ERR", "ADR_ERR", "SIRET_ERR", "CODE_ROUTAGE_ERR", "REF_CT_ABSENT", "REF_ERR", "PU_ERR",
                  "REM_ERR", "QTE_ERR", "ART_ERR", "MODPAI_ERR", "QUALITE_ERR", "LIVR_INCOMP"},
    S.APPROUVEE_PARTIELLEMENT: {"AUTRE", "CMD_ERR", "SIRET_ERR", "CODE_ROUTAGE_ERR", "REF_CT_ABSENT", "REF_ERR",
                                "PU_ERR", "REM_ERR", "QTE_ERR", "ART_ERR", "MODPAI_ERR", "QUALITE_ERR",
                                "LIVR_INCOMP"},
    S.SUSPENDUE: {"JUSTIF_ABS", "COORD_BANC_ERR", "CMD_ERR", "SIRET_ERR", "CODE_ROUTAGE_ERR", "REF_CT_ABSENT",
                  "REF_ERR"},
    S.ERREUR_ROUTAGE: {"ROUTAGE_ERR"},
    S.IRRECEVABLE: {"IRR_VIDE_F", "IRR_TYPE_F", "IRR_SYNTAX", "IRR_TAILLE_PJ", "IRR_NOM_PJ", "IRR_VID_PJ",
                    "IRR_EXT_DOC", "IRR_TAILLE_F", "IRR_ANTIVIRUS", "IRR_NOM_F"},
}

# A public buyer (Chorus Pro, sender 0238/9999) refuses with its own list.
B2G_REFUSAL_REASONS = REASONS_BY_STATUS[S.REFUSEE] | {
    "RETRAIT_MAN_SERV", "ST_CT_NON_DECLAR", "SUPPR_COMP_AVOIR", "TRANSF_PMNT_REGIE", "AUTRE", "COORD_BANC_ERR",
    "LIVR_INCOMP",
}

# MDT-121, requested action (BR-FR-CDV-CL-10).
REQUESTED_ACTIONS = {
    "NOA": "Aucune action",
    "PIN": "Fournir les informations manquantes",
    "NIN": "Émettre une nouvelle facture (rectificative)",
    "CNF": "Émettre un avoir total",
    "CNP": "Émettre un avoir partiel",
    "CNA": "Émettre un avoir du montant indiqué",
    "OTH": "Autre action",
}

# MDT-207, characteristic types (BR-FR-CDV-CL-11): MEN is the amount received (212).
CHARACTERISTIC_TYPES = frozenset({"MEN", "MPA", "RAP", "ESC", "RAB", "REM", "MAP", "MAPTTC", "MNA", "MNATTC",
                                  "CBB", "DIV", "DVA", "MAJ"})

# UNCL 3035 party roles allowed in a CDAR header (BR-FR-CDV-CL-02..04).
PARTY_ROLES = frozenset({"BY", "AB", "DL", "SE", "SR", "PE", "PR", "II", "IV", "WK", "DFH"})
