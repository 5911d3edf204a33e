"""Purchase invoices built with the engine's writers, and a registry answering over HTTP, for the receiving tests."""

import json

import pytest
from django.core.cache import cache

from einvoice.model import Identifier
from einvoice.tests.invoice_samples import one_page_invoice
from einvoice.write import to_cii, to_ubl
from facturier.registry.providers.bodacc import RECORDS_PATH
from facturier.registry.tests import payloads

SUPPLIER_SIREN = "100000009"  # the sample seller, Luhn-valid


def purchase_document(buyer_siren, *, number="F2026-0042", seller_siren=SUPPLIER_SIREN, seller_vat=None,
                      seller_name="VENDEUR SARL", issue_date=None, legal_information=None):
    """An engine invoice from a supplier to the company ``buyer_siren``, valid under the French rules."""
    invoice = one_page_invoice()
    invoice.number = number
    if issue_date:
        invoice.issue_date = issue_date
    seller = invoice.seller
    seller.name = seller_name
    seller.identifiers = [Identifier(seller_siren + "00017", "0009")] if seller_siren else []
    seller.legal_registration = Identifier(seller_siren, "0002") if seller_siren else None
    seller.vat_id = seller_vat if seller_vat is not None else (french_vat(seller_siren) if seller_siren else None)
    seller.electronic_address = Identifier(seller_siren or "999999999", "0225")
    if legal_information is not None:
        seller.legal_information = legal_information
    buyer = invoice.buyer
    buyer.legal_registration = Identifier(buyer_siren, "0002")
    buyer.vat_id = french_vat(buyer_siren)
    buyer.electronic_address = Identifier(buyer_siren, "0225")
    return invoice


def purchase_cii(buyer_siren, **options):
    return to_cii(purchase_document(buyer_siren, **options))


def purchase_ubl(buyer_siren, **options):
    return to_ubl(purchase_document(buyer_siren, **options))


def french_vat(siren):
    return f"FR{int(siren + '12') % 97:02d}{siren}"


class Registry:
    """SIRENE (API Recherche d'entreprises) and BODACC answered by the local HTTP stub."""

    def __init__(self, stub):
        self.stub = stub
        self.companies = {}
        self.proceedings = {}
        self.down = False
        stub.route("GET", "/search", self._search)
        stub.route("GET", RECORDS_PATH, self._bodacc)

    def company(self, siren, *, closed=False, created="1998-04-01", name="VENDEUR SARL"):
        result = payloads.recherche_result(siren, name, closed=closed)
        result["date_creation"] = created
        self.companies[siren] = result

    def liquidation(self, siren, judged_on="2026-09-08"):
        self.proceedings[siren] = [payloads.bodacc_record(siren, judged_on=judged_on)]

    def _search(self, query, body):
        if self.down:
            return 503, {"erreur": "service indisponible"}
        siren = (query.get("q") or [""])[0]
        found = [self.companies[siren]] if siren in self.companies else []
        return 200, payloads.recherche_page(*found)

    def _bodacc(self, query, body):
        if self.down:
            return 503, {"error": "unavailable"}
        where = (query.get("where") or [""])[0]
        siren = next((s for s in self.proceedings if s in where), None)
        return 200, payloads.bodacc_page(*self.proceedings.get(siren, []))


@pytest.fixture
def registry(settings, http_stub):
    cache.clear()
    settings.REGISTRY_RECHERCHE_URL = http_stub.url
    settings.REGISTRY_BODACC_URL = http_stub.url
    settings.REGISTRY_INSEE_KEY = ""
    settings.REGISTRY_LOCAL_FILE = ""
    settings.REGISTRY_TIMEOUT = 2
    yield Registry(http_stub)
    cache.clear()


@pytest.fixture
def offline_registry(settings, tmp_path):
    """A local-file registry that knows the sample supplier (a healthy company)."""
    cache.clear()
    path = tmp_path / "registry.json"
    path.write_text(json.dumps({SUPPLIER_SIREN: {"name": "VENDEUR SARL", "status": "active",
                                                 "created_on": "2001-01-01"}}))
    settings.REGISTRY_LOCAL_FILE = str(path)
    yield path
    cache.clear()
