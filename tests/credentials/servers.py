"""Local servers for credential tests: an API that checks a credential, an OAuth2 token endpoint.

`checking_server(header, value)`: GET/POST → 200 `{"ok": true}` when the request carries
`header: value` (Bearer tokens: `Authorization: Bearer <token>`), else 401; the value is never
echoed. `token_server(...)`: RFC 6749 token endpoint at `/token` (grant types refresh_token and
client_credentials, client authenticated by HTTP Basic or in the form) and a resource at `/me`
that accepts only the last token issued.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from tests.loopback import JsonHandler, serve


@dataclass
class Server:
    url: str
    seen: list[dict[str, Any]] = field(default_factory=list)
    # token server: the token the resource accepts now, and how many were issued.
    current_token: str = "initial-access"
    issued: int = 0


@contextmanager
def checking_server(header: str, value: str) -> Iterator[Server]:
    state = Server(url="")

    class Handler(JsonHandler):
        def _check(self) -> None:
            ok = self.headers.get(header) == value
            state.seen.append({"path": self.path, "ok": ok})
            self.reply_json(200 if ok else 401, {"ok": True} if ok else {"message": "bad credentials"})

        do_GET = do_POST = _check  # noqa: N815 - http.server's naming

    with serve(Handler) as state.url:
        yield state


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

    class Handler(JsonHandler):
        def do_POST(self) -> None:  # noqa: N802
            form = {k: v[0] for k, v in parse_qs(self.read_body().decode()).items()}
            basic = self.headers.get("Authorization", "")
            if basic.startswith("Basic "):
                user, _, password = base64.b64decode(basic[6:]).decode().partition(":")
                form.setdefault("client_id", user)
                form.setdefault("client_secret", password)
            state.seen.append({"path": self.path, "grant_type": form.get("grant_type")})
            if on_request is not None:
                on_request()
            if form.get("client_id") != client_id or form.get("client_secret") != client_secret:
                self.reply_json(401, {"error": "invalid_client"})
                return
            grant = form.get("grant_type")
            if grant == "refresh_token" and form.get("refresh_token") != refresh_token:
                self.reply_json(400, {"error": "invalid_grant"})
                return
            if grant not in ("refresh_token", "client_credentials"):
                self.reply_json(400, {"error": "unsupported_grant_type"})
                return
            with lock:
                state.issued += 1
                state.current_token = f"access-{state.issued}"
            self.reply_json(
                200,
                {"access_token": state.current_token, "token_type": "Bearer", "expires_in": expires_in},
            )

        def do_GET(self) -> None:  # noqa: N802
            ok = self.headers.get("Authorization") == f"Bearer {state.current_token}"
            state.seen.append({"path": self.path, "ok": ok})
            self.reply_json(200 if ok else 401, {"me": "ada"} if ok else {"error": "invalid_token"})

    with serve(Handler) as state.url:
        yield state
