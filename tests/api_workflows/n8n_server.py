"""A small real n8n public-API server on loopback: `GET /api/v1/workflows` with `X-N8N-API-KEY`
and `nextCursor` pagination, as n8n answers it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlparse

from tests.loopback import JsonHandler, serve


@contextmanager
def n8n_api(workflows: list[dict[str, Any]], api_key: str) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Serve ``workflows``; yields the base URL and the list of requests it received."""
    requests: list[dict[str, Any]] = []

    class Handler(JsonHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            requests.append({"path": url.path, "query": query, "key": self.headers.get("X-N8N-API-KEY")})
            if url.path != "/api/v1/workflows":
                return self.reply_json(404, {"message": "not found"})
            if self.headers.get("X-N8N-API-KEY") != api_key:
                return self.reply_json(401, {"message": "unauthorized"})
            limit = int(query.get("limit", "100"))
            start = int(query.get("cursor", "0"))
            page = workflows[start : start + limit]
            more = start + limit < len(workflows)
            self.reply_json(200, {"data": page, "nextCursor": str(start + limit) if more else None})

    with serve(Handler) as url:
        yield url, requests
