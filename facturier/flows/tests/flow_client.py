"""A small client of the Flow Service, written from its OpenAPI document (XP Z12-013 1.3.0).

Each call checks its answer against the document: the status code must be one
the operation documents, and a JSON body must validate against the schema the
document gives for that code. Tests then assert what the answer means.

    client = FlowClient(base_url + "/flow-service", headers)
    flow = client.create_flow(data, {"name": "F1.xml", "flowSyntax": "CII"}).json()
"""

import json

import httpx
import jsonschema

from einvoice.tests.shared_files import shared_path

DOCUMENT = ("specs", "xp-z12-013", "flow-service-1.3.0.json")


def load_document():
    return json.loads(shared_path(*DOCUMENT).read_text(encoding="utf-8"))


class FlowClient:
    def __init__(self, base_url, headers=None, *, document=None, timeout=60):
        self.http = httpx.Client(base_url=base_url, headers=headers or {}, timeout=timeout)
        self.document = document or load_document()

    def close(self):
        self.http.close()

    def create_flow(self, content, flow_info, *, file_type="application/xml", filename="invoice.xml",
                    info_type="application/json", info_filename=None):
        """POST /v1/flows: ``file`` and ``flowInfo`` parts, each with the content type the client declares."""
        info = flow_info if isinstance(flow_info, (str, bytes)) else json.dumps(flow_info)
        files = {"file": (filename, content, file_type) if file_type else (filename, content),
                 "flowInfo": (info_filename, info, info_type)}
        return self._checked("/v1/flows", "post", self.http.post("/v1/flows", files=files))

    def search_flows(self, where, *, limit=None, cursor=None):
        body = {"where": where}
        if limit is not None:
            body["limit"] = limit
        if cursor is not None:
            body["cursor"] = cursor
        return self._checked("/v1/flows/search", "post", self.http.post("/v1/flows/search", json=body))

    def all_flows(self, where, *, limit=100):
        """Every flow matching ``where``, walking the cursor to the end."""
        found, cursor = [], None
        while True:
            page = self.search_flows(where, limit=limit, cursor=cursor).json()
            found += page["results"]
            cursor = page.get("nextCursor")
            if not cursor:
                return found

    def get_flow(self, flow_id, doc_type=None):
        params = {"docType": doc_type} if doc_type else {}
        return self._checked("/v1/flows/{flowId}", "get", self.http.get(f"/v1/flows/{flow_id}", params=params))

    def healthcheck(self):
        return self._checked("/v1/healthcheck", "get", self.http.get("/v1/healthcheck"))

    def _checked(self, path, method, response):
        responses = self.document["paths"][path][method]["responses"]
        code = str(response.status_code)
        assert code in responses, f"{method.upper()} {path} answered {code}, not documented: {response.text[:300]}"
        described = self._resolve(responses[code])
        media_type = response.headers.get("content-type", "").split(";")[0]
        content = described.get("content", {})
        if content:
            assert media_type in content, f"{media_type!r} is not a documented media type of {code}: {list(content)}"
        schema = content.get(media_type, {}).get("schema")
        if schema is not None and media_type == "application/json":
            jsonschema.validate(response.json(), {**schema, "components": self.document["components"]},
                                cls=jsonschema.Draft4Validator)
        return response

    def _resolve(self, item):
        while "$ref" in item:
            node = self.document
            for part in item["$ref"].lstrip("#/").split("/"):
                node = node[part]
            item = node
        return item
