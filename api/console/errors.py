"""Errors under ``/ui/``: a page for people, the API's JSON for the console's own scripts.

A page request without a login goes to the login page; the same from a script (header
``X-Hive-Console``) is a 401 naming the login URL. Hive errors (404 unknown execution, 403 role
without the permission, ...) become an error page; outside ``/ui/`` the API's handlers answer as
before.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.console.session import UI_PREFIX, LoginRequired, login_url
from api.console.templating import render
from hive_core.errors import HiveError

SCRIPT_HEADER = "x-hive-console"
Handler = Callable[[Request, Exception], Awaitable[Response]]
Fallback = Callable[[Request, Any], Response | Awaitable[Response]]


def is_console_page(request: Request) -> bool:
    """A browser page under /ui/ (not a fetch of the console's own script)."""
    path = request.url.path
    return (path == UI_PREFIX or path.startswith(UI_PREFIX + "/")) and SCRIPT_HEADER not in request.headers


async def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    if SCRIPT_HEADER in request.headers:
        body = {
            "error": {
                "type": "AuthenticationError",
                "message": "log in again",
                "login": login_url(exc.next_path),
            }
        }
        return JSONResponse(body, status_code=401)
    return RedirectResponse(login_url(exc.next_path), status_code=303)


def _page_or(fallback: Fallback | None) -> Handler:
    async def handler(request: Request, exc: Exception) -> Response:
        if is_console_page(request):
            status: int = getattr(exc, "http_status", None) or getattr(exc, "status_code", None) or 500
            message = exc.message if isinstance(exc, HiveError) else str(getattr(exc, "detail", exc))
            principal = getattr(request.state, "principal", None)
            return render(
                request, "error.html", principal=principal, status_code=status, status=status, message=message
            )
        assert fallback is not None
        answer = fallback(request, exc)
        return await answer if inspect.isawaitable(answer) else answer

    return handler


def install_console_error_handlers(app: FastAPI) -> None:
    """Wrap the app's HiveError and HTTP error handlers so /ui/ pages get pages (call after the API's)."""
    app.add_exception_handler(LoginRequired, _login_required)
    for exc_type in (HiveError, StarletteHTTPException):
        app.add_exception_handler(exc_type, _page_or(app.exception_handlers.get(exc_type)))


__all__ = ["SCRIPT_HEADER", "install_console_error_handlers", "is_console_page"]
