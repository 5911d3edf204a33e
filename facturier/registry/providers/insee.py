"""INSEE API Sirene 3.11, used instead of Recherche d'entreprises when a key is set.

``GET /siren/<siren>`` answers ``{"header": {...}, "uniteLegale": {...}}`` whose
``periodesUniteLegale`` (most recent first, ``dateFin`` null for the current
one) hold the name, legal category, administrative state and head-office NIC;
``GET /siret/<siret>`` answers ``{"etablissement": {"adresseEtablissement":
{...}}}`` for the head office's address. The key goes in the
``X-INSEE-Api-Key-Integration`` header. Unknown numbers answer 404.
"""

from django.conf import settings

from facturier.identifiers import french_vat_number
from facturier.registry.exceptions import RegistryUnavailable
from facturier.registry.providers.base import CompanyProvider, JSONClient
from facturier.registry.records import (
    CompanyRecord,
    CompanyStatus,
    legal_form_label,
    parse_date,
)

# Street types of the SIRENE nomenclature, spelt out as on a letter.
STREET_TYPES = {
    "AV": "AVENUE", "BD": "BOULEVARD", "CHE": "CHEMIN", "CRS": "COURS", "IMP": "IMPASSE", "PL": "PLACE",
    "QUAI": "QUAI", "RTE": "ROUTE", "RUE": "RUE", "ALL": "ALLEE", "SQ": "SQUARE", "PAS": "PASSAGE",
    "ZA": "ZA", "ZI": "ZI", "LD": "LIEU-DIT", "FG": "FAUBOURG", "RPT": "ROND-POINT", "VOIE": "VOIE",
}
REPETITION = {"B": "BIS", "T": "TER", "Q": "QUATER"}


class InseeProvider(CompanyProvider):
    name = "insee"

    def __init__(self, base_url=None, key=None, timeout=None):
        self.client = JSONClient(
            base_url or settings.REGISTRY_INSEE_URL,
            timeout=timeout or settings.REGISTRY_TIMEOUT,
            headers={"X-INSEE-Api-Key-Integration": key or settings.REGISTRY_INSEE_KEY, "Accept": "application/json"},
            service="INSEE API Sirene",
        )

    @classmethod
    def is_configured(cls):
        return bool(settings.REGISTRY_INSEE_KEY)

    def lookup_company(self, siren):
        body = self.client.get(f"/siren/{siren}")
        if body is None:
            return None
        try:
            unit = body["uniteLegale"]
            period = current_period(unit)
            head_office = self.head_office_address(siren + period["nicSiegeUniteLegale"]) \
                if period.get("nicSiegeUniteLegale") else {}
            return company_from_unit(unit, period, head_office)
        except (KeyError, TypeError, AttributeError, IndexError) as error:
            raise RegistryUnavailable("INSEE API Sirene: unexpected answer") from error

    def head_office_address(self, siret):
        body = self.client.get(f"/siret/{siret}")
        return (body or {}).get("etablissement", {}).get("adresseEtablissement") or {}


def current_period(unit):
    periods = unit["periodesUniteLegale"]
    return next((p for p in periods if not p.get("dateFin")), periods[0])


def company_from_unit(unit, period, address):
    closed = period.get("etatAdministratifUniteLegale") == "C"
    return CompanyRecord(
        siren=unit["siren"],
        name=unit_name(unit, period),
        address=street_line(address),
        postal_code=address.get("codePostalEtablissement") or "",
        city=address.get("libelleCommuneEtablissement") or "",
        vat_number=french_vat_number(unit["siren"]),
        legal_form=legal_form_label(period.get("categorieJuridiqueUniteLegale")),
        status=CompanyStatus.CLOSED if closed else CompanyStatus.ACTIVE,
        closed_on=parse_date(period.get("dateDebut")) if closed else None,
        created_on=parse_date(unit.get("dateCreationUniteLegale")),
    )


def unit_name(unit, period):
    """A company's name, or for a sole trader their first and last names."""
    if period.get("denominationUniteLegale"):
        return period["denominationUniteLegale"]
    last_name = period.get("nomUsageUniteLegale") or period.get("nomUniteLegale") or ""
    return " ".join(part for part in (unit.get("prenomUsuelUniteLegale"), last_name) if part)


def street_line(address):
    parts = [
        address.get("numeroVoieEtablissement"),
        REPETITION.get(address.get("indiceRepetitionEtablissement") or "",
                       address.get("indiceRepetitionEtablissement")),
        STREET_TYPES.get(address.get("typeVoieEtablissement") or "", address.get("typeVoieEtablissement")),
        address.get("libelleVoieEtablissement"),
    ]
    street = " ".join(str(part) for part in parts if part)
    complement = address.get("complementAdresseEtablissement")
    return f"{complement}, {street}" if complement and street else (street or complement or "")
