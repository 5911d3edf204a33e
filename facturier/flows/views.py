"""The Flow Service of the standard platform API (AFNOR XP Z12-013 1.3.0): createFlow, searchFlows, getFlow,
getHealth. The webhook operations live in the webhooks app.

A client sees the flows of its dossier that its rights cover (sales invoices and
their statuses with ``can_issue_sales``, purchase invoices and theirs with
``can_handle_purchases``) and those it sent itself; any other flow answers 404,
as one that does not exist.
"""

import uuid

from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from einvoice.convert import convert
from einvoice.errors import EInvoiceError
from einvoice.read import read_invoice
from einvoice.render import render_html
from facturier.apiclients.audit import client_detail
from facturier.apiclients.errors import ApiError
from facturier.apiclients.guard import api_view
from facturier.archive.store import open_content
from facturier.flows import api_input
from facturier.flows.metadata import flow_metadata
from facturier.flows.models import Flow, FlowSyntax, FlowType
from facturier.flows.outgoing import Sender, TrackingIdReused, submit
from facturier.flows.search import search
from facturier.invoices.receiving.intake import max_file_bytes

DOWNLOAD = "application/octet-stream"  # the only binary media type the document lists for getFlow
MULTIPART_OVERHEAD = 64 * 1024  # room for flowInfo and the part headers around the file
CONVERTED = {FlowSyntax.CII: ("ubl", "xml"), FlowSyntax.UBL: ("cii", "xml"), FlowSyntax.FACTURX: ("ubl", "xml")}


@require_GET
def healthcheck(request):
    """Up and answering; no token needed (monitoring probes have none)."""
    return HttpResponse(status=200)


@api_view(methods=("POST",))
def create_flow(request):
    limit = max_file_bytes()
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit + MULTIPART_OVERHEAD:
        raise too_large(limit)
    if not request.content_type.startswith("multipart/form-data"):
        raise ApiError(400, "INVALID_FORMAT", "multipart/form-data expected (file and flowInfo)")
    try:
        upload = request.FILES.get("file")
    except MultiPartParserError as error:  # the guard answers the other unreadable bodies
        raise ApiError(400, "INVALID_FORMAT", f"unreadable multipart body: {error}") from None
    if upload is None:
        raise api_input.invalid("file", "required", "MISSING_REQUIRED_FIELD")
    if upload.size > limit:
        raise too_large(limit)
    info = api_input.flow_info(flow_info_part(request))
    try:
        flow, _ = submit(request.api_dossier, info, upload.read(), sender=sender_of(request))
    except TrackingIdReused as reused:
        raise ApiError(422, "ALREADY_EXISTING_TRACKING_ID", str(reused)) from None
    return JsonResponse(flow_metadata(flow), status=202)


@api_view(methods=("POST",))
def search_flows(request):
    body = request.body
    filters, limit, cursor = api_input.search_request(body)
    page = search(visible_flows(request), filters, limit=limit, cursor=cursor)
    answer = {"limit": limit, "filters": request_filters(body),
            "results": [flow_metadata(flow) for flow in page.results]}
    if page.next_cursor:
        answer["nextCursor"] = page.next_cursor
    return JsonResponse(answer)


@api_view()
def get_flow(request, flow_id):
    doc_type = request.GET.get("docType", "Metadata")
    if doc_type not in DOCUMENTS:
        raise api_input.invalid("docType", f"one of {', '.join(DOCUMENTS)} expected")
    flow = visible_flow(request, flow_id)
    return DOCUMENTS[doc_type](flow)


def metadata(flow):
    return JsonResponse(flow_metadata(flow))


def original(flow):
    if flow.original is None:
        raise Http404
    return download(open_content(flow.original), flow.original.filename)


def converted(flow):
    """The invoice in the other syntax: UBL for a CII or Factur-X, CII for a UBL."""
    if flow.syntax not in CONVERTED or flow.original is None:
        raise Http404
    target, extension = CONVERTED[flow.syntax]
    try:
        content = convert(open_content(flow.original), target)
    except EInvoiceError:
        raise Http404 from None
    return download(content, f"{stem(flow.original.filename)}.{target}.{extension}")


def readable_view(flow):
    """The Factur-X PDF itself, or the HTML rendering the invoice page shows for a CII or UBL."""
    if flow.syntax not in CONVERTED or flow.original is None:
        raise Http404
    content = open_content(flow.original)
    if flow.syntax == FlowSyntax.FACTURX:
        return download(content, flow.original.filename)
    try:
        page = render_html(read_invoice(content), "en" if get_language() == "en" else "fr")
    except EInvoiceError:
        raise Http404 from None
    return download(page.encode(), f"{stem(flow.original.filename)}.html")


DOCUMENTS = {"Metadata": metadata, "Original": original, "Converted": converted, "ReadableView": readable_view}


def download(content, filename):
    response = HttpResponse(content, content_type=DOWNLOAD)
    safe = "".join(char for char in filename if char.isascii() and char.isprintable() and char not in '";\\')
    response["Content-Disposition"] = f'attachment;filename="{safe or "flow"}"'
    return response


def stem(filename):
    return filename.rsplit(".", 1)[0] if "." in filename else filename


def too_large(limit):
    return ApiError(413, "FILE_SIZE_EXCEEDED", f"The file exceeds the limit of {limit} bytes")


def flow_info_part(request):
    """``flowInfo`` as text, whether the client sent it as a field or as a file part (with a file name)."""
    if "flowInfo" in request.POST:
        return request.POST["flowInfo"]
    part = request.FILES.get("flowInfo")
    if part is None:
        raise api_input.invalid("flowInfo", "required", "MISSING_REQUIRED_FIELD")
    if part.size > MULTIPART_OVERHEAD:
        raise api_input.invalid("flowInfo", "too long")
    return part.read()


def sender_of(request):
    client = request.api_client
    return Sender(
        id=client.client_id, may_issue_sales=client.can_issue_sales,
        may_set_sales_statuses=client.can_set_statuses and client.can_issue_sales,
        may_set_purchase_statuses=client.can_set_statuses and client.can_handle_purchases,
        audit_detail={**client_detail(client), "request_id": request.api_request_id},
    )


def visible_flows(request):
    """The flows of the request's dossier its client may see (see the module docstring)."""
    client = request.api_client
    types = []
    if client.can_issue_sales:
        types += [FlowType.CUSTOMER_INVOICE, FlowType.CUSTOMER_INVOICE_LC]
    if client.can_handle_purchases:
        types += [FlowType.SUPPLIER_INVOICE, FlowType.SUPPLIER_INVOICE_LC]
    return Flow.objects.filter(Q(flow_type__in=types) | Q(sender=client.client_id), dossier=request.api_dossier)


def visible_flow(request, flow_id):
    try:
        uid = uuid.UUID(flow_id)
    except ValueError:
        raise Http404 from None
    flow = visible_flows(request).select_related("original").filter(uid=uid).first()
    if flow is None:
        raise Http404
    return flow


def request_filters(body):
    """The ``where`` the client sent, echoed as the response's ``filters``."""
    return api_input.json_object(body, "body")["where"]
