"""The Flow Service over real HTTP, with a client written from its OpenAPI document."""

import base64
import json

import httpx
import pytest

from einvoice.read import read_invoice
from facturier.flows.tests.flow_client import FlowClient
from facturier.flows.tests.samples import invalid_invoice, sales_invoice, status_message
from facturier.invoices.models import Invoice

pytestmark = pytest.mark.django_db(transaction=True)
FACTURX = "Factur-X"


def info(name="F1.xml", syntax="CII", **members):
    return {"name": name, "flowSyntax": syntax, **members}


def test_healthcheck_needs_no_token(live_server):
    client = FlowClient(f"{live_server.url}/flow-service")
    assert client.healthcheck().status_code == 200
    assert client.search_flows({"ackStatus": "Ok"}).status_code == 401
    assert client.get_flow("00000000-0000-0000-0000-000000000000").status_code == 401


@pytest.mark.parametrize("syntax, declared", [("CII", "application/xml"), ("UBL", None),
                                              (FACTURX, "application/octet-stream"), (FACTURX, "application/pdf")])
def test_an_invoice_sent_reaches_its_buyer_as_an_in_flow(api, seller_world, syntax, declared):
    seller, buyer = seller_world.active, seller_world.foreign
    erp, buyer_erp = api(seller), api(buyer, name="Compta acheteur")
    data = sales_invoice(seller, buyer.siren, syntax=syntax)
    answer = erp.create_flow(data, info(syntax="CII", trackingId="ERP-1"), file_type=declared,
                             info_type="text/plain")
    assert answer.status_code == 202
    flow = answer.json()
    assert (flow["flowDirection"], flow["flowSyntax"], flow["flowType"], flow["trackingId"]) == (
        "Out", syntax, "CustomerInvoice", "ERP-1")
    assert flow["acknowledgement"] == {"status": "Ok"} and flow["processingRule"] == "B2B"
    assert Invoice.objects.get(dossier=seller).state == "issued"

    [received] = buyer_erp.all_flows({"flowDirection": ["In"], "flowType": ["SupplierInvoice"]})
    assert received["flowSyntax"] == syntax and received["acknowledgement"]["status"] == "Ok"
    assert buyer_erp.get_flow(received["flowId"]).json() == received
    original = buyer_erp.get_flow(received["flowId"], "Original")
    assert original.content == data and original.headers["Content-Disposition"].startswith("attachment;filename=")
    converted = buyer_erp.get_flow(received["flowId"], "Converted").content
    assert read_invoice(converted).number == "API-2026-001"
    assert (b"<Invoice" in converted) == (syntax != "UBL"), "the other syntax: UBL for CII and Factur-X, else CII"
    readable = buyer_erp.get_flow(received["flowId"], "ReadableView").content
    assert readable.startswith(b"%PDF") if syntax == FACTURX else b"API-2026-001" in readable


def test_an_invalid_invoice_is_acknowledged_in_error_naming_the_rules(api, seller_world):
    erp = api(seller_world.active)
    flow = erp.create_flow(invalid_invoice(seller_world.active, seller_world.foreign.siren), info()).json()
    assert flow["acknowledgement"]["status"] == "Error"
    assert {d["item"] for d in flow["acknowledgement"]["details"]} == {"BR-FR-08_BT-23", "BR-FR-12_BT-49"}
    [listed] = erp.search_flows({"ackStatus": "Error"}).json()["results"]
    assert listed == flow
    assert not Invoice.objects.exists()


def test_duplicates_and_retries(api, seller_world):
    erp = api(seller_world.active)
    data = sales_invoice(seller_world.active, seller_world.foreign.siren)
    first = erp.create_flow(data, info(trackingId="T-1")).json()
    retry = erp.create_flow(data, info(trackingId="T-1")).json()
    assert retry == first, "a retry answers the flow the first request made"
    duplicate = erp.create_flow(data, info(trackingId="T-2")).json()
    assert duplicate["acknowledgement"]["status"] == "Error"
    assert duplicate["acknowledgement"]["details"][0]["reasonCode"] == "ALREADY_EXISTING_FLOW"
    reused = erp.create_flow(sales_invoice(seller_world.active, seller_world.foreign.siren, number="X"),
                             info(trackingId="T-1"))
    assert reused.status_code == 422 and reused.json()["errorCode"] == "ALREADY_EXISTING_TRACKING_ID"
    assert [f["trackingId"] for f in erp.all_flows({"trackingId": "T-1"})] == ["T-1"]
    assert Invoice.objects.filter(dossier=seller_world.active).count() == 1


def test_a_status_sent_by_the_buyer_reaches_the_seller(api, seller_world):
    seller, buyer = seller_world.active, seller_world.foreign
    erp, buyer_erp = api(seller), api(buyer)
    data = sales_invoice(seller, buyer.siren)
    erp.create_flow(data, info())
    approval = buyer_erp.create_flow(status_message(data, 205), info("approve.xml", "CDAR")).json()
    assert approval["acknowledgement"]["status"] == "Ok" and approval["flowType"] == "SupplierInvoiceLC"
    statuses = erp.all_flows({"flowDirection": ["In"], "flowType": ["CustomerInvoiceLC"]})
    assert len(statuses) == 3, "202 Reçue, 203 Mise à disposition, 205 Approuvée"
    last = erp.get_flow(statuses[-1]["flowId"], "Original").content
    assert b"<ram:ProcessConditionCode>205</ram:ProcessConditionCode>" in last
    again = buyer_erp.create_flow(status_message(data, 205), info("again.xml", "CDAR")).json()
    assert again["acknowledgement"]["details"][0]["reasonCode"] == "INVOICE_LC_STATUS_ERROR"


@pytest.mark.parametrize("flow_info, member", [
    ("not json", "flowInfo"), (json.dumps(["a"]), "flowInfo"), (json.dumps({"name": "a.xml"}), "flowInfo.flowSyntax"),
    (json.dumps(info(syntax="PDF")), "flowInfo.flowSyntax"), (json.dumps(info(trackingId="x" * 65)),
                                                              "flowInfo.trackingId"),
    (json.dumps(info(sha256="ABC")), "flowInfo.sha256"), (json.dumps(info(processingRule="B2X")),
                                                          "flowInfo.processingRule"),
])
def test_a_bad_flow_info_is_a_400_naming_the_member(api, seller_world, flow_info, member):
    erp = api(seller_world.active)
    answer = erp.create_flow(b"<x/>", flow_info)
    assert answer.status_code == 400 and answer.json()["errorMessage"].startswith(member)


def test_a_file_above_the_limit_is_a_413(api, seller_world, settings):
    settings.INVOICE_MAX_FILE_BYTES = 1000
    erp = api(seller_world.active)
    answer = erp.create_flow(b"x" * 2000, info())
    assert answer.status_code == 413 and answer.json()["errorCode"] == "FILE_SIZE_EXCEEDED"


def test_bad_search_requests_are_400(api, seller_world):
    erp = api(seller_world.active)
    assert erp.search_flows({}).status_code == 400
    assert erp.search_flows({"ackStatus": "Ok"}, limit=101).status_code == 400
    assert erp.search_flows({"ackStatus": "Ok"}, cursor="garbage").status_code == 400
    beyond = base64.urlsafe_b64encode(b"flows:" + b"9" * 30).decode()
    assert erp.search_flows({"ackStatus": "Ok"}, cursor=beyond).status_code == 400
    assert erp.search_flows({"flowType": ["Nope"]}).status_code == 400
    assert erp.search_flows({"updatedAfter": "2026-13-45T00:00:00Z"}).status_code == 400
    assert erp.get_flow("not-a-flow").status_code == 404
    assert erp.get_flow("00000000-0000-0000-0000-000000000000", "Nope").status_code == 400


def test_search_pages_follow_the_cursor_with_filters(api, seller_world):
    erp = api(seller_world.active)
    sent = [erp.create_flow(sales_invoice(seller_world.active, seller_world.foreign.siren, number=f"N-{n}"),
                            info(f"N-{n}.xml")).json()["flowId"] for n in range(5)]
    first = erp.search_flows({"flowDirection": ["Out"]}, limit=2).json()
    assert [f["flowId"] for f in first["results"]] == sent[:2] and first["limit"] == 2
    walked = erp.all_flows({"flowDirection": ["Out"]}, limit=2)
    assert [f["flowId"] for f in walked] == sent
    later = erp.search_flows({"updatedAfter": walked[2]["updatedAt"], "flowDirection": ["Out"]}).json()["results"]
    assert [f["flowId"] for f in later] == sent[3:]


def test_rights_decide_what_a_client_may_send_and_see(api, seller_world):
    seller, buyer = seller_world.active, seller_world.foreign
    api(seller).create_flow(sales_invoice(seller, buyer.siren), info())
    reader = api(seller, name="Lecteur achats", can_handle_purchases=True)
    refused = reader.create_flow(sales_invoice(seller, buyer.siren, number="R-1"), info())
    assert refused.status_code == 403
    assert reader.all_flows({"flowDirection": ["Out", "In"]}) == [], "sales flows are not a purchases reader's"
    sales_only = api(buyer, name="Ventes", can_issue_sales=True)
    assert sales_only.all_flows({"flowDirection": ["In"]}) == []
    buyer_flows = api(buyer).all_flows({"flowDirection": ["In"]})
    assert sales_only.get_flow(buyer_flows[0]["flowId"]).status_code == 404
    no_status_right = api(buyer, name="Sans statut", can_handle_purchases=True)
    assert no_status_right.create_flow(status_message(sales_invoice(seller, buyer.siren), 205),
                                       info(syntax="CDAR")).status_code == 403


def test_a_client_never_reaches_another_dossier(api, seller_world, live_server):
    seller, buyer = seller_world.active, seller_world.foreign
    flow = api(seller).create_flow(sales_invoice(seller, buyer.siren), info()).json()
    other = api(buyer)
    assert other.get_flow(flow["flowId"]).status_code == 404
    assert flow["flowId"] not in {f["flowId"] for f in other.all_flows({"flowDirection": ["Out", "In"]})}
    answer = other.http.post("/v1/flows/search", json={"where": {"ackStatus": "Ok"}},
                             headers={"Organization-Id": seller.siren})
    assert answer.status_code == 403 and seller.name not in answer.text


def test_flow_info_may_come_as_a_file_part(api, seller_world):
    erp = api(seller_world.active)
    answer = erp.create_flow(sales_invoice(seller_world.active, seller_world.foreign.siren), info(),
                             info_filename="flowInfo.json")
    assert answer.status_code == 202 and answer.json()["acknowledgement"]["status"] == "Ok"
    assert httpx.get(erp.http.base_url.join("v1/healthcheck")).status_code == 200


def test_a_broken_multipart_body_is_a_400(api, seller_world):
    erp = api(seller_world.active)
    answer = erp.http.post("/v1/flows", content=b"--x\r\nnot a part",
                           headers={"Content-Type": "multipart/form-data; boundary="})
    assert answer.status_code == 400 and answer.json()["errorCode"] == "INVALID_FORMAT"
    assert erp.http.post("/v1/flows", json={"file": "x"}).status_code == 400


def test_what_a_client_does_lands_in_the_audit_trail_under_its_name(api, seller_world):
    from facturier.audit.models import AuditEvent

    seller, buyer = seller_world.active, seller_world.foreign
    data = sales_invoice(seller, buyer.siren)
    api(seller, name="ERP Vendeur").create_flow(data, info())
    api(seller, name="ERP Vendeur").create_flow(b"", info("empty.xml"))
    api(buyer, name="ERP Acheteur").create_flow(status_message(data, 205), info("ok.xml", "CDAR"))
    trail = {(event.action, event.detail.get("api_client")) for event in AuditEvent.objects.all()}
    assert {("invoice_issued", "ERP Vendeur"), ("flow_refused", "ERP Vendeur"),
            ("invoice_decision_recorded", "ERP Acheteur")} <= trail
