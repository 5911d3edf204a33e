"""API Recherche d'entreprises (recherche-entreprises.api.gouv.fr): SIRENE, no key.

``GET /search?q=<siren>`` answers ``{"results": [...], "total_results": n, ...}``;
each result carries ``siren``, ``nom_complet``, ``nature_juridique``,
``etat_administratif`` ("A" active, "C" ceased), ``date_creation``,
``date_fermeture`` and the head office in ``siege`` (``adresse``,
``code_postal``, ``libelle_commune``, ...).
A full-text search may return other companies: only the exact SIREN counts.
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


class RechercheEntreprisesProvider(CompanyProvider):
    name = "recherche-entreprises"

    def __init__(self, base_url=None, timeout=None):
        self.client = JSONClient(
            base_url or settings.REGISTRY_RECHERCHE_URL,
            timeout=timeout or settings.REGISTRY_TIMEOUT,
            service="API Recherche d'entreprises",
        )

    def lookup_company(self, siren):
        body = self.client.get("/search", params={"q": siren, "page": 1, "per_page": 5})
        if body is None:
            return None
        try:
            result = next((r for r in body["results"] if r.get("siren") == siren), None)
            return None if result is None else company_from_result(result)
        except (KeyError, TypeError, AttributeError) as error:
            raise RegistryUnavailable("API Recherche d'entreprises: unexpected answer") from error


def company_from_result(result):
    head_office = result.get("siege") or {}
    street = head_office.get("adresse") or ""
    postal_code = head_office.get("code_postal") or ""
    city = head_office.get("libelle_commune") or ""
    closed = result.get("etat_administratif") == "C"
    return CompanyRecord(
        siren=result["siren"],
        name=result.get("nom_complet") or result.get("nom_raison_sociale") or "",
        address=street_part(street, postal_code, city),
        postal_code=postal_code,
        city=city,
        vat_number=french_vat_number(result["siren"]),
        legal_form=legal_form_label(result.get("nature_juridique")),
        status=CompanyStatus.CLOSED if closed else CompanyStatus.ACTIVE,
        closed_on=parse_date(result.get("date_fermeture")) if closed else None,
        created_on=parse_date(result.get("date_creation")),
    )


def street_part(address, postal_code, city):
    """``siege.adresse`` is the full one-line address; keep the street only."""
    tail = f" {postal_code} {city}".rstrip()
    if postal_code and address.upper().endswith(tail.upper()):
        return address[: -len(tail)].strip()
    return address.strip()
