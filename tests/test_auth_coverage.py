"""Every route of the app needs credentials, except an explicit allow-list of open ones.

The test walks ``app.routes`` as the app is built right now, so a router added later that forgets
``require(Permission.X)`` fails here. Only the allow-list below is open: liveness, readiness and
metrics (``/metrics`` has its own optional bearer token), n8n's webhook URLs (their own
none/basic/header auth), login, and the API docs.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.routing import Mount, WebSocketRoute

from api.app import create_app
from api.auth import WWW_AUTHENTICATE
from hive_core.config import ClusterConfig
from hive_core.db import upgrade_database_async
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings
from hive_core.stack.ports import free_port
from tests.test_api import api_client

OPEN_ROUTES = {
    "/health",
    "/ready",
    "/metrics",
    "/webhook/{path:path}",
    "/webhook-test/{path:path}",
    "/webhook-waiting/{execution_id}",
    # n8n's chat and form URLs: the Chat / Form Trigger's own none/basic/n8nUserAuth options.
    "/webhook/{webhook_id}/chat",
    "/webhook-test/{webhook_id}/chat",
    "/form/{path:path}",
    "/form-test/{path:path}",
    "/form-waiting/{execution_id}",
    # n8n's chat session socket (Respond to Chat): open as in n8n; the key is the run's id, a
    # random 128-bit `chat-<uuid4>` only the chat POST that started the run hands out.
    "/chat",
    # n8n's MCP Server Trigger URLs: the trigger's own none/bearer/header auth (api/mcp/).
    "/mcp/{path:path}",
    "/api/auth/login",
    "/openapi.json",
    "/docs",
    "/docs/oauth2-redirect",
    "/redoc",
}
_PARAM = re.compile(r"\{[^}]+\}")
BAD_CREDENTIALS: list[dict[str, str]] = [
    {},
    {"X-API-Key": "hive_0123456789ab_wrong"},
    {"Authorization": "Bearer nonsense"},
]


@dataclass(frozen=True)
class RouteInfo:
    path: str
    methods: frozenset[str]
    websocket: bool
    mount: bool


def routes_of(app: FastAPI) -> list[RouteInfo]:
    """Every route with its full path (FastAPI resolves included routers lazily)."""
    found = []
    for context in iter_route_contexts(app.routes):
        original = context.original_route
        found.append(
            RouteInfo(
                path=str(context.path),
                methods=frozenset(context.methods or ()),
                websocket=isinstance(original, WebSocketRoute) or "WebSocket" in type(original).__name__,
                mount=isinstance(original, Mount),
            )
        )
    return found


# The web console authenticates by its login cookie and redirects to its login page instead of
# answering 401: tests/console/test_console_auth_coverage.py walks its routes the same way.
CONSOLE_PREFIX = "/ui"


def closed_routes(app: FastAPI) -> list[RouteInfo]:
    return [
        route
        for route in routes_of(app)
        if route.path not in OPEN_ROUTES and not route.path.startswith(CONSOLE_PREFIX)
    ]


@pytest.fixture
async def app(tmp_path: Path) -> FastAPI:
    settings = HiveSettings(
        data_dir=tmp_path,
        # Nothing listens there: a route must refuse the caller before it needs Temporal.
        temporal=TemporalSettings(address=f"127.0.0.1:{free_port()}", connect_timeout_s=1),
        database=DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'hive.db'}"),
    )
    await upgrade_database_async(settings.database_url)
    return create_app(settings, ClusterConfig())


@pytest.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(app) as client:
        yield client


def _concrete(path: str) -> str:
    return _PARAM.sub("x", path)


def test_the_walk_sees_the_routers(app: FastAPI) -> None:
    paths = {route.path for route in routes_of(app)}
    assert {"/health", "/metrics", "/webhook/{path:path}", "/api/auth/login", "/api/agents"} <= paths
    # The credential store and the node host's internal routes are closed like every other.
    assert {"/api/credentials", "/api/credentials/{credential_id}", "/api/internal/credentials/resolve"} <= {
        route.path for route in closed_routes(app)
    }
    assert len(closed_routes(app)) >= 10, "the walk found suspiciously few routes"


async def test_every_other_http_route_answers_401_without_credentials(
    app: FastAPI, http: httpx.AsyncClient
) -> None:
    for route in closed_routes(app):
        if route.websocket or route.mount:
            continue
        for method in sorted(route.methods):
            for headers in BAD_CREDENTIALS:
                body = {} if method in ("POST", "PUT", "PATCH") else None
                response = await http.request(method, _concrete(route.path), json=body, headers=headers)
                where = f"{method} {route.path} with {headers or 'no credentials'}"
                assert response.status_code == 401, f"{where}: {response.status_code} {response.text}"
                assert response.headers["WWW-Authenticate"] == WWW_AUTHENTICATE, where
                if method != "HEAD":
                    assert response.json()["error"]["type"] == "AuthenticationError", where


async def _first_answer(app: FastAPI, path: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    """What the app sends to an anonymous WebSocket client: up to two ASGI messages."""
    sent: list[dict[str, Any]] = []
    connected = False

    async def receive() -> dict[str, Any]:
        nonlocal connected
        if not connected:
            connected = True
            return {"type": "websocket.connect"}
        await asyncio.sleep(3600)  # the client says nothing more
        return {"type": "websocket.disconnect", "code": 1000}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "scheme": "ws",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 1),
        "server": ("hive", 80),
        "subprotocols": [],
        "app": app,
        "state": {},
    }
    task = asyncio.ensure_future(app(scope, receive, send))
    try:
        for _ in range(200):
            if sent and (sent[0]["type"] != "websocket.accept" or len(sent) > 1):
                break
            await asyncio.sleep(0.01)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    return sent


async def test_every_websocket_route_refuses_anonymous_callers(app: FastAPI, http: httpx.AsyncClient) -> None:
    # `http` keeps the lifespan (the app's state) running while the raw ASGI calls are made.
    for route in closed_routes(app):
        if not route.websocket:
            continue
        for headers in BAD_CREDENTIALS:
            sent = await _first_answer(app, _concrete(route.path), headers)
            assert sent, f"{route.path}: no answer to an anonymous client"
            if sent[0]["type"] == "websocket.accept":
                # Accepted only to say why: the next message must close the socket.
                assert len(sent) > 1 and sent[1]["type"] == "websocket.close", (
                    f"{route.path} served an anonymous client: {sent}"
                )
            else:
                assert sent[0]["type"] in ("websocket.close", "websocket.http.response.start"), sent


def test_no_mounted_sub_app_escapes_the_walk(app: FastAPI) -> None:
    """A mounted app's routes are not walked above; allow-list it or test it before mounting."""
    assert [route.path for route in closed_routes(app) if route.mount] == []
