"""One mapping of Hive errors to HTTP responses."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from hive_core.errors import HiveError, RateLimitedError


async def _hive_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HiveError)
    headers = {}
    if isinstance(exc, RateLimitedError) and "retry_after" in exc.details:
        headers["Retry-After"] = str(exc.details["retry_after"])
    return JSONResponse({"error": exc.to_dict()}, status_code=exc.http_status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HiveError, _hive_error)
