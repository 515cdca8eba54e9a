"""A stand-in for Hive's credential resolve endpoint, speaking the TEAM.md contract.

`POST /api/internal/credentials/resolve` `{type, id, name}` with `X-API-Key` → 200
`{id, name, type, data}` (match by id, then by name; the type must match) or 404 `{error}`;
`PUT /api/internal/credentials/{id}/data` `{data}` stores new data.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.loopback import JsonHandler, serve

SERVICE_KEY = "test-service-key"


@dataclass
class CredentialServer:
    url: str = ""
    # id → {"id", "name", "type", "data"}
    credentials: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def add(self, cred_id: str, name: str, cred_type: str, data: dict[str, Any]) -> dict[str, str]:
        """Store a credential; returns the node's reference to it."""
        self.credentials[cred_id] = {"id": cred_id, "name": name, "type": cred_type, "data": data}
        return {"id": cred_id, "name": name}

    def resolve(self, body: dict[str, Any]) -> dict[str, Any] | None:
        found = self.credentials.get(body.get("id") or "")
        if found is None:
            found = next((c for c in self.credentials.values() if c["name"] == body.get("name")), None)
        return found if found is not None and found["type"] == body.get("type") else None


@contextmanager
def credential_server() -> Iterator[CredentialServer]:
    state = CredentialServer()

    class Handler(JsonHandler):
        def _body(self) -> dict[str, Any]:
            parsed: dict[str, Any] = json.loads(self.read_body() or b"{}")
            return parsed

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            if self.headers.get("X-API-Key") != SERVICE_KEY:
                return self.reply_json(401, {"error": "bad API key"})
            if self.path != "/api/internal/credentials/resolve":
                return self.reply_json(404, {"error": "no such route"})
            body = self._body()
            state.requests.append(body)
            found = state.resolve(body)
            if found is None:
                label = body.get("name") or body.get("id")
                return self.reply_json(
                    404, {"error": f'credential "{label}" of type {body.get("type")} not found'}
                )
            return self.reply_json(200, found)

        def do_PUT(self) -> None:  # noqa: N802
            parts = self.path.strip("/").split("/")
            if self.headers.get("X-API-Key") != SERVICE_KEY or len(parts) != 5 or parts[4] != "data":
                return self.reply_json(404, {"error": "no such route"})
            cred = state.credentials.get(parts[3])
            if cred is None:
                return self.reply_json(404, {"error": "not found"})
            cred["data"] = self._body()["data"]
            return self.reply_json(200, {"id": cred["id"]})

    with serve(Handler) as state.url:
        yield state
