"""Ollama's wire format, shared by the fake Ollama and the local model server.

Compact JSON (Go's encoder), ``{"error": ...}`` bodies, ``omitempty`` metrics and RFC3339
timestamps with nanoseconds.
"""

from __future__ import annotations

import json
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

JSON_TYPE = "application/json; charset=utf-8"
NDJSON_TYPE = "application/x-ndjson"


def rfc3339(ns: int) -> str:
    """An epoch time in nanoseconds as Ollama writes timestamps: RFC3339, UTC, nanoseconds."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ns // 10**9)) + f".{ns % 10**9:09d}Z"


def now() -> str:
    """Now, as Ollama writes ``created_at``."""
    return rfc3339(time.time_ns())


def dumps(obj: Any) -> bytes:
    # Go's encoder: compact, one object per line.
    return json.dumps(obj, separators=(",", ":")).encode()


def json_response(obj: Any, status: int = 200) -> Response:
    return Response(dumps(obj), status_code=status, media_type=JSON_TYPE)


def error_response(status: int, message: str) -> Response:
    return json_response({"error": message}, status)


class ApiError(Exception):
    """An HTTP error in Ollama's shape: ``{"error": message}`` with ``status``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def api_error_response(request: Request, exc: Exception) -> Response:
    """The Starlette exception handler for `ApiError`: Ollama's error body and status."""
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.message)


def nonzero(**metrics: int) -> dict[str, int]:
    """Ollama's metric fields are ``omitempty``: a zero is left out, not sent."""
    return {key: value for key, value in metrics.items() if value}


__all__ = [
    "JSON_TYPE",
    "NDJSON_TYPE",
    "ApiError",
    "api_error_response",
    "dumps",
    "error_response",
    "json_response",
    "nonzero",
    "now",
    "rfc3339",
]
