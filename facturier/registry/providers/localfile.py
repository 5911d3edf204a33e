"""A JSON file of companies: the registry of the demo and of offline work.

The file maps SIRENs to companies, each with the ``CompanyRecord`` fields and
an optional ``proceedings`` list of ``Proceeding`` fields (dates as ISO text)::

    {"552100554": {"name": "ACME", "address": "1 RUE ...", "postal_code": "75001",
                   "city": "PARIS", "status": "active", "created_on": "1955-01-01",
                   "proceedings": [{"judgment": "...", "date": "2024-05-02", "court": "..."}]}}
"""

import json
from dataclasses import fields
from pathlib import Path

from django.conf import settings

from facturier.identifiers import french_vat_number
from facturier.registry.exceptions import RegistryUnavailable
from facturier.registry.providers.base import CompanyProvider, ProceedingsProvider
from facturier.registry.records import CompanyRecord, Proceeding, parse_date

DATE_FIELDS = {"closed_on", "created_on", "date", "published_on"}


class LocalFileProvider(CompanyProvider, ProceedingsProvider):
    name = "localfile"

    def __init__(self, path=None):
        self.path = Path(path or settings.REGISTRY_LOCAL_FILE)

    @classmethod
    def is_configured(cls):
        return bool(settings.REGISTRY_LOCAL_FILE)

    def companies(self):
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise RegistryUnavailable(f"local registry {self.path}: {error}") from error

    def lookup_company(self, siren):
        entry = self.companies().get(siren)
        if entry is None:
            return None
        values = {"vat_number": french_vat_number(siren), **build_values(CompanyRecord, entry)}
        return CompanyRecord(siren=siren, **values)

    def insolvency_proceedings(self, siren):
        entry = self.companies().get(siren) or {}
        return [Proceeding(**build_values(Proceeding, item)) for item in entry.get("proceedings", [])]


def build_values(record_class, entry):
    known = {f.name for f in fields(record_class)} - {"siren"}
    return {key: parse_date(value) if key in DATE_FIELDS else value
            for key, value in entry.items() if key in known}
