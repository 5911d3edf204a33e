"""The Directory Service over real HTTP: every operation of directory-service-1.3.0.json, its
answers checked against the document's schemas, for the dossiers active here only."""

import json

import httpx
import jsonschema
import pytest

from einvoice.tests.shared_files import shared_path
from facturier.apiclients.testing import bearer_headers, make_api_client
from facturier.directory.models import Facility, RoutingCode
from facturier.testing.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = "/directory-service/v1"


@pytest.fixture(scope="module")
def spec():
    return json.loads(shared_path("specs", "xp-z12-013", "directory-service-1.3.0.json").read_text())


@pytest.fixture
def directory(live_server):
    """The world, a facility and a routing code of the active dossier, and an API client's headers."""
    world = build_world()
    site = Facility.objects.create(dossier=world.active, siret="35600000000048", name="Siège Active", is_main=True)
    second = Facility.objects.create(dossier=world.active, siret="35600000012345", name="Atelier Lyon")
    code = RoutingCode.objects.create(facility=site, identifier="SERVICE-ACHATS", name="Service achats",
                                      identifier_type="0224")
    client, secret = make_api_client(world.own, name="Logiciel du cabinet")
    headers = bearer_headers(live_server.url, client.client_id, secret)
    return world, site, second, code, headers


def call(live_server, headers, method, path, **kwargs):
    return httpx.request(method, f"{live_server.url}{ROOT}{path}", headers=headers, timeout=20, **kwargs)


def check(spec, answer, path, method, status):
    """The answer has the status and validates against the schema the document gives it."""
    assert answer.status_code == status, answer.text
    responses = spec["paths"][path][method]["responses"]
    response = responses.get(str(status)) or responses["default"]
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    schema = response["content"]["application/json"]["schema"]
    jsonschema.validate(answer.json(), {**schema, "components": spec["components"]})
    return answer.json()


def test_healthcheck_answers_without_a_token(live_server):
    answer = httpx.get(f"{live_server.url}{ROOT}/healthcheck")
    assert answer.status_code == 200


def test_every_operation_needs_a_token(live_server, directory):
    for method, path in [("GET", "/siren/code-insee:356000000"), ("POST", "/siren/search"),
                         ("GET", "/siret/code-insee:35600000000048"), ("POST", "/siret/search"),
                         ("GET", "/routing-code/siret:35600000000048/code:SERVICE-ACHATS"),
                         ("POST", "/routing-code/search"), ("GET", "/directory-line/code:356000000"),
                         ("POST", "/directory-line/search")]:
        answer = call(live_server, {}, method, path, json={} if method == "POST" else None)
        assert answer.status_code == 401, path
        assert answer.json()["errorCode"] == "MISSING_TOKEN"


def test_get_siren(live_server, directory, spec):
    _world, _site, _second, _code, headers = directory
    body = check(spec, call(live_server, headers, "GET", "/siren/code-insee:356000000"),
                 "/v1/siren/code-insee:{siren}", "get", 200)
    assert body == {"siren": "356000000", "businessName": "Société Active", "entityType": "PrivateVatRegistered",
                    "administrativeStatus": "A"}
    only = call(live_server, headers, "GET", "/siren/code-insee:356000000", params={"fields": "siren,businessName"})
    assert only.json() == {"siren": "356000000", "businessName": "Société Active"}


def test_a_dossier_not_active_or_another_platforms_company_is_not_listed(live_server, directory, spec):
    world, *_rest, headers = directory
    for siren in (world.new.siren, world.invited.siren, "552100554"):
        check(spec, call(live_server, headers, "GET", f"/siren/code-insee:{siren}"),
              "/v1/siren/code-insee:{siren}", "get", 404)
    # The foreign firm's active dossier is a company on this platform: the directory lists it.
    assert call(live_server, headers, "GET", f"/siren/code-insee:{world.foreign.siren}").status_code == 200


def test_bad_input_is_400_never_500(live_server, directory, spec):
    *_rest, headers = directory
    check(spec, call(live_server, headers, "GET", "/siren/code-insee:12345"), "/v1/siren/code-insee:{siren}",
          "get", 400)
    check(spec, call(live_server, headers, "GET", "/siren/code-insee:356000000", params={"fields": "nope"}),
          "/v1/siren/code-insee:{siren}", "get", 400)
    for body in ("not json", "[]", '{"limit": -1}', '{"limit": "ten"}', '{"filters": []}',
                 '{"filters": {"siren": {"op": "contains", "value": "356"}}}',
                 '{"filters": {"siren": {"value": 356000000}}}', '{"sorting": [{"field": "nope"}]}'):
        answer = call(live_server, headers | {"Content-Type": "application/json"}, "POST", "/siren/search",
                      content=body)
        check(spec, answer, "/v1/siren/search", "post", 400)


def test_search_siren(live_server, directory, spec):
    _world, *_rest, headers = directory
    body = check(spec, call(live_server, headers, "POST", "/siren/search", json={
        "filters": {"businessName": {"op": "contains", "value": "société"}},
        "sorting": [{"field": "businessName", "order": "descending"}], "limit": 10,
    }), "/v1/siren/search", "post", 200)
    assert [r["businessName"] for r in body["results"]] == ["Société Active"]
    assert body["totalNumberOfResults"] == 1
    everyone = check(spec, call(live_server, headers, "POST", "/siren/search", json={"limit": 1, "ignore": 1}),
                     "/v1/siren/search", "post", 200)
    # Active dossiers: the firm's own, the active client, the foreign firm's client; sorted by SIREN.
    assert everyone["totalNumberOfResults"] == 3
    assert [r["siren"] for r in everyone["results"]] == ["732829320"]
    assert everyone["search"] == {"limit": 1, "ignore": 1}
    closed = call(live_server, headers, "POST", "/siren/search",
                  json={"filters": {"administrativeStatus": {"op": "strict", "value": "C"}}}).json()
    assert closed["results"] == [] and closed["totalNumberOfResults"] == 0


def test_get_and_search_siret(live_server, directory, spec):
    _world, site, second, _code, headers = directory
    body = check(spec, call(live_server, headers, "GET", f"/siret/code-insee:{site.siret}",
                            params={"include": "siren"}), "/v1/siret/code-insee:{siret}", "get", 200)
    assert body["siret"] == site.siret and body["siren"] == "356000000" and body["facilityType"] == "P"
    assert body["address"] == {"addressLine1": "1 rue de la Paix", "postalCode": "75002", "locality": "Paris",
                               "countryCode": "FR"}
    assert body["legalUnit"]["businessName"] == "Société Active"
    check(spec, call(live_server, headers, "GET", "/siret/code-insee:99999999999999"),
          "/v1/siret/code-insee:{siret}", "get", 404)
    found = check(spec, call(live_server, headers, "POST", "/siret/search", json={
        "filters": {"siren": {"op": "strict", "value": "356000000"}, "postalCode": {"op": "startWith", "value": "75"}},
        "fields": ["siret", "name"],
    }), "/v1/siret/search", "post", 200)
    assert found["results"] == [{"siret": site.siret, "name": "Siège Active"},
                                {"siret": second.siret, "name": "Atelier Lyon"}]
    secondary = call(live_server, headers, "POST", "/siret/search",
                     json={"filters": {"facilityType": {"op": "strict", "value": "S"}}}).json()
    assert [r["siret"] for r in secondary["results"]] == [second.siret]


def test_get_and_search_routing_code(live_server, directory, spec):
    _world, site, _second, _code, headers = directory
    body = check(spec, call(live_server, headers, "GET", f"/routing-code/siret:{site.siret}/code:SERVICE-ACHATS",
                            params={"include": "siren,siret"}),
                 "/v1/routing-code/siret:{siret}/code:{routing-identifier}", "get", 200)
    assert body["routingIdentifier"] == "SERVICE-ACHATS" and body["routingIdentifierType"] == "0224"
    assert body["routingCodeName"] == "Service achats"
    assert body["legalUnit"]["siren"] == "356000000" and body["facility"]["siret"] == site.siret
    check(spec, call(live_server, headers, "GET", f"/routing-code/siret:{site.siret}/code:NOPE"),
          "/v1/routing-code/siret:{siret}/code:{routing-identifier}", "get", 404)
    found = check(spec, call(live_server, headers, "POST", "/routing-code/search", json={
        "filters": {"routingCodeName": {"op": "contains", "value": "achats"}}}),
        "/v1/routing-code/search", "post", 200)
    assert [r["routingIdentifier"] for r in found["results"]] == ["SERVICE-ACHATS"]


def test_get_directory_lines_at_each_level(live_server, directory, spec):
    _world, site, _second, _code, headers = directory
    path = "/v1/directory-line/code:{addressing-identifier}"
    by_siren = check(spec, call(live_server, headers, "GET", "/directory-line/code:356000000",
                                params={"include": "siren"}), path, "get", 200)
    assert by_siren == {"addressingIdentifier": "356000000", "platformType": "WK", "directoryLineStatus": "Enabled",
                        "siren": "356000000", "legalUnit": by_siren["legalUnit"]}
    by_siret = check(spec, call(live_server, headers, "GET", f"/directory-line/code:356000000_{site.siret}"),
                     path, "get", 200)
    assert by_siret["addressingIdentifier"] == f"356000000_{site.siret}" and by_siret["siret"] == site.siret
    by_code = check(spec, call(live_server, headers, "GET",
                               f"/directory-line/code:356000000_{site.siret}_SERVICE-ACHATS",
                               params={"include": "routingCode,siret"}), path, "get", 200)
    assert by_code["routingIdentifier"] == "SERVICE-ACHATS"
    assert by_code["routingCode"]["routingCodeName"] == "Service achats"
    assert by_code["facility"]["siret"] == site.siret
    for unknown in ("443061841", f"775672272_{site.siret}", f"356000000_{site.siret}_NOPE", "garbage"):
        check(spec, call(live_server, headers, "GET", f"/directory-line/code:{unknown}"), path, "get", 404)


def test_search_directory_lines(live_server, directory, spec):
    _world, site, second, _code, headers = directory
    body = check(spec, call(live_server, headers, "POST", "/directory-line/search", json={
        "filters": {"siren": {"op": "strict", "value": "356000000"}}, "include": ["routingCode"]}),
        "/v1/directory-line/search", "post", 200)
    assert [r["addressingIdentifier"] for r in body["results"]] == [
        "356000000", f"356000000_{site.siret}", f"356000000_{site.siret}_SERVICE-ACHATS",
        f"356000000_{second.siret}"]
    assert body["totalNumberOfResults"] == 4
    assert body["results"][2]["routingCode"]["routingIdentifier"] == "SERVICE-ACHATS"
    page = check(spec, call(live_server, headers, "POST", "/directory-line/search", json={
        "filters": {"addressingIdentifier": {"op": "contains", "value": site.siret}},
        "sorting": [{"field": "addressingIdentifier", "order": "descending"}], "limit": 1, "ignore": 1,
        "fields": ["addressingIdentifier"]}), "/v1/directory-line/search", "post", 200)
    assert page["totalNumberOfResults"] == 2
    assert page["results"] == [{"addressingIdentifier": f"356000000_{site.siret}", "platformType": "WK",
                                "directoryLineStatus": "Enabled"}]


def test_input_no_database_takes_is_refused_not_crashed(live_server, directory, spec):
    _world, site, *_rest, headers = directory
    nul = call(live_server, headers, "POST", "/siren/search",
               json={"filters": {"businessName": {"op": "contains", "value": "a\x00b"}}})
    check(spec, nul, "/v1/siren/search", "post", 400)
    check(spec, call(live_server, headers, "GET", f"/routing-code/siret:{site.siret}/code:a%00b"),
          "/v1/routing-code/siret:{siret}/code:{routing-identifier}", "get", 400)
    check(spec, call(live_server, headers, "GET", "/directory-line/code:356000000_%00"),
          "/v1/directory-line/code:{addressing-identifier}", "get", 400)
    check(spec, call(live_server, headers, "GET", "/directory-line/code:" + "9" * 126),
          "/v1/directory-line/code:{addressing-identifier}", "get", 400)
    foreign = call(live_server, headers | {"Organization-Id": "356%00"}, "GET", "/siren/code-insee:356000000")
    check(spec, foreign, "/v1/siren/code-insee:{siren}", "get", 403)
