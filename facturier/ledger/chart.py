"""Labels of the French chart of accounts (Plan comptable général) the entries use.

A label is found by the longest known prefix of an account number, so 607100
reads "Achats de marchandises" without listing every sub-account.
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

LABELS = {
    "401": _("Fournisseurs"),
    "411": _("Clients"),
    "4452": _("TVA due intracommunautaire"),
    "44566": _("TVA déductible sur autres biens et services"),
    "44562": _("TVA déductible sur immobilisations"),
    "44571": _("TVA collectée"),
    "60": _("Achats"),
    "601": _("Achats stockés - matières premières"),
    "602": _("Achats stockés - autres approvisionnements"),
    "604": _("Achats d'études et prestations de services"),
    "605": _("Achats de matériel, équipements et travaux"),
    "606": _("Achats non stockés de matières et fournitures"),
    "607": _("Achats de marchandises"),
    "61": _("Services extérieurs"),
    "611": _("Sous-traitance générale"),
    "613": _("Locations"),
    "615": _("Entretien et réparations"),
    "616": _("Primes d'assurances"),
    "62": _("Autres services extérieurs"),
    "622": _("Rémunérations d'intermédiaires et honoraires"),
    "623": _("Publicité, publications, relations publiques"),
    "624": _("Transports de biens et transports collectifs du personnel"),
    "625": _("Déplacements, missions et réceptions"),
    "626": _("Frais postaux et de télécommunications"),
    "627": _("Services bancaires et assimilés"),
    "70": _("Ventes"),
    "701": _("Ventes de produits finis"),
    "704": _("Travaux"),
    "706": _("Prestations de services"),
    "707": _("Ventes de marchandises"),
    "708": _("Produits des activités annexes"),
}


def account_label(account):
    """The account's name in French whatever the reader's language: labels go into the FEC."""
    with translation.override("fr"):
        for length in range(len(account), 0, -1):
            label = LABELS.get(account[:length])
            if label is not None:
                return str(label)
    return account


def vat_label(deductible, rate):
    """E.g. "TVA déductible 20 %"; ``rate`` is None when the invoice gives no breakdown."""
    with translation.override("fr"):
        base = str(_("TVA déductible") if deductible else _("TVA collectée"))
    if rate is None:
        return base
    return f"{base} {format_rate(rate)} %"


def format_rate(rate):
    """20.00 → "20", 5.50 → "5,5" (French decimal comma)."""
    text = format(rate.normalize(), "f")
    return text.replace(".", ",")


def rate_key(rate):
    """The key of a rate in the per-rate account settings: "20", "5.5"."""
    return format(rate.normalize(), "f") if rate is not None else None
