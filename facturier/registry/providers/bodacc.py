"""BODACC announcements on the DILA's open-data portal (Explore API v2.1).

``GET /catalog/datasets/annonces-commerciales/records`` with an ODSQL ``where``
answers ``{"total_count": n, "results": [...]}``. A record of a collective
proceeding has ``familleavis`` "collective" (``familleavis_lib`` "Procédures
collectives"), the company's number in ``registre`` (a list such as
``["482 309 382", "482309382"]``), ``tribunal``, ``dateparution`` and
``jugement``: a JSON *string* holding ``famille``, ``nature``, ``date`` and
``complementJugement``.
"""

import json
from datetime import date

from django.conf import settings

from facturier.registry.exceptions import RegistryUnavailable
from facturier.registry.providers.base import JSONClient, ProceedingsProvider
from facturier.registry.records import Proceeding, parse_date

RECORDS_PATH = "/catalog/datasets/annonces-commerciales/records"
PAGE_SIZE = 100  # The Explore API's maximum; a company rarely has more.


class BodaccProvider(ProceedingsProvider):
    name = "bodacc"

    def __init__(self, base_url=None, timeout=None):
        self.client = JSONClient(
            base_url or settings.REGISTRY_BODACC_URL,
            timeout=timeout or settings.REGISTRY_TIMEOUT,
            service="BODACC",
        )

    def insolvency_proceedings(self, siren):
        body = self.client.get(RECORDS_PATH, params={
            "where": f'registre like "{siren}" and familleavis="collective"',
            "order_by": "dateparution desc",
            "limit": PAGE_SIZE,
        })
        if body is None:
            return []
        try:
            records = [r for r in body["results"] if is_collective_for(r, siren)]
            proceedings = [proceeding_from_record(r) for r in records]
        except (KeyError, TypeError, AttributeError) as error:
            raise RegistryUnavailable("BODACC: unexpected answer") from error
        return sorted(proceedings, key=lambda p: p.date or p.published_on or date.min, reverse=True)


def is_collective_for(record, siren):
    numbers = record.get("registre") or []
    if isinstance(numbers, str):
        numbers = [numbers]
    return record.get("familleavis") == "collective" and any(n.replace(" ", "") == siren for n in numbers)


def proceeding_from_record(record):
    judgment = record.get("jugement") or {}
    if isinstance(judgment, str):
        try:
            judgment = json.loads(judgment)
        except ValueError:
            judgment = {}
    published_on = parse_date(record.get("dateparution"))
    return Proceeding(
        judgment=judgment.get("nature") or record.get("familleavis_lib") or "",
        date=parse_date(judgment.get("date")) or published_on,
        court=record.get("tribunal") or "",
        family=judgment.get("famille") or "",
        published_on=published_on,
        detail=judgment.get("complementJugement") or "",
    )
