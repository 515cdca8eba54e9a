"""Who opens a WebSocket: the same credentials, rate limit and roles as `api.auth.require`.

Browsers cannot set headers on a WebSocket, so besides ``X-API-Key`` and ``Authorization:
Bearer`` the key may come as ``?api_key=``. Failures raise Hive's auth errors; the route turns
them into close codes (4401, 4403, 4429).
"""

from __future__ import annotations

import time

from starlette.websockets import WebSocket

from api.state import AppState
from hive_core.auth import (
    AuthenticationError,
    Permission,
    PermissionDeniedError,
    Principal,
    PrincipalKind,
    allows,
    authenticate,
    hit,
    touch_api_key,
)
from hive_core.db.base import utcnow
from hive_core.errors import RateLimitedError


def presented_token(websocket: WebSocket) -> str | None:
    """The credential the client sent: header ``X-API-Key``, ``Authorization: Bearer``, ``?api_key=``."""
    api_key = websocket.headers.get("x-api-key")
    if api_key:
        return api_key
    scheme, _, credentials = websocket.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return websocket.query_params.get("api_key") or None


async def authorize_websocket(websocket: WebSocket, state: AppState, permission: Permission) -> Principal:
    """The principal behind the connection, counted against its rate limit, holding ``permission``."""
    token = presented_token(websocket)
    if not token:
        raise AuthenticationError(
            "authentication required: send X-API-Key, Authorization: Bearer or ?api_key="
        )
    now = utcnow()
    async with state.sessions() as session:
        principal = await authenticate(session, token, now=now)
    if principal is None:
        raise AuthenticationError("invalid, expired or revoked credentials")
    limit = state.cluster.security.rate_limit_for(principal.role)
    # Opening a connection counts as one request, in its own transaction (as in api.auth).
    async with state.sessions() as session, session.begin():
        decision = await hit(session, principal.rate_limit_bucket, limit=limit, now=time.time())
        if principal.kind is PrincipalKind.API_KEY:
            await touch_api_key(session, principal.credential_id, now=now)
    if not decision.allowed:
        raise RateLimitedError(
            f"rate limit of {limit} requests per minute exceeded",
            limit=limit,
            retry_after=decision.retry_after_s,
        )
    if not allows(principal.role, permission):
        raise PermissionDeniedError(
            f"role {principal.role.value!r} lacks permission {permission.value!r}",
            permission=permission.value,
            role=principal.role.value,
        )
    return principal


__all__ = ["authorize_websocket", "presented_token"]
