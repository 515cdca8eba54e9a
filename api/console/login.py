"""Console login and logout: an API key, or a user's email and password (the API's own login)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.auth import admit
from api.console.session import (
    UI_PREFIX,
    ConsolePrincipal,
    clear_login_cookie,
    set_login_cookie,
)
from api.console.templating import render
from api.deps import ClusterDep, SessionDep, StateDep
from api.routers import auth
from hive_core.auth import AuthenticationError, PrincipalKind
from hive_core.errors import RateLimitedError

router = APIRouter(prefix=UI_PREFIX, include_in_schema=False)


def _safe_next(next_path: str | None) -> str:
    # Only paths of the console itself: never an open redirect to another site.
    if next_path and next_path.startswith(UI_PREFIX + "/") and not next_path.startswith("//"):
        return next_path
    return f"{UI_PREFIX}/executions"


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: str | None = None) -> Response:
    # Always the form: a cookie whose token was revoked must not bounce between here and `next`.
    return render(request, "login.html", next=_safe_next(next), error=None)


@router.post("/login", response_class=HTMLResponse)
async def login_submit(
    request: Request,
    state: StateDep,
    session: SessionDep,
    cluster: ClusterDep,
    api_key: Annotated[str, Form(max_length=1024)] = "",
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Check the credentials exactly as the API does, then keep them in the console cookie."""
    target = _safe_next(next)
    timeout = cluster.security.session_timeout
    try:
        if api_key.strip():
            await admit(state, api_key.strip())
            token = api_key.strip()
        elif email.strip() and password:
            answer = await auth.login_(
                auth.LoginRequest(email=email, password=password), session, cluster, state
            )
            token = answer.token
        else:
            raise AuthenticationError("enter an API key, or an email and a password")
    except (AuthenticationError, RateLimitedError) as exc:
        status = 429 if isinstance(exc, RateLimitedError) else 401
        return render(request, "login.html", status_code=status, next=target, error=exc.message)
    response = RedirectResponse(target, status_code=303)
    set_login_cookie(request, response, token, timeout)
    return response


@router.post("/logout")
async def logout(request: Request, principal: ConsolePrincipal, session: SessionDep) -> Response:
    """End a password session in the database too; an API key stays valid (it is only forgotten)."""
    if principal.kind is PrincipalKind.SESSION:
        await auth.logout(principal, session)
    response = RedirectResponse(f"{UI_PREFIX}/login", status_code=303)
    clear_login_cookie(request, response)
    return response


__all__ = ["router"]
