"""A small accredited platform answering from a script, in the documents' formats, for the faults a real one
rarely shows on demand (429, 500, a Pending or Error acknowledgement), and that never deduplicates by itself.

    platform = StubPlatform(http_stub)  # importable without Django set up (the benchmark runs one)
    platform.answers = [(429, error("TOO_MANY_REQUESTS"), {"Retry-After": "1"})]  # then flows are accepted
    connection = platform.connect(world.firm)
"""

import datetime
import json
import re
import uuid

LINE = {"addressingIdentifier": "552100554", "platformType": "WK", "directoryLineStatus": "Enabled",
        "siren": "552100554"}


def error(code, message="", status_text=""):
    return {"errorCode": code, "errorMessage": message or status_text or code}


class StubPlatform:
    def __init__(self, stub, *, lines=(LINE,), token_lifetime=600):
        self.stub, self.lines = stub, list(lines)
        self.answers = []  # what POST /v1/flows answers, in turn, before accepting flows
        self.ack = "Ok"  # the acknowledgement of the flows it accepts
        self.ack_details = []
        self.later_ack = "Ok"  # what getFlow says of them afterwards
        self.flows = {}  # flowId → metadata
        self.tokens = 0
        self.token_lifetime = token_lifetime
        stub.route("POST", "/token", self._token)
        stub.route("POST", "/auth-service/token", self._token)
        stub.route("POST", "/flow-service/v1/flows", self._create)
        stub.route("POST", "/flow-service/v1/flows/search", self._search)
        stub.route("POST", "/directory-service/v1/directory-line/search", self._lines)
        for line in self.lines:
            stub.route("GET", f"/directory-service/v1/directory-line/code:{line['addressingIdentifier']}",
                       lambda query, body, line=line: (200, line))

    @property
    def url(self):
        return self.stub.url

    credentials = {"client_id": "stub", "secret": "stub-secret"}

    def connect(self, firm, **fields):
        from facturier.accredited.models import Connection

        connection = Connection(firm=firm, name="PA simulée", flow_url=f"{self.stub.url}/flow-service",
                                directory_url=f"{self.stub.url}/directory-service", token_url=f"{self.stub.url}/token",
                                client_id="stub", is_default=True, **fields)
        connection.secret = "stub-secret"
        connection.save()
        return connection

    def requests(self, method, path_start):
        return [r for r in self.stub.requests if r["method"] == method and r["path"].startswith(path_start)]

    def _token(self, query, body):
        self.tokens += 1
        return 200, {"access_token": f"token-{self.tokens}", "token_type": "Bearer", "expires_in": self.token_lifetime}

    def _create(self, query, body):
        if self.answers:
            return self.answers.pop(0)
        info = json.loads(re.search(rb'name="flowInfo"\r\nContent-Type: application/json\r\n\r\n(.*?)\r\n--', body,
                                    re.S).group(1))
        now = datetime.datetime.now(datetime.UTC).isoformat()
        flow_id = str(uuid.uuid4())
        acknowledgement = {"status": self.ack, **({"details": self.ack_details} if self.ack_details else {})}
        self.flows[flow_id] = {
            "flowId": flow_id, "submittedAt": now, "updatedAt": now, "trackingId": info.get("trackingId"),
            "name": info["name"], "flowSyntax": info["flowSyntax"], "flowProfile": "Undefined",
            "processingRule": info.get("processingRule", "B2B"), "processingRuleSource": "Input",
            "flowDirection": "Out", "flowType": "CustomerInvoice", "acknowledgement": acknowledgement,
        }
        self.stub.route("GET", f"/flow-service/v1/flows/{flow_id}", lambda q, b, flow_id=flow_id: self._get(flow_id))
        return 202, self.flows[flow_id]

    def _get(self, flow_id):
        self.flows[flow_id]["acknowledgement"] = {"status": self.later_ack}
        return 200, self.flows[flow_id]

    def _search(self, query, body):
        where = json.loads(body)["where"]
        found = [flow for flow in self.flows.values() if flow["trackingId"] == where.get("trackingId")]
        return 200, {"limit": 100, "filters": where, "results": found}

    def _lines(self, query, body):
        siren = json.loads(body)["filters"]["siren"]["value"]
        return 200, {"totalNumberOfResults": 0, "results": [line for line in self.lines if line["siren"] == siren]}
