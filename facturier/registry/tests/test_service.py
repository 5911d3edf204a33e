"""The cached service and the JSON endpoint of the client form's autofill."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from facturier.accounts.models import User
from facturier.dossiers.models import Dossier
from facturier.firms.models import Firm, FirmMembership, Role
from facturier.registry import service
from facturier.registry.exceptions import InvalidSiren, RegistryUnavailable
from facturier.registry.providers.base import CompanyProvider
from facturier.registry.providers.bodacc import RECORDS_PATH
from facturier.registry.records import CompanyRecord
from facturier.registry.tests import payloads

SIREN = "552100554"


@pytest.fixture(autouse=True)
def registries(settings, http_stub):
    cache.clear()
    settings.REGISTRY_RECHERCHE_URL = http_stub.url
    settings.REGISTRY_INSEE_URL = http_stub.url + "/insee"
    settings.REGISTRY_BODACC_URL = http_stub.url
    settings.REGISTRY_INSEE_KEY = ""
    settings.REGISTRY_LOCAL_FILE = ""
    settings.REGISTRY_TIMEOUT = 2
    yield http_stub
    cache.clear()


def recherche_answers(stub, *results):
    stub.route("GET", "/search", lambda query, body: (200, payloads.recherche_page(*results)))


def test_lookup_is_cached(registries):
    recherche_answers(registries, payloads.recherche_result())
    assert service.lookup_company(SIREN).name == "ACME INDUSTRIE"
    assert service.lookup_company("552 100 554").name == "ACME INDUSTRIE"
    assert len(registries.requests) == 1


def test_not_found_is_cached_for_less_time(registries, settings):
    settings.REGISTRY_NOT_FOUND_CACHE_SECONDS = 0  # Django: 0 means "do not keep"
    recherche_answers(registries)
    assert service.lookup_company(SIREN) is None
    assert service.lookup_company(SIREN) is None
    assert len(registries.requests) == 2


def test_outage_is_not_cached(registries):
    answers = iter([(500, {}), (500, {}), (200, payloads.recherche_page(payloads.recherche_result()))])
    registries.route("GET", "/search", lambda query, body: next(answers))
    with pytest.raises(RegistryUnavailable):
        service.lookup_company(SIREN)
    assert service.lookup_company(SIREN).name == "ACME INDUSTRIE"


def test_insee_is_used_when_a_key_is_set(registries, settings):
    settings.REGISTRY_INSEE_KEY = "my-integration-key"
    registries.route("GET", f"/insee/siren/{SIREN}", lambda q, b: (200, payloads.insee_unit()))
    registries.route("GET", f"/insee/siret/{SIREN}00013", lambda q, b: (200, payloads.insee_establishment()))
    assert service.lookup_company(SIREN).city == "PARIS 17"
    assert {r["path"] for r in registries.requests} == {f"/insee/siren/{SIREN}", f"/insee/siret/{SIREN}00013"}
    assert registries.requests[0]["headers"]["X-INSEE-Api-Key-Integration"] == "my-integration-key"


def test_local_file_answers_when_configured(registries, settings, tmp_path):
    path = tmp_path / "companies.json"
    path.write_text('{"552100554": {"name": "DEMO SA", "proceedings": []}}', encoding="utf-8")
    settings.REGISTRY_LOCAL_FILE = str(path)
    assert service.lookup_company(SIREN).name == "DEMO SA"
    assert service.insolvency_proceedings(SIREN) == []
    assert registries.requests == []


class OfficeProvider(CompanyProvider):
    """A registry of our own, plugged in by its dotted path."""

    name = "office"

    def lookup_company(self, siren):
        return CompanyRecord(siren=siren, name="FROM THE OFFICE")


def test_a_provider_listed_in_the_settings_answers(registries, settings):
    settings.REGISTRY_PROVIDERS = [f"{__name__}.OfficeProvider", *settings.REGISTRY_PROVIDERS]
    assert service.lookup_company(SIREN).name == "FROM THE OFFICE"
    assert registries.requests == []


def test_a_provider_left_out_of_the_settings_is_not_asked(registries, settings, tmp_path):
    path = tmp_path / "companies.json"
    path.write_text('{"552100554": {"name": "DEMO SA"}}', encoding="utf-8")
    settings.REGISTRY_LOCAL_FILE = str(path)
    settings.REGISTRY_PROVIDERS = [p for p in settings.REGISTRY_PROVIDERS if not p.endswith("LocalFileProvider")]
    recherche_answers(registries, payloads.recherche_result())
    assert service.lookup_company(SIREN).name == "ACME INDUSTRIE"


def test_proceedings_are_cached(registries):
    registries.route("GET", RECORDS_PATH, lambda q, b: (200, payloads.bodacc_page(payloads.bodacc_record())))
    [proceeding] = service.insolvency_proceedings(SIREN)
    assert proceeding.is_liquidation
    assert service.insolvency_proceedings(SIREN) == [proceeding]
    assert len(registries.requests) == 1


def test_invalid_siren_is_refused_without_asking():
    with pytest.raises(InvalidSiren):
        service.lookup_company("123456789")


# The JSON endpoint -------------------------------------------------------------

@pytest.fixture
def firm_staff(db):
    firm = Firm.objects.create(siren="443061841", name="Cabinet Test", terms_accepted_at=timezone.now())
    user = User.objects.create_user("collab@cabinet.test", sso_subject="collab")
    FirmMembership.objects.create(firm=firm, user=user, role=Role.STAFF, has_delegation=True)
    return user


def url(siren):
    return reverse("registry:company", kwargs={"siren": siren})


def test_endpoint_fills_the_form(client, firm_staff, registries):
    recherche_answers(registries, payloads.recherche_result())
    client.force_login(firm_staff)
    answer = client.get(url(SIREN)).json()
    assert answer == {"found": True, "name": "ACME INDUSTRIE", "address": "12 RUE DE LA PAIX", "postal_code": "75002",
                      "city": "PARIS", "country": "FR", "vat_number": "FR96552100554", "warning": ""}


def test_endpoint_warns_about_a_closed_company(client, firm_staff, registries):
    recherche_answers(registries, payloads.recherche_result(closed=True))
    client.force_login(firm_staff)
    assert client.get(url(SIREN)).json()["warning"] == "Cette entreprise est fermée depuis le 30/06/2023."


def test_endpoint_not_found(client, firm_staff, registries):
    recherche_answers(registries)
    client.force_login(firm_staff)
    answer = client.get(url(SIREN)).json()
    assert answer["found"] is False and "introuvable" in answer["warning"]


def test_endpoint_registry_down_still_answers(client, firm_staff, registries):
    registries.route("GET", "/search", lambda q, b: (503, {}))
    client.force_login(firm_staff)
    response = client.get(url(SIREN))
    assert response.status_code == 200
    assert response.json()["found"] is False and "à la main" in response.json()["warning"]


def test_endpoint_invalid_siren(client, firm_staff, registries):
    client.force_login(firm_staff)
    response = client.get(url("552100555"))
    assert response.status_code == 400
    assert response.json()["warning"] == "Ce SIREN n'est pas valide (clé de contrôle incorrecte)."
    assert registries.requests == []


def test_endpoint_requires_sign_in(client, db, settings):
    settings.LOGIN_URL = "/comptes/connexion/"  # a literal URL: the sign-in views live in another app
    response = client.get(url(SIREN))
    assert response.status_code == 302 and response["Location"].startswith("/comptes/connexion/")


def test_endpoint_refuses_people_outside_firms(client, firm_staff, registries):
    client_user = User.objects.create_user("client@example.test", password="a-long-password-1")
    client.force_login(client_user)
    assert client.get(url(SIREN)).status_code == 404
    membership = firm_staff.firm_memberships.get()
    membership.has_delegation = False
    membership.save()
    client.force_login(firm_staff)
    assert client.get(url(SIREN)).status_code == 404
    assert registries.requests == []
    assert not Dossier.objects.exists()
