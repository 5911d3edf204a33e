"""The closed lists of the issuing form, with their French labels.

Codes are those of the standards the invoice carries (UN/ECE rec. 20 units,
UNCL 5305 VAT categories, the French billing frames of BT-23, VATEX exemption
codes); labels are what a French user reads.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

# UN/ECE recommendation 20 (with rec. 21 C62/H87), the units small companies invoice in.
UNITS = [
    ("C62", _("unité")),
    ("H87", _("pièce")),
    ("HUR", _("heure")),
    ("DAY", _("jour")),
    ("WEE", _("semaine")),
    ("MON", _("mois")),
    ("ANN", _("année")),
    ("MIN", _("minute")),
    ("KGM", _("kg")),
    ("GRM", _("g")),
    ("TNE", _("tonne")),
    ("MTR", _("m")),
    ("KMT", _("km")),
    ("MTK", _("m²")),
    ("MTQ", _("m³")),
    ("LTR", _("l")),
    ("KWH", _("kWh")),
    ("SET", _("lot")),
    ("XPK", _("colis")),
    ("LS", _("forfait")),
]

# BT-23, the French billing frame: B goods, S services, M mixed (goods and services).
# Not offered: the multi-vendor (B8, S8, M8) and self-billing (B9, S9, M9) frames,
# whose invoices need typed sub-lines (EXT-FR-FE-163, BR-FR-MV-01/02, BR-FR-BD-02)
# this form does not build; an invoice filed under them could never be issued.
BILLING_FRAMES = [
    ("B1", _("B1 — Dépôt d'une facture de bien")),
    ("S1", _("S1 — Dépôt d'une facture de service")),
    ("M1", _("M1 — Dépôt d'une facture double (bien et service)")),
    ("B2", _("B2 — Dépôt d'une facture de bien déjà payée")),
    ("S2", _("S2 — Dépôt d'une facture de service déjà payée")),
    ("M2", _("M2 — Dépôt d'une facture double déjà payée")),
    ("S3", _("S3 — Dépôt d'une facture de sous-traitance de service")),
    ("B4", _("B4 — Dépôt d'une facture définitive de bien après acompte")),
    ("S4", _("S4 — Dépôt d'une facture définitive de service après acompte")),
    ("M4", _("M4 — Dépôt d'une facture double définitive après acompte")),
    ("S5", _("S5 — Dépôt par un sous-traitant d'une facture de service")),
    ("S6", _("S6 — Dépôt par un cotraitant d'une facture de service")),
    ("B7", _("B7 — Dépôt d'une facture de bien (e-reporting, TVA déjà collectée)")),
    ("S7", _("S7 — Dépôt d'une facture de service (e-reporting, TVA déjà collectée)")),
]

# One choice per (category, rate) the French VAT allows; the value is "<category>:<rate>".
VAT_CHOICES = [
    ("S:20", _("20 % — taux normal")),
    ("S:10", _("10 % — taux intermédiaire")),
    ("S:5.5", _("5,5 % — taux réduit")),
    ("S:2.1", _("2,1 % — taux particulier")),
    ("Z:0", _("0 % — taux zéro")),
    ("E:0", _("Exonéré (motif à préciser)")),
    ("AE:0", _("Autoliquidation")),
    ("K:0", _("Livraison intracommunautaire")),
    ("G:0", _("Exportation hors UE")),
    ("O:", _("Hors champ de la TVA")),
]

# BT-120 / BT-121 the category itself implies (E needs the seller's own reason).
EXEMPTIONS = {
    "AE": (_("Autoliquidation"), "VATEX-EU-AE"),
    "K": (_("Exonération de TVA, article 262 ter I du CGI (livraison intracommunautaire)"), "VATEX-EU-IC"),
    "G": (_("Exonération de TVA, article 262 I du CGI (exportation)"), "VATEX-EU-G"),
    "O": (_("Hors champ d'application de la TVA"), "VATEX-EU-O"),
}


def split_vat(choice):
    """``"S:5.5"`` -> ``("S", Decimal("5.5"))``; ``"O:"`` -> ``("O", None)``."""
    category, _sep, rate = choice.partition(":")
    return category, Decimal(rate) if rate else None


def join_vat(category, rate):
    return f"{category}:{'' if rate is None else format(Decimal(rate).normalize(), 'f')}"


# UNTDID 4461 payment means the form offers.
PAYMENT_MEANS = [
    ("58", _("Virement SEPA")),
    ("30", _("Virement")),
    ("49", _("Prélèvement")),
    ("20", _("Chèque")),
    ("10", _("Espèces")),
    ("48", _("Carte bancaire")),
]

# The mandatory notes (BT-21 subject, BT-22 text) pre-filled with the legal wording
# (Code de commerce L441-10 and D441-5).
LEGAL_NOTES = {
    "PMT": _("En cas de retard de paiement, une indemnité forfaitaire de 40 € pour frais de recouvrement "
             "sera exigée (articles L441-10 et D441-5 du Code de commerce)."),
    "PMD": _("En cas de retard de paiement, des pénalités de retard sont exigibles au taux de trois fois "
             "le taux d'intérêt légal, dès le lendemain de la date d'échéance."),
    "AAB": _("Pas d'escompte pour paiement anticipé."),
}

# BT-8: with the option for VAT on debits, VAT is due when the invoice is issued
# (UNTDID 2005 code 3) rather than when it is paid.
VAT_ON_DEBITS_CODE = "3"
