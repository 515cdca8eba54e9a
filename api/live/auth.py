"""Who opens a WebSocket: the same credentials, rate limit and roles as `api.auth.require`.

Browsers cannot set headers on a WebSocket, so besides ``X-API-Key`` and ``Authorization:
Bearer`` the key may come as ``?api_key=``. Admission is `api.auth`'s own; failures raise Hive's
auth errors, which the route turns into close codes (4401, 4403, 4429).
"""

from __future__ import annotations

from starlette.websockets import WebSocket

from api.auth import admit, check_permission
from api.state import AppState
from hive_core.auth import AuthenticationError, Permission, Principal


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
    principal = await admit(state, token)
    check_permission(principal, permission)
    return principal


__all__ = ["authorize_websocket", "presented_token"]
