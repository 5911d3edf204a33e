"""Each provider against a local HTTP server answering in the service's own format."""

import socket
import time
from datetime import date

import pytest

from facturier.registry.exceptions import RegistryUnavailable
from facturier.registry.providers.bodacc import RECORDS_PATH, BodaccProvider
from facturier.registry.providers.insee import InseeProvider
from facturier.registry.providers.localfile import LocalFileProvider
from facturier.registry.providers.recherche_entreprises import RechercheEntreprisesProvider
from facturier.registry.records import CompanyStatus
from facturier.registry.tests import payloads

SIREN = "552100554"


def answer(status, payload):
    return lambda query, body: (status, payload)


class TestRechercheEntreprises:
    def provider(self, stub, timeout=2):
        return RechercheEntreprisesProvider(base_url=stub.url, timeout=timeout)

    def test_found_company(self, http_stub):
        other = payloads.recherche_result(siren="732829320", name="AUTRE")
        http_stub.route("GET", "/search", answer(200, payloads.recherche_page(other, payloads.recherche_result())))
        record = self.provider(http_stub).lookup_company(SIREN)
        assert record.name == "ACME INDUSTRIE"
        assert (record.address, record.postal_code, record.city) == ("12 RUE DE LA PAIX", "75002", "PARIS")
        assert record.vat_number == "FR96552100554"
        assert record.legal_form == "SAS"
        assert record.status == CompanyStatus.ACTIVE and record.closed_on is None
        assert record.created_on == date(1998, 4, 1)
        assert http_stub.requests[0]["query"]["q"] == [SIREN]

    def test_not_found(self, http_stub):
        # A full-text search may match other companies: only the exact SIREN counts.
        other = payloads.recherche_result(siren="732829320", name="AUTRE")
        http_stub.route("GET", "/search", answer(200, payloads.recherche_page(other)))
        assert self.provider(http_stub).lookup_company(SIREN) is None

    def test_closed_company(self, http_stub):
        http_stub.route("GET", "/search", answer(200, payloads.recherche_page(payloads.recherche_result(closed=True))))
        record = self.provider(http_stub).lookup_company(SIREN)
        assert record.is_closed and record.closed_on == date(2023, 6, 30)

    def test_timeout_is_unavailable(self, http_stub):
        def slow(query, body):
            time.sleep(1.0)
            return 200, payloads.recherche_page(payloads.recherche_result())

        http_stub.route("GET", "/search", slow)
        started = time.monotonic()
        with pytest.raises(RegistryUnavailable):
            self.provider(http_stub, timeout=0.2).lookup_company(SIREN)
        assert time.monotonic() - started < 1.0

    def test_server_error_is_retried_once_then_unavailable(self, http_stub):
        http_stub.route("GET", "/search", answer(500, {"erreur": "Internal Server Error"}))
        with pytest.raises(RegistryUnavailable):
            self.provider(http_stub).lookup_company(SIREN)
        assert len(http_stub.requests) == 2

    def test_server_error_then_success(self, http_stub):
        answers = iter([(502, {"erreur": "Bad Gateway"}), (200, payloads.recherche_page(payloads.recherche_result()))])
        http_stub.route("GET", "/search", lambda query, body: next(answers))
        assert self.provider(http_stub).lookup_company(SIREN).name == "ACME INDUSTRIE"

    def test_rate_limited_is_unavailable(self, http_stub):
        http_stub.route("GET", "/search", answer(429, {"erreur": "Too Many Requests"}))
        with pytest.raises(RegistryUnavailable):
            self.provider(http_stub).lookup_company(SIREN)

    def test_malformed_json_is_unavailable(self, http_stub):
        http_stub.route("GET", "/search", answer(200, b"<html>maintenance</html>"))
        with pytest.raises(RegistryUnavailable):
            self.provider(http_stub).lookup_company(SIREN)

    def test_unexpected_shape_is_unavailable(self, http_stub):
        http_stub.route("GET", "/search", answer(200, {"message": "no results key"}))
        with pytest.raises(RegistryUnavailable):
            self.provider(http_stub).lookup_company(SIREN)

    def test_connection_refused_is_unavailable(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        provider = RechercheEntreprisesProvider(base_url=f"http://127.0.0.1:{port}", timeout=1)
        with pytest.raises(RegistryUnavailable):
            provider.lookup_company(SIREN)


class TestInsee:
    def provider(self, stub):
        return InseeProvider(base_url=stub.url, key="secret-key", timeout=2)

    def test_found_company_with_head_office_address(self, http_stub):
        http_stub.route("GET", f"/siren/{SIREN}", answer(200, payloads.insee_unit()))
        http_stub.route("GET", f"/siret/{SIREN}00013", answer(200, payloads.insee_establishment()))
        record = self.provider(http_stub).lookup_company(SIREN)
        assert record.name == "ACME INDUSTRIE"  # the current period, not the older name
        assert (record.address, record.postal_code, record.city) == ("4 BIS AVENUE DES TERNES", "75017", "PARIS 17")
        assert record.legal_form == "SARL" and record.vat_number == "FR96552100554"
        assert record.status == CompanyStatus.ACTIVE
        assert all(r["headers"]["X-INSEE-Api-Key-Integration"] == "secret-key" for r in http_stub.requests)

    def test_closed_company(self, http_stub):
        http_stub.route("GET", f"/siren/{SIREN}", answer(200, payloads.insee_unit(closed=True)))
        http_stub.route("GET", f"/siret/{SIREN}00013", answer(200, payloads.insee_establishment()))
        record = self.provider(http_stub).lookup_company(SIREN)
        assert record.is_closed and record.closed_on == date(2023, 7, 1)

    def test_not_found(self, http_stub):
        http_stub.route("GET", f"/siren/{SIREN}", answer(404, payloads.insee_not_found(SIREN)))
        assert self.provider(http_stub).lookup_company(SIREN) is None

    def test_server_error_is_unavailable(self, http_stub):
        http_stub.route("GET", f"/siren/{SIREN}",
                        answer(503, {"header": {"statut": 503, "message": "Service indisponible"}}))
        with pytest.raises(RegistryUnavailable):
            self.provider(http_stub).lookup_company(SIREN)


class TestBodacc:
    def provider(self, stub):
        return BodaccProvider(base_url=stub.url, timeout=2)

    def test_collective_proceedings(self, http_stub):
        older = payloads.bodacc_record(nature="Jugement d'ouverture d'une procédure de redressement judiciaire",
                                       judged_on="2023-01-10", published_on="2023-01-20")
        latest = payloads.bodacc_record()
        accounts = payloads.bodacc_record(family="dpc")
        other = payloads.bodacc_record(siren="732829320")
        http_stub.route("GET", RECORDS_PATH, answer(200, payloads.bodacc_page(older, accounts, other, latest)))
        proceedings = self.provider(http_stub).insolvency_proceedings(SIREN)
        assert [p.judgment for p in proceedings] == [
            "Jugement d'ouverture d'une procédure de liquidation judiciaire",
            "Jugement d'ouverture d'une procédure de redressement judiciaire",
        ]
        first = proceedings[0]
        assert first.date == date(2024, 3, 12) and first.published_on == date(2024, 3, 20)
        assert first.court == "TRIBUNAL DE COMMERCE DE PARIS" and first.family == "Jugement d'ouverture"
        assert first.is_liquidation and not proceedings[1].is_liquidation
        where = http_stub.requests[0]["query"]["where"][0]
        assert SIREN in where and 'familleavis="collective"' in where

    def test_no_proceedings(self, http_stub):
        http_stub.route("GET", RECORDS_PATH, answer(200, payloads.bodacc_page()))
        assert self.provider(http_stub).insolvency_proceedings(SIREN) == []

    def test_malformed_answer_is_unavailable(self, http_stub):
        http_stub.route("GET", RECORDS_PATH, answer(200, b"{\"total_count\": 1, \"results\": ["))
        with pytest.raises(RegistryUnavailable):
            self.provider(http_stub).insolvency_proceedings(SIREN)


class TestLocalFile:
    def test_company_and_proceedings(self, tmp_path):
        path = tmp_path / "registry.json"
        path.write_text('{"552100554": {"name": "ACME", "city": "PARIS", "status": "closed", "closed_on": "2024-01-31",'
                        ' "proceedings": [{"judgment": "Jugement de clôture pour insuffisance d\'actif",'
                        ' "date": "2024-01-31", "court": "TC PARIS"}]}}', encoding="utf-8")
        provider = LocalFileProvider(path)
        record = provider.lookup_company(SIREN)
        assert record.name == "ACME" and record.closed_on == date(2024, 1, 31) and record.vat_number == "FR96552100554"
        assert provider.lookup_company("732829320") is None
        [proceeding] = provider.insolvency_proceedings(SIREN)
        assert proceeding.court == "TC PARIS" and proceeding.date == date(2024, 1, 31)

    def test_unreadable_file_is_unavailable(self, tmp_path):
        with pytest.raises(RegistryUnavailable):
            LocalFileProvider(tmp_path / "missing.json").lookup_company(SIREN)


def test_demo_file_shipped_with_the_platform():
    from pathlib import Path

    from facturier.dossiers.validators import clean_siren

    provider = LocalFileProvider(Path(__file__).resolve().parent.parent / "data" / "demo_companies.json")
    for siren in provider.companies():
        assert clean_siren(siren) == siren
        assert provider.lookup_company(siren).name
    assert provider.lookup_company("900000043").is_closed
    [liquidation] = provider.insolvency_proceedings("900000035")
    assert liquidation.is_liquidation and liquidation.date == date(2026, 9, 8)
