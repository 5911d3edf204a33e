"""What the registries tell us, whatever registry answered."""

from dataclasses import dataclass
from datetime import date


class CompanyStatus:
    ACTIVE = "active"
    CLOSED = "closed"


@dataclass(frozen=True)
class CompanyRecord:
    siren: str
    name: str
    address: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = "FR"
    vat_number: str = ""
    legal_form: str = ""
    status: str = CompanyStatus.ACTIVE
    closed_on: date | None = None
    created_on: date | None = None

    @property
    def is_closed(self):
        return self.status == CompanyStatus.CLOSED


@dataclass(frozen=True)
class Proceeding:
    """One BODACC announcement of a collective proceeding (procédure collective)."""

    judgment: str  # e.g. "Jugement d'ouverture d'une procédure de liquidation judiciaire"
    date: date | None  # the judgment's date, else the publication date
    court: str = ""
    family: str = ""  # e.g. "Jugement d'ouverture", "Jugement prononçant"
    published_on: date | None = None
    detail: str = ""

    @property
    def is_liquidation(self):
        return "liquidation" in f"{self.judgment} {self.detail}".lower()


def parse_date(value):
    """ISO dates (``2024-03-01``, or a timestamp starting so); None otherwise."""
    if not value or not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


# The most common categories of the INSEE legal-form nomenclature (catégories
# juridiques); any other code is kept as the bare code.
LEGAL_FORMS = {
    "1000": "Entrepreneur individuel",
    "5410": "SARL",
    "5422": "SARL immobilière de gestion",
    "5498": "EURL",
    "5499": "SARL",
    "5505": "SA à conseil d'administration",
    "5599": "SA à conseil d'administration",
    "5699": "SA à directoire",
    "5710": "SAS",
    "5720": "SASU",
    "6540": "SCI",
    "6599": "Société civile",
    "9220": "Association déclarée",
}


def legal_form_label(code):
    code = str(code or "")
    return LEGAL_FORMS.get(code, code)
