"""`require(Permission.X)`: the FastAPI dependency that authenticates, rate-limits and authorizes.

Order: credentials (401) → rate limit (429; every authenticated request counts) → role (403).
The principal is returned to the route and kept on ``request.state.principal``.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.deps import StateDep
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
from hive_core.db.engine import write_gate
from hive_core.errors import RateLimitedError

# auto_error=False: a missing header must become Hive's own 401 body, not FastAPI's 403.
_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, scheme_name="ApiKey")
_bearer = HTTPBearer(auto_error=False, scheme_name="Bearer")


def _presented_token(api_key: str | None, bearer: HTTPAuthorizationCredentials | None) -> str:
    token = api_key or (bearer.credentials if bearer else None)
    if not token:
        raise AuthenticationError("authentication required: send X-API-Key or Authorization: Bearer")
    return token


async def admit(state: AppState, token: str) -> Principal:
    """The principal behind ``token``, counted against its rate limit (HTTP requests, WebSockets)."""
    now = utcnow()
    async with state.sessions() as session:
        principal = await authenticate(session, token, now=now)
    if principal is None:
        raise AuthenticationError("invalid, expired or revoked credentials")
    limit = state.cluster.security.rate_limit_for(principal.role)
    # A transaction of its own, so the count is kept even if the route later fails.
    async with write_gate(state.engine), state.sessions() as session, session.begin():
        # The counter's upsert comes first: on SQLite the transaction then holds the write lock.
        decision = await hit(session, principal.rate_limit_bucket, limit=limit, now=time.time())
        if principal.kind is PrincipalKind.API_KEY:
            await touch_api_key(session, principal.credential_id, now=now)
    if not decision.allowed:
        raise RateLimitedError(
            f"rate limit of {limit} requests per minute exceeded",
            limit=limit,
            retry_after=decision.retry_after_s,
        )
    return principal


def check_permission(principal: Principal, permission: Permission) -> None:
    """PermissionDeniedError (403) unless the principal's role holds ``permission``."""
    if not allows(principal.role, permission):
        raise PermissionDeniedError(
            f"role {principal.role.value!r} lacks permission {permission.value!r}",
            permission=permission.value,
            role=principal.role.value,
        )


async def _principal(
    request: Request,
    state: StateDep,
    api_key: Annotated[str | None, Security(_api_key_header)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> Principal:
    principal = await admit(state, _presented_token(api_key, bearer))
    request.state.principal = principal
    return principal


def require(permission: Permission) -> Callable[..., Awaitable[Principal]]:
    """A dependency that admits only principals whose role holds ``permission``."""

    async def dependency(principal: Annotated[Principal, Depends(_principal)]) -> Principal:
        check_permission(principal, permission)
        return principal

    return dependency


# Any authenticated principal (e.g. `GET /api/auth/me`).
authenticated = _principal
PrincipalDep = Annotated[Principal, Depends(_principal)]

__all__ = ["PrincipalDep", "admit", "authenticated", "check_permission", "require"]
