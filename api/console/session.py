"""The console's login cookie: the caller's credential, sealed, HTTP-only, with the session timeout.

The cookie holds the token the login produced — a user's session token (password login) or the
API key itself (key login) — encrypted with Fernet (AES-CBC + HMAC), so the browser's cookie store
never shows a usable key, and timestamped, so ``security.session_timeout`` is enforced by the
server (Fernet's ``ttl``) as well as by the cookie's ``Max-Age``. Every request is then admitted
exactly as an API request (`api.auth.admit`: revocation, expiry, rate limit, role).

The Fernet key lives in ``<data_dir>/console-session.key`` (mode 0600, created on first use), so
logins survive an API restart and API replicas sharing the data dir accept each other's cookies.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from cryptography.fernet import Fernet, InvalidToken
from fastapi import Depends, Request
from fastapi.responses import Response

from api.auth import admit
from api.deps import StateDep
from hive_core.auth import AuthenticationError, Principal

COOKIE_NAME = "hive_console"
KEY_FILE_NAME = "console-session.key"
UI_PREFIX = "/ui"


class LoginRequired(Exception):
    """No valid console cookie: the caller is sent to the login page (then back to ``next_path``)."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def _load_key(path: Path) -> bytes:
    if path.is_file():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    # O_EXCL: two processes starting at once must not overwrite each other's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as file:
        file.write(key)
    return key


def _fernet(request: Request) -> Fernet:
    fernet: Fernet | None = getattr(request.app.state, "console_fernet", None)
    if fernet is None:
        state = request.app.state.hive
        fernet = Fernet(_load_key(state.settings.data_dir / KEY_FILE_NAME))
        request.app.state.console_fernet = fernet
    return fernet


def _secure(request: Request) -> bool:
    # Browsers keep Secure cookies over https and on loopback (a secure context even over http);
    # a plain-http LAN address would drop a Secure cookie, so the flag follows the transport there.
    host = request.url.hostname or ""
    return request.url.scheme == "https" or host in ("127.0.0.1", "localhost", "::1")


def set_login_cookie(request: Request, response: Response, token: str, timeout_s: int) -> None:
    """Seal ``token`` into the console cookie (HTTP-only, SameSite=Strict, ``Max-Age`` = timeout)."""
    sealed = _fernet(request).encrypt(token.encode()).decode()
    response.set_cookie(
        COOKIE_NAME,
        sealed,
        max_age=timeout_s,
        path=UI_PREFIX,
        httponly=True,
        secure=_secure(request),
        samesite="strict",
    )


def clear_login_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        COOKIE_NAME, path=UI_PREFIX, httponly=True, secure=_secure(request), samesite="strict"
    )


def presented_token(request: Request, timeout_s: int) -> str | None:
    """The token sealed in the request's cookie, if the cookie is ours and younger than the timeout."""
    sealed = request.cookies.get(COOKIE_NAME)
    if not sealed:
        return None
    try:
        return _fernet(request).decrypt(sealed.encode(), ttl=timeout_s).decode()
    except (InvalidToken, ValueError):
        return None


def login_url(next_path: str) -> str:
    return f"{UI_PREFIX}/login?next={quote(next_path, safe='/')}"


def _next_path(request: Request) -> str:
    path = request.url.path
    return f"{path}?{request.url.query}" if request.url.query else path


async def console_principal(request: Request, state: StateDep) -> Principal:
    """The logged-in principal (admitted like an API call), or LoginRequired."""
    token = presented_token(request, state.cluster.security.session_timeout)
    if token is None:
        raise LoginRequired(_next_path(request))
    try:
        principal = await admit(state, token)
    except AuthenticationError:
        raise LoginRequired(_next_path(request)) from None  # revoked, expired or logged out
    request.state.principal = principal
    return principal


ConsolePrincipal = Annotated[Principal, Depends(console_principal)]

__all__ = [
    "COOKIE_NAME",
    "ConsolePrincipal",
    "LoginRequired",
    "UI_PREFIX",
    "clear_login_cookie",
    "console_principal",
    "login_url",
    "presented_token",
    "set_login_cookie",
]
