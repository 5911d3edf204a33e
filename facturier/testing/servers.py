"""Local servers for tests: mail is really sent over SMTP, registries really
answered over HTTP, so the code under test runs exactly as in production."""

import json
import socket
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller


class MailBox:
    """Collects every message the local SMTP server receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        return "250 OK"

    def body(self, message, subtype="plain"):
        part = message.get_body(preferencelist=(subtype,))
        return part.get_content() if part else ""

    def to(self, address):
        return [m for m in self.messages if address.lower() in m["To"].lower()]


def _free_port():
    # aiosmtpd's controller checks it started by connecting to its own port, which fails with port 0.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SMTPServer:
    def __init__(self):
        self.mailbox = MailBox()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=_free_port())

    def __enter__(self):
        self.controller.start()
        self.port = self.controller.server.sockets[0].getsockname()[1]
        return self

    def __exit__(self, *exc):
        self.controller.stop()


class StubHTTPServer:
    """An HTTP server answering from routes the test declares.

    ``routes[(method, path)]`` is a callable taking (query, body) and returning
    (status, payload) or (status, payload, headers) where payload is a dict/list
    (sent as JSON) or bytes. Every request is recorded in ``requests``.
    """

    def __init__(self):
        self.routes = {}
        self.requests = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, method):
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                stub.requests.append({"method": method, "path": url.path, "query": parse_qs(url.query),
                                      "headers": dict(self.headers), "body": body})
                route = stub.routes.get((method, url.path))
                status, payload, *headers = route(parse_qs(url.query), body) if route else (404, {"error": "not found"})
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                content_type = "application/octet-stream" if isinstance(payload, bytes) else "application/json"
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers[0] if headers else {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._answer("GET")

            def do_POST(self):
                self._answer("POST")

            def do_DELETE(self):
                self._answer("DELETE")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def route(self, method, path, handler):
        self.routes[(method, path)] = handler

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
