"""The Directory Service (XP Z12-013, directory-service 1.3.0): every operation of the document.

It answers for the companies whose dossier is active here (``entries``), to any authenticated
API client: a directory tells senders where to address invoices, it is no tenant's data.
Look-ups are not written to the audit trail; they change nothing.
"""

import re

from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from facturier.apiclients.errors import ApiError, api_error
from facturier.apiclients.guard import api_view
from facturier.directory import criteria, entries, payloads
from facturier.directory.criteria import STRICT, Filter, Text, text_lookup
from facturier.directory.models import Facility, RoutingCode
from facturier.dossiers.models import Dossier

SIREN = re.compile(r"[0-9]{9}")
SIRET = re.compile(r"[0-9]{14}")
NAME_OPS = ("contains", "strict", "startWith")
ACTIVE_STATUS = Text(1, enum=("A", "C"))
ADDRESS_LINES = Text(600)
POSTAL_CODE = Text(5, r"^[0-9]*$")
LOCALITY = Text(100)
ROUTING_SEARCH = Text(100, r"^$|^(?!\s*$).+")


def listed_as(value):
    """``apply`` for a member every listed resource has the same value of (``A``: active)."""
    def apply(queryset, op, wanted):
        return queryset if wanted == value else queryset.none()
    return apply


def by_entity_type(siren_path):
    """Public bodies are the SIRENs starting with 1 or 2 (``payloads.entity_type``)."""
    def apply(queryset, op, wanted):
        public = {f"{siren_path}__regex": r"^[12]"}
        return queryset.filter(**public) if wanted == "Public" else queryset.exclude(**public)
    return apply


def by_facility_type(queryset, op, wanted):
    return queryset.filter(is_main=wanted == "P")


def nothing_matches(queryset, op, value):
    """A member the platform does not record (country subdivision, addressing suffix): no line has it."""
    return queryset.none() if value else queryset


def exact(path):
    return text_lookup(path, case_insensitive=False)


SIREN_FILTERS = {
    "siren": Filter(STRICT, Text(9, r"^[0-9]*$"), exact("siren")),
    "businessName": Filter(NAME_OPS, Text(150), text_lookup("name")),
    "entityType": Filter(STRICT, Text(20, enum=("Public", "PrivateVatRegistered")), by_entity_type("siren")),
    "administrativeStatus": Filter(STRICT, ACTIVE_STATUS, listed_as("A")),
}
SIRET_FILTERS = {
    "siret": Filter(STRICT, Text(14, r"^[0-9]*$"), exact("siret")),
    "siren": Filter(STRICT, Text(9, r"^[0-9]*$"), exact("dossier__siren")),
    "facilityType": Filter(STRICT, Text(1, enum=("P", "S")), by_facility_type),
    "name": Filter(NAME_OPS, Text(100), text_lookup("name")),
    "addressLines": Filter(("contains", "startWith"), ADDRESS_LINES, text_lookup("dossier__address")),
    "postalCode": Filter(("startWith", "strict"), POSTAL_CODE, text_lookup("dossier__postal_code")),
    "countrySubdivision": Filter(STRICT, Text(255), nothing_matches),
    "locality": Filter(NAME_OPS, LOCALITY, text_lookup("dossier__city")),
    "administrativeStatus": Filter(STRICT, ACTIVE_STATUS, listed_as("A")),
}
ROUTING_CODE_FILTERS = {
    "routingIdentifier": Filter(("contains", "strict"), ROUTING_SEARCH, exact("identifier")),
    "siret": Filter(STRICT, Text(14, r"^[0-9]*$"), exact("facility__siret")),
    "routingCodeName": Filter(("contains", "strict"), ROUTING_SEARCH, text_lookup("name")),
    "administrativeStatus": Filter(STRICT, ACTIVE_STATUS, listed_as("A")),
    "addressLines": Filter(("contains", "startWith"), ADDRESS_LINES, text_lookup("facility__dossier__address")),
    "postalCode": Filter(("startWith", "strict"), POSTAL_CODE, text_lookup("facility__dossier__postal_code")),
    "locality": Filter(NAME_OPS, LOCALITY, text_lookup("facility__dossier__city")),
}
DIRECTORY_LINE_FILTERS = {
    "addressingIdentifier": Filter(("contains", "strict"), Text(125), exact("addressing_identifier")),
    "siren": Filter(STRICT, Text(9, r"^[0-9]*$"), exact("line_siren")),
    "siret": Filter(STRICT, Text(14, r"^[0-9]*$"), exact("line_siret")),
    "routingIdentifier": Filter(("contains", "strict"), ROUTING_SEARCH, exact("line_routing")),
    "addressingSuffix": Filter(("contains", "strict"), Text(100), nothing_matches),
}


@csrf_exempt
def healthcheck(request):
    """Answers without a token: 200 when the database answers, 503 otherwise."""
    if request.method not in ("GET", "HEAD"):
        return api_error(405, message=f"Method {request.method} not allowed", headers={"Allow": "GET, HEAD"})
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return api_error(503, message="The database does not answer")
    return JsonResponse({"status": "UP"})


def within(value, max_length, name):
    """A path parameter the document bounds only by its length (and no database takes a NUL)."""
    if len(value) > max_length or "\x00" in value:
        raise ApiError(400, "INVALID_REQUEST", f"{name} must be at most {max_length} characters, without NUL")
    return value


def checked(pattern, value, name):
    if not pattern.fullmatch(value):
        raise ApiError(400, "INVALID_REQUEST", f"{name} must match {pattern.pattern}")
    return value


def found(queryset):
    item = queryset.first()
    if item is None:
        raise Http404
    return item


def total(search, rows, queryset):
    """The number of results: known without counting when this page is the last one."""
    if len(rows) < search.limit and (rows or not search.ignore):
        return search.ignore + len(rows)
    return queryset.count()


def search_answer(search, queryset, payload):
    rows = list(search.page(queryset))
    return JsonResponse({"search": search.echo(), "totalNumberOfResults": total(search, rows, queryset),
                         "results": [payload(item) for item in rows]})


@api_view(needs_dossier=False)
def get_siren(request, siren):
    fields = criteria.query_names(request, "fields", payloads.LEGAL_UNIT_FIELDS)
    dossier = found(entries.legal_unit(checked(SIREN, siren, "siren")))
    return JsonResponse(payloads.legal_unit(dossier, fields))


@api_view(methods=("POST",), needs_dossier=False)
def search_siren(request):
    search = criteria.read_search(criteria.json_body(request), SIREN_FILTERS, payloads.LEGAL_UNIT_FIELDS)
    ordering = search.order_by({"siren": "siren", "businessName": "name"}, ["siren", "pk"])
    queryset = search.narrow(entries.legal_units()).order_by(*ordering)
    return search_answer(search, queryset, lambda dossier: payloads.legal_unit(dossier, search.fields))


@api_view(needs_dossier=False)
def get_siret(request, siret):
    fields = criteria.query_names(request, "fields", payloads.FACILITY_FIELDS)
    include = criteria.query_names(request, "include", ("siren",))
    site = found(entries.facilities().filter(siret=checked(SIRET, siret, "siret")))
    return JsonResponse(payloads.facility(site, fields, include))


@api_view(methods=("POST",), needs_dossier=False)
def search_siret(request):
    search = criteria.read_search(criteria.json_body(request), SIRET_FILTERS, payloads.FACILITY_FIELDS, ("siren",))
    ordering = search.order_by({"siret": "siret", "siren": "dossier__siren", "name": "name",
                                "facilityType": "-is_main"}, ["siret"])
    queryset = search.narrow(entries.facilities()).order_by(*ordering)
    return search_answer(search, queryset, lambda site: payloads.facility(site, search.fields, search.include))


@api_view(needs_dossier=False)
def get_routing_code(request, siret, routing_identifier):
    fields = criteria.query_names(request, "fields", payloads.ROUTING_CODE_FIELDS)
    include = criteria.query_names(request, "include", ("siren", "siret"))
    code = found(entries.routing_codes().filter(facility__siret=checked(SIRET, siret, "siret"),
                                                identifier=within(routing_identifier, 100, "routing-identifier")))
    return JsonResponse(payloads.routing_code(code, fields, include))


@api_view(methods=("POST",), needs_dossier=False)
def search_routing_code(request):
    search = criteria.read_search(criteria.json_body(request), ROUTING_CODE_FILTERS, payloads.ROUTING_CODE_FIELDS,
                                  ("siren", "siret"))
    ordering = search.order_by({"siret": "facility__siret", "routingIdentifier": "identifier",
                                "routingCodeName": "name", "routingIdentifierType": "identifier_type"},
                               ["facility__siret", "identifier"])
    queryset = search.narrow(entries.routing_codes()).order_by(*ordering)
    return search_answer(search, queryset, lambda code: payloads.routing_code(code, search.fields, search.include))


@api_view(needs_dossier=False)
def get_directory_line(request, addressing_identifier):
    fields = criteria.query_names(request, "fields", payloads.DIRECTORY_LINE_FIELDS)
    include = criteria.query_names(request, "include", ("siren", "siret", "routingCode"))
    siren, _, rest = within(addressing_identifier, 125, "addressing-identifier").partition("_")
    siret, _, code_identifier = rest.partition("_")
    if not SIREN.fullmatch(siren) or (rest and not SIRET.fullmatch(siret)):
        raise Http404
    if code_identifier:
        code = found(entries.routing_codes().filter(facility__siret=siret, facility__dossier__siren=siren,
                                                    identifier=code_identifier))
        return JsonResponse(payloads.directory_line(code.facility.dossier, code.facility, code, fields, include))
    if siret:
        site = found(entries.facilities().filter(siret=siret, dossier__siren=siren))
        return JsonResponse(payloads.directory_line(site.dossier, site, None, fields, include))
    dossier = found(entries.legal_unit(siren))
    return JsonResponse(payloads.directory_line(dossier, None, None, fields, include))


@api_view(methods=("POST",), needs_dossier=False)
def search_directory_line(request):
    search = criteria.read_search(criteria.json_body(request), DIRECTORY_LINE_FILTERS,
                                  payloads.DIRECTORY_LINE_FIELDS, ("siren", "siret", "routingCode"))
    kinds = [search.narrow(kind).order_by().values_list(*entries.LINE_COLUMNS) for kind in entries.directory_lines()]
    lines = kinds[0].union(*kinds[1:], all=True)
    ordering = search.order_by({"addressingIdentifier": "addressing_identifier", "siren": "line_siren",
                                "siret": "line_siret", "routingIdentifier": "line_routing"},
                               ["addressing_identifier"])
    rows = list(search.page(lines.order_by(*ordering)))
    return JsonResponse({"search": search.echo(), "totalNumberOfResults": total(search, rows, lines),
                         "results": line_payloads(rows, search)})


def line_payloads(rows, search):
    """The payloads of the directory lines ``rows`` (``entries.LINE_COLUMNS``), loaded in three queries."""
    columns = entries.LINE_COLUMNS
    ids = {name: {row[columns.index(name)] for row in rows} - {None} for name in ("line_dossier", "line_facility",
                                                                                 "line_code")}
    # The rows come from the listing already: their objects are loaded by id alone.
    dossiers = Dossier.objects.in_bulk(ids["line_dossier"])
    sites = Facility.objects.select_related("dossier").in_bulk(ids["line_facility"])
    codes = RoutingCode.objects.select_related("facility__dossier").in_bulk(ids["line_code"])
    results = []
    for row in rows:
        line = dict(zip(columns, row, strict=True))
        results.append(payloads.directory_line(
            dossiers[line["line_dossier"]], sites.get(line["line_facility"]), codes.get(line["line_code"]),
            search.fields, search.include,
        ))
    return results
