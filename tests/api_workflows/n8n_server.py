"""A small real n8n public-API server on loopback: `GET /api/v1/workflows` with `X-N8N-API-KEY`
and `nextCursor` pagination, as n8n answers it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


@contextmanager
def n8n_api(workflows: list[dict[str, Any]], api_key: str) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Serve ``workflows``; yields the base URL and the list of requests it received."""
    requests: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            requests.append({"path": url.path, "query": query, "key": self.headers.get("X-N8N-API-KEY")})
            if url.path != "/api/v1/workflows":
                return self._json(404, {"message": "not found"})
            if self.headers.get("X-N8N-API-KEY") != api_key:
                return self._json(401, {"message": "unauthorized"})
            limit = int(query.get("limit", "100"))
            start = int(query.get("cursor", "0"))
            page = workflows[start : start + limit]
            more = start + limit < len(workflows)
            self._json(200, {"data": page, "nextCursor": str(start + limit) if more else None})

        def _json(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()
