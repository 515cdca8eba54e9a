"""`/mcp`: the MCP SDK's streamable HTTP transport, with the API's authentication in front.

A request is admitted exactly as `api.auth.require` admits one (`X-API-Key` or `Authorization:
Bearer`, the key's rate limit, its role holding `workflows:read`) before the SDK sees it: no or
bad credentials are 401 with `WWW-Authenticate`, a role without the permission 403, over the
rate limit 429, all with Hive's JSON error body. Calling a tool also needs `executions:write`
(checked per call, an `isError` answer otherwise), so a viewer may list but not run.

`/mcp/<path>` serves an active MCP Server Trigger's tools (n8n's URL), behind that trigger's own
authentication (none, bearer or header auth, credentials from hive.yaml), like n8n's webhooks.

The session managers live as long as the app (started by the lifespan, `mcp_lifespan`).
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from mcp.server.context import ServerRequestContext
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp, StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from api.auth import WWW_AUTHENTICATE, admit, check_permission
from api.state import AppState
from api.webhooks.trigger import WebhookAuthError
from hive_core.auth import AuthenticationError, Permission, Principal, allows
from hive_core.errors import HiveError, NotFoundError
from hive_mcp.backend import HiveBackend
from hive_mcp.build import build_tool_server
from hive_mcp.trigger_server import TriggerToolServer
from hive_mcp.trigger_tools import TriggerTarget
from n8n_runtime.http import ConfigCredentials, CredentialResolver

MCP_PATH = "/mcp"
_PRINCIPAL = "hive_mcp_principal"


def _token(request: Request) -> str | None:
    api_key = request.headers.get("x-api-key")
    if api_key:
        return api_key
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" and credentials.strip() else None


def _may_run(ctx: ServerRequestContext[Any]) -> bool:
    request = ctx.request
    principal = getattr(getattr(request, "state", None), _PRINCIPAL, None)
    return isinstance(principal, Principal) and allows(principal.role, Permission.EXECUTIONS_WRITE)


class McpEndpoint:
    """The ASGI app at `/mcp`: authenticate, then the SDK's handler of this app's session manager."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        state: AppState = request.app.state.hive
        try:
            token = _token(request)
            if not token:
                raise AuthenticationError("authentication required: send X-API-Key or Authorization: Bearer")
            principal = await admit(state, token)
            check_permission(principal, Permission.WORKFLOWS_READ)
        except HiveError as exc:
            headers = {"WWW-Authenticate": WWW_AUTHENTICATE} if isinstance(exc, AuthenticationError) else {}
            retry_after = exc.details.get("retry_after")
            if retry_after is not None:
                headers["Retry-After"] = str(int(retry_after))
            response = JSONResponse({"error": exc.to_dict()}, status_code=exc.http_status, headers=headers)
            await response(scope, receive, send)
            return
        # Starlette's `request.state` is `scope["state"]`: the SDK hands this request to the call.
        scope.setdefault("state", {})[_PRINCIPAL] = principal
        handler: StreamableHTTPASGIApp = request.app.state.mcp_handler
        await handler(scope, receive, send)


def _bearer(request: Request) -> str | None:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else None


def check_trigger_auth(request: Request, target: TriggerTarget, credentials: CredentialResolver) -> None:
    """The MCP Server Trigger's own options, as n8n's: none, bearerAuth, headerAuth (401 / 403)."""
    method = target.authentication
    if method == "none":
        return
    kind = {"bearerAuth": "httpBearerAuth", "headerAuth": "httpHeaderAuth"}.get(method)
    if kind is None:
        raise WebhookAuthError(f"MCP Server Trigger authentication {method!r} is not supported", 500)
    ref = target.node.credentials.get(kind)
    data = credentials.resolve(kind, ref.id if ref else None, ref.name if ref else None).data
    if kind == "httpBearerAuth":
        given, expected = _bearer(request), str(data.get("token", ""))
    else:
        given, expected = request.headers.get(str(data.get("name", "")).lower()), str(data.get("value", ""))
    if given is None:
        raise WebhookAuthError("Authorization is required!", 401)
    if not secrets.compare_digest(given, expected):
        raise WebhookAuthError("Authorization data is wrong!", 403)


class McpTriggerEndpoint:
    """The ASGI app at `/mcp/<path>`: an active MCP Server Trigger's tools, behind its own auth."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        state: AppState = request.app.state.hive
        trigger_server: TriggerToolServer = request.app.state.mcp_trigger_server
        path = str(request.path_params.get("path", ""))
        try:
            target = await trigger_server.target(path)
            if target is None:
                raise NotFoundError(f"no active MCP Server Trigger listens on {path!r}", path=path)
            check_trigger_auth(request, target, ConfigCredentials(state.cluster.credentials))
        except WebhookAuthError as exc:
            body = {"error": {"type": "WebhookAuthError", "message": str(exc)}}
            await JSONResponse(body, status_code=exc.status)(scope, receive, send)
            return
        except HiveError as exc:
            await JSONResponse({"error": exc.to_dict()}, status_code=exc.http_status)(scope, receive, send)
            return
        handler: StreamableHTTPASGIApp = request.app.state.mcp_trigger_handler
        await handler(scope, receive, send)


def install_mcp(app: FastAPI) -> None:
    """Route `/mcp` and `/mcp/<path>` (GET: the server's stream, POST: messages, DELETE: end a session)."""
    methods = ["GET", "POST", "DELETE"]
    app.router.routes.append(
        Route(MCP_PATH, endpoint=McpEndpoint(), methods=methods, include_in_schema=False)
    )
    app.router.routes.append(
        Route(
            MCP_PATH + "/{path:path}", endpoint=McpTriggerEndpoint(), methods=methods, include_in_schema=False
        )
    )


@contextlib.asynccontextmanager
async def mcp_lifespan(app: FastAPI, state: AppState) -> AsyncIterator[None]:
    """Build the MCP server over the app's state and run its session manager for the app's life."""
    backend = HiveBackend(
        sessions=state.sessions, temporal=state.temporal, settings=state.settings, cluster=state.cluster
    )
    tool_server = build_tool_server(backend, may_run=_may_run)
    trigger_server = TriggerToolServer(backend)
    # The API's keys (and the triggers' own auth) guard them; a browser page cannot present one,
    # so DNS rebinding protection gains nothing (and would refuse the API's public host names).
    security = TransportSecuritySettings(enable_dns_rebinding_protection=False)
    manager = StreamableHTTPSessionManager(app=tool_server.server, security_settings=security)
    trigger_manager = StreamableHTTPSessionManager(app=trigger_server.server, security_settings=security)
    app.state.mcp_handler = StreamableHTTPASGIApp(manager)
    app.state.mcp_trigger_server = trigger_server
    app.state.mcp_trigger_handler = StreamableHTTPASGIApp(trigger_manager)
    # The manager's task group lives in a task of its own: a lifespan may be entered and left in
    # different tasks (test fixtures do), which an anyio cancel scope does not allow.
    started, stop = asyncio.Event(), asyncio.Event()

    async def run_manager() -> None:
        async with manager.run(), trigger_manager.run():
            started.set()
            await stop.wait()

    task = asyncio.create_task(run_manager(), name="hive-mcp-sessions")
    waiter = asyncio.ensure_future(started.wait())
    await asyncio.wait([task, waiter], return_when=asyncio.FIRST_COMPLETED)
    waiter.cancel()
    if task.done():
        task.result()  # the manager failed to start: raise its error
    try:
        yield
    finally:
        stop.set()
        await task


__all__ = [
    "MCP_PATH",
    "McpEndpoint",
    "McpTriggerEndpoint",
    "check_trigger_auth",
    "install_mcp",
    "mcp_lifespan",
]
