"""Password login, logout and "who am I"."""

from __future__ import annotations

import time
from datetime import datetime

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from api.auth import AUTH_RESPONSES, PrincipalDep
from api.deps import ClusterDep, SessionDep, StateDep
from api.errors import error_responses
from hive_core.auth import ROLE_PERMISSIONS, PrincipalKind, hit, record_audit
from hive_core.auth.users import end_session, login
from hive_core.db.base import utcnow
from hive_core.db.models import UserRole
from hive_core.errors import ConflictError, RateLimitedError

router = APIRouter(prefix="/api/auth", tags=["auth"])

# Enough for a person mistyping; far too few for guessing.
LOGIN_ATTEMPTS_PER_MINUTE = 10


class LoginRequest(BaseModel):
    email: str = Field(min_length=1, max_length=320)
    password: str = Field(min_length=1, max_length=1024)


class LoginResponse(BaseModel):
    token: str
    token_type: str = "bearer"
    expires_at: datetime
    role: UserRole


class Me(BaseModel):
    kind: PrincipalKind
    actor: str
    role: UserRole
    user_id: str | None
    credential_id: str
    permissions: list[str]


@router.post(
    "/login",
    response_model=LoginResponse,
    responses={401: {"description": "wrong email or password"}, 429: {"description": "too many attempts"}},
)
async def login_(
    body: LoginRequest, session: SessionDep, cluster: ClusterDep, state: StateDep
) -> LoginResponse:
    """Exchange email and password for a session token (send it as `Authorization: Bearer`).

    The token expires `security.session_timeout` seconds after login.
    """
    # Password guessing is limited per email (the API-key limiter counts only authenticated calls).
    async with state.sessions() as counter, counter.begin():
        bucket = f"login:{body.email.strip().lower()}"
        decision = await hit(counter, bucket, limit=LOGIN_ATTEMPTS_PER_MINUTE, now=time.time())
    if not decision.allowed:
        raise RateLimitedError(
            "too many login attempts for this email",
            limit=LOGIN_ATTEMPTS_PER_MINUTE,
            retry_after=decision.retry_after_s,
        )
    user, new = await login(
        session,
        email=body.email,
        password=body.password,
        now=utcnow(),
        timeout_s=cluster.security.session_timeout,
    )
    record_audit(session, user.email, "login", "user", user.id, session_id=new.row.id)
    await session.commit()
    return LoginResponse(token=new.token, expires_at=new.row.expires_at, role=user.role)


@router.post(
    "/logout",
    status_code=204,
    response_class=Response,
    responses={**AUTH_RESPONSES, **error_responses({409: "the caller is an API key, not a login session"})},
)
async def logout(principal: PrincipalDep, session: SessionDep) -> Response:
    """End the calling login session (API keys are revoked with `DELETE /api/keys/{id}`)."""
    if principal.kind is not PrincipalKind.SESSION:
        raise ConflictError("logout ends a login session; revoke an API key with DELETE /api/keys/{id}")
    await end_session(session, principal.credential_id, now=utcnow())
    record_audit(
        session, principal.actor, "logout", "user", principal.user_id, session_id=principal.credential_id
    )
    await session.commit()
    return Response(status_code=204)


@router.get("/me", response_model=Me, responses=AUTH_RESPONSES)
async def me(principal: PrincipalDep) -> Me:
    """The calling principal, its role and what that role may do."""
    return Me(
        kind=principal.kind,
        actor=principal.actor,
        role=principal.role,
        user_id=principal.user_id,
        credential_id=principal.credential_id,
        permissions=sorted(p.value for p in ROLE_PERMISSIONS[principal.role]),
    )
