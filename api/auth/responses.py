"""OpenAPI documentation of the answers every authenticated route may give."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class ErrorDetail(BaseModel):
    # Errors carry extra fields naming what is at fault (node, field, limit, retry_after ...).
    model_config = ConfigDict(extra="allow")

    type: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "no credentials, or unknown, expired or revoked ones"},
    403: {"model": ErrorBody, "description": "the role lacks the permission"},
    413: {"model": ErrorBody, "description": "request body over `api.max_body_bytes`"},
    429: {"model": ErrorBody, "description": "rate limit exceeded; see `Retry-After`"},
}

__all__ = ["AUTH_RESPONSES", "ErrorBody", "ErrorDetail"]
