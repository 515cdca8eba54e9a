"""Real HTTP servers on loopback for tests: a quiet JSON-speaking handler base and `serve`.

Each stand-in defines its routes on a `JsonHandler` subclass and runs it with
`with serve(Handler) as url: ...`; the server listens on 127.0.0.1 on a free port, in a thread.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class JsonHandler(BaseHTTPRequestHandler):
    """A request handler that reads and writes JSON and logs nothing (pytest shows stderr)."""

    def reply_json(self, status: int, body: Any, content_type: str = "application/json") -> None:
        """Write `body` as a JSON response with its Content-Type and Content-Length."""
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def read_body(self) -> bytes:
        """The request body (empty when there is none)."""
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    # ThreadingHTTPServer's handler threads are daemons: a handler still blocked when the test
    # ends (a held call whose caller was killed) does not keep the process alive.
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
