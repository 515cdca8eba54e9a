"""A real HTTP server on loopback that counts requests per path (for side-effect assertions).

Paths: `/ok` → 200 `{"path", "count"}`; `/flaky/N` → 500 for the first N calls, then 200;
`/down` → 503 always.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class CountingServer:
    url: str
    counts: Counter[str] = field(default_factory=Counter)
    # When each request arrived (time.monotonic()), per path.
    times: defaultdict[str, list[float]] = field(default_factory=lambda: defaultdict(list))


@contextmanager
def counting_server() -> Iterator[CountingServer]:
    state = CountingServer(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            with lock:
                state.counts[self.path] += 1
                state.times[self.path].append(time.monotonic())
                count = state.counts[self.path]
            status = 200
            if self.path.startswith("/flaky/") and count <= int(self.path.rsplit("/", 1)[1]):
                status = 500
            elif self.path == "/down":
                status = 503
            body = json.dumps({"path": self.path, "count": count}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
