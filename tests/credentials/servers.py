"""Local servers for credential tests: an API that checks a credential, an OAuth2 token endpoint.

`checking_server(header, value)`: GET/POST → 200 `{"ok": true}` when the request carries
`header: value` (Bearer tokens: `Authorization: Bearer <token>`), else 401; the value is never
echoed. `token_server(...)`: RFC 6749 token endpoint at `/token` (grant types refresh_token and
client_credentials, client authenticated by HTTP Basic or in the form) and a resource at `/me`
that accepts only the last token issued.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass
class Server:
    url: str
    seen: list[dict[str, Any]] = field(default_factory=list)
    # token server: the token the resource accepts now, and how many were issued.
    current_token: str = "initial-access"
    issued: int = 0


def _reply(handler: BaseHTTPRequestHandler, status: int, body: dict[str, Any]) -> None:
    data = json.dumps(body).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


@contextmanager
def _serve(handler: type[BaseHTTPRequestHandler], state: Server) -> Iterator[Server]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def checking_server(header: str, value: str) -> Iterator[Server]:
    state = Server(url="")

    class Handler(BaseHTTPRequestHandler):
        def _check(self) -> None:
            ok = self.headers.get(header) == value
            state.seen.append({"path": self.path, "ok": ok})
            _reply(self, 200 if ok else 401, {"ok": True} if ok else {"message": "bad credentials"})

        do_GET = do_POST = _check  # noqa: N815 - http.server's naming

        def log_message(self, *args: object) -> None:
            pass

    with _serve(Handler, state) as running:
        yield running


@contextmanager
def token_server(
    client_id: str,
    client_secret: str,
    refresh_token: str,
    expires_in: int = 3600,
    on_request: Callable[[], None] | None = None,
) -> Iterator[Server]:
    state = Server(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            basic = self.headers.get("Authorization", "")
            if basic.startswith("Basic "):
                user, _, password = base64.b64decode(basic[6:]).decode().partition(":")
                form.setdefault("client_id", user)
                form.setdefault("client_secret", password)
            state.seen.append({"path": self.path, "grant_type": form.get("grant_type")})
            if on_request is not None:
                on_request()
            if form.get("client_id") != client_id or form.get("client_secret") != client_secret:
                _reply(self, 401, {"error": "invalid_client"})
                return
            grant = form.get("grant_type")
            if grant == "refresh_token" and form.get("refresh_token") != refresh_token:
                _reply(self, 400, {"error": "invalid_grant"})
                return
            if grant not in ("refresh_token", "client_credentials"):
                _reply(self, 400, {"error": "unsupported_grant_type"})
                return
            with lock:
                state.issued += 1
                state.current_token = f"access-{state.issued}"
            _reply(
                self,
                200,
                {"access_token": state.current_token, "token_type": "Bearer", "expires_in": expires_in},
            )

        def do_GET(self) -> None:  # noqa: N802
            ok = self.headers.get("Authorization") == f"Bearer {state.current_token}"
            state.seen.append({"path": self.path, "ok": ok})
            _reply(self, 200 if ok else 401, {"me": "ada"} if ok else {"error": "invalid_token"})

        def log_message(self, *args: object) -> None:
            pass

    with _serve(Handler, state) as running:
        yield running
