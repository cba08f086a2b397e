"""A small round-robin HTTP proxy on loopback, standing in for a cluster's load balancer.

Each request goes to the next backend in turn. A backend that refuses the connection
is skipped (nothing was sent, so trying the next one is safe for any method); a
backend that fails after the request was sent answers 502, and that request is
recorded as lost in flight on that backend: whether it took effect is unknown, so
only the client may retry it (with its Idempotency-Key).
"""

from __future__ import annotations

import http.client
import itertools
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Hop-by-hop headers are the proxy's own business (RFC 9110 §7.6.1).
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"}


class RoundRobinProxy:
    def __init__(self, backends: list[int], host: str = "127.0.0.1"):
        self.backends, self.host = backends, host
        self._turn = itertools.cycle(range(len(backends)))
        self.lock = threading.Lock()
        self.served = Counter()  # backend port → responses relayed
        self.skipped = Counter()  # backend port → connections refused, request sent to the next one
        self.lost_in_flight = Counter()  # backend port → 502s for requests it had received

        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _relay(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                status, reply_headers, payload = proxy.forward(self.command, self.path, body, headers)
                self.send_response(status)
                for name, value in reply_headers:
                    if name.lower() not in HOP_BY_HOP | {"content-length"}:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _relay

            def log_message(self, format, *args):  # the load test prints counts, not lines
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def forward(self, method, path, body, headers):
        with self.lock:
            first = next(self._turn)
        # This request's turn, then each other backend once (other requests take turns meanwhile).
        for offset in range(len(self.backends)):
            port = self.backends[(first + offset) % len(self.backends)]
            conn = http.client.HTTPConnection(self.host, port, timeout=30)
            try:
                conn.connect()
            except OSError:
                with self.lock:
                    self.skipped[port] += 1
                continue
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException):
                with self.lock:
                    self.lost_in_flight[port] += 1
                return 502, [("Content-Type", "text/plain")], b"bad gateway: the backend failed mid-request\n"
            finally:
                conn.close()
            with self.lock:
                self.served[port] += 1
            return response.status, response.getheaders(), payload
        return 503, [("Content-Type", "text/plain")], b"no backend accepted the connection\n"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
