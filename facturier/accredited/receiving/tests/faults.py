"""A faulty network between the firm and its platform: a proxy that answers some requests 429 or 500 itself.

    with FaultyProxy(platform_url, fault_rate=0.3) as proxy:   # about 3 requests in 10 fail, 500 or 429
        ...connection URLs at proxy.url...
"""

import random
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "host"}


class FaultyProxy:
    def __init__(self, target, *, fault_rate=0.3, seed=11):
        self.target, self.fault_rate = target.rstrip("/"), fault_rate
        self.lock, self.random, self.faults = threading.Lock(), random.Random(seed), {429: 0, 500: 0}
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                proxy.handle(self)

            do_POST = do_DELETE = do_GET

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.http = httpx.Client(timeout=120)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.http.close()

    def fault(self):
        """The status to answer instead of forwarding, or None."""
        with self.lock:
            if self.random.random() >= self.fault_rate:
                return None
            status = self.random.choice((429, 500))
            self.faults[status] += 1
            return status

    def handle(self, request):
        body = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        status = self.fault()
        if status == 429:
            return self.answer(request, 429, b'{"errorCode":"TOO_MANY_REQUESTS"}', {"Retry-After": "1",
                                                                              "Content-Type": "application/json"})
        if status == 500:
            return self.answer(request, 500, b"Internal Server Error", {"Content-Type": "text/plain"})
        headers = {name: value for name, value in request.headers.items() if name.lower() not in HOP_BY_HOP}
        try:
            response = self.http.request(request.command, self.target + request.path, headers=headers, content=body)
        except httpx.TransportError:
            return self.answer(request, 502, b"Bad Gateway", {"Content-Type": "text/plain"})
        kept = {name: value for name, value in response.headers.items() if name.lower() not in HOP_BY_HOP}
        return self.answer(request, response.status_code, response.content, kept)

    @staticmethod
    def answer(request, status, body, headers):
        request.send_response(status)
        for name, value in headers.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)
