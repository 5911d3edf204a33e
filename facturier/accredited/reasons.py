"""The reasons of a platform's ``Error`` acknowledgement, in the words of the person who reads them.

A detail's ``reasonCode`` is a member of the documents' ``ReasonCodeEnum``
(``InvalidSchema``), the same in upper snake case as some platforms send it
(``INVALID_SCHEMA``), or a code of the platform's own; ``reasonMessage`` is the
platform's text, kept as it is after the label.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LABELS = {
    "emptyattachement": gettext_lazy("Une pièce jointe est vide"),
    "attachmenttypeerror": gettext_lazy("Le type d'une pièce jointe n'est pas admis"),
    "emptyflow": gettext_lazy("Le fichier est vide"),
    "othertechnicalerror": gettext_lazy("Erreur technique de la plateforme"),
    "invalidschema": gettext_lazy("Le fichier ne respecte pas le schéma XML"),
    "filesizeexceeded": gettext_lazy("Le fichier est trop volumineux"),
    "flowtypeerror": gettext_lazy("Le type de flux ou l'extension du fichier n'est pas conforme"),
    "alreadyexistingflow": gettext_lazy("Ce flux a déjà été reçu (doublon)"),
    "virusfound": gettext_lazy("Un virus a été détecté"),
    "checksummismatch": gettext_lazy("L'empreinte du fichier ne correspond pas"),
    "invoicelcinvalidstatus": gettext_lazy("Statuts incohérents"),
    "invoicelcstatuserror": gettext_lazy("Statut incorrect ou non autorisé"),
    "invoicelcruleerror": gettext_lazy("Une règle du cycle de vie n'est pas respectée"),
    "invoicelcaccessdenied": gettext_lazy("Demande non autorisée"),
    "invoicelcamounterror": gettext_lazy("Montants incohérents avec la TVA"),
    "businessruleerror": gettext_lazy("Une règle de gestion n'est pas respectée"),
}


def reason_label(code):
    """The French label of ``code``, whichever spelling; the code itself when unknown."""
    return str(LABELS.get(str(code or "").replace("_", "").lower(), code or _("Motif non précisé")))


def refusal_text(details):
    """One sentence naming every error of an ``AcknowledgementDetails`` list (warnings are left out)."""
    reasons = []
    for detail in details or []:
        if not isinstance(detail, dict) or detail.get("level") == "Warning":
            continue
        text = reason_label(detail.get("reasonCode"))
        if detail.get("item"):
            text += f" ({detail['item']})"
        if detail.get("reasonMessage"):
            text += f" : {detail['reasonMessage']}"
        reasons.append(text)
    if not reasons:
        return _("La plateforme a refusé le flux sans en donner la raison.")
    return _("La plateforme a refusé le flux : %(reasons)s.") % {"reasons": " ; ".join(reasons)}
