"""One mapping of Hive errors to HTTP responses.

Every error answer has one shape, ``{"error": {"type", "message", ...fields at fault}}``: Hive's
own errors (404, 409, 413, 422, 429, 503 — see ``hive_core.errors``), FastAPI's request
validation (422, each problem naming its field) and Starlette's routing errors (404, 405).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from temporalio.service import RPCError, RPCStatusCode

from api.auth.responses import ErrorBody
from hive_core.errors import EngineUnavailableError, HiveError, RateLimitedError, ValidationError


async def _hive_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HiveError)
    headers = {}
    if isinstance(exc, RateLimitedError) and "retry_after" in exc.details:
        headers["Retry-After"] = str(exc.details["retry_after"])
    return JSONResponse({"error": exc.to_dict()}, status_code=exc.http_status, headers=headers)


def error_responses(descriptions: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for Hive error answers a route gives: code → description."""
    return {code: {"model": ErrorBody, "description": text} for code, text in descriptions.items()}


def _problem(error: Any) -> dict[str, Any]:
    location, *field = error.get("loc") or ("body",)
    return {
        "field": ".".join(str(part) for part in field) or "(body)",
        "in": str(location),
        "message": str(error.get("msg", "invalid")).removeprefix("Value error, "),
    }


async def _request_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [_problem(error) for error in exc.errors()]
    summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
    return await _hive_error(request, ValidationError(f"invalid request: {summary}", errors=problems))


# How the Temporal client says the server cannot be reached: a lazy client's failed first
# connect is a RuntimeError with this prefix; a lost connection is an RPCError with these codes.
_CONNECT_FAILED = "Failed client connect"
_UNREACHABLE_CODES = {RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED}


async def _temporal_unreachable(request: Request, exc: Exception) -> JSONResponse:
    """503 for a Temporal that does not answer; any other error of these types stays a bug (500)."""
    unreachable = (isinstance(exc, RPCError) and exc.status in _UNREACHABLE_CODES) or str(exc).startswith(
        _CONNECT_FAILED
    )
    if not unreachable:
        raise exc
    reason = str(exc).splitlines()[0][:200]
    return await _hive_error(request, EngineUnavailableError(f"Temporal is unreachable: {reason}"))


# Starlette's own errors (unknown route, wrong method) in Hive's shape.
_HTTP_ERROR_TYPES = {404: "NotFoundError", 405: "MethodNotAllowedError"}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:
        # FastAPI's one 400: a body it cannot even decode (e.g. not UTF-8). For Hive that is
        # invalid input like any other, so it gets the 422 every other invalid request gets.
        error = ValidationError(f"invalid request: {exc.detail}", errors=[{"field": "(body)", "in": "body"}])
        return await _hive_error(request, error)
    body = {"type": _HTTP_ERROR_TYPES.get(exc.status_code, "HTTPError"), "message": str(exc.detail)}
    return JSONResponse({"error": body}, status_code=exc.status_code, headers=exc.headers)


# FastAPI documents its own 422 body (`{"detail": [...]}`) as HTTPValidationError; Hive answers
# with its error shape instead, so the OpenAPI document must say so (schemathesis checks it).
_VALIDATION_ERROR_BODY: dict[str, Any] = {
    "title": "HTTPValidationError",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["type", "message"],
            "properties": {
                "type": {"type": "string", "examples": ["ValidationError"]},
                "message": {"type": "string"},
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "field": {"type": "string"},
                            "in": {"type": "string"},
                            "message": {"type": "string"},
                        },
                    },
                },
            },
        }
    },
}


def _document_validation_errors(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        # FastAPI caches the document it generates; it is patched once, in place.
        schema = generate()
        schemas = schema.get("components", {}).get("schemas", {})
        if "HTTPValidationError" in schemas:
            schemas["HTTPValidationError"] = _VALIDATION_ERROR_BODY
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error answer Hive's one shape (and document it)."""
    _document_validation_errors(app)
    app.add_exception_handler(HiveError, _hive_error)
    app.add_exception_handler(RequestValidationError, _request_validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RPCError, _temporal_unreachable)
    app.add_exception_handler(RuntimeError, _temporal_unreachable)


__all__ = ["error_responses", "install_error_handlers"]
