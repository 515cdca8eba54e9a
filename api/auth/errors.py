"""401 answers carry ``WWW-Authenticate`` (RFC 9110), with Hive's usual JSON error body."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from hive_core.auth import AuthenticationError

# Both ways of sending a key are advertised; the realm names the service.
WWW_AUTHENTICATE = 'Bearer realm="hive", ApiKey realm="hive" header="X-API-Key"'


async def _authentication_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AuthenticationError)
    return JSONResponse(
        {"error": exc.to_dict()},
        status_code=exc.http_status,
        headers={"WWW-Authenticate": WWW_AUTHENTICATE},
    )


def install_auth_error_handlers(app: FastAPI) -> None:
    """Register the 401 handler (more specific than the generic HiveError one)."""
    app.add_exception_handler(AuthenticationError, _authentication_error)


__all__ = ["WWW_AUTHENTICATE", "install_auth_error_handlers"]
