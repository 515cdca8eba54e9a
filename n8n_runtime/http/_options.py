"""The node's `options` collection, with n8n's defaults and per-version rules applied."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from n8n_runtime.nodes.base import NodeError, ParameterAccess

DEFAULT_TIMEOUT_MS = 300_000  # n8n's when `options.timeout` is not set
DEFAULT_MAX_REDIRECTS = 21  # follow-redirects' default


@dataclass(frozen=True)
class RequestOptions:
    """Options that shape one request."""

    timeout_ms: int
    follow_redirects: bool
    max_redirects: int
    allow_unauthorized_certs: bool
    proxy: str | None
    query_array_format: str | None
    lowercase_headers: bool
    credentials_on_cross_origin_redirect: bool
    never_error: bool
    batch_size: int
    batch_interval_ms: int


@dataclass(frozen=True)
class ResponseOptions:
    """How responses become items (n8n reads these for item 0 only)."""

    response_format: str
    full_response: bool
    never_error: bool
    output_property: str


def read_options(params: ParameterAccess, item_index: int) -> dict[str, Any]:
    """The `options` collection for one item, pagination left out: its expressions use
    `$response`/`$pageCount` and are evaluated page by page (n8n reads it raw)."""
    raw = params.raw("options", {})
    if not isinstance(raw, dict):
        value = params.get("options", item_index, {})
        return value if isinstance(value, dict) else {}
    return {key: params.get(f"options.{key}", item_index) for key in raw if key != "pagination"}


def request_options(options: dict[str, Any], version: float, send_query: bool) -> RequestOptions:
    """`options` (already evaluated for one item) as typed request options."""
    redirect = _group(options, "redirect", "redirect")
    # v4+ follows redirects unless the option says otherwise; v3 follows only when asked.
    follow = bool(redirect.get("followRedirects", version >= 4)) if redirect is not None else version >= 4
    max_redirects = _int((redirect or {}).get("maxRedirects"), DEFAULT_MAX_REDIRECTS) or DEFAULT_MAX_REDIRECTS
    batch = _group(options, "batching", "batch")
    batch_size = _int((batch or {}).get("batchSize"), 50)
    response = _group(options, "response", "response") or {}
    cross_origin = options.get("sendCredentialsOnCrossOriginRedirect")
    timeout = _int(options.get("timeout"), 0)
    array_format = options.get("queryParameterArrays")
    return RequestOptions(
        timeout_ms=timeout if timeout > 0 else DEFAULT_TIMEOUT_MS,
        follow_redirects=follow,
        max_redirects=max_redirects,
        allow_unauthorized_certs=bool(options.get("allowUnauthorizedCerts")),
        proxy=str(options["proxy"]) if options.get("proxy") else None,
        query_array_format=str(array_format) if send_query and array_format else None,
        lowercase_headers=options.get("lowercaseHeaders") in (None, True),
        credentials_on_cross_origin_redirect=bool(cross_origin)
        if cross_origin is not None
        else version < 4.4,
        never_error=bool(response.get("neverError")),
        # n8n treats 0 (and -1) as 1; without the batching option there is no pause.
        batch_size=batch_size if batch_size > 0 else 1,
        batch_interval_ms=_int((batch or {}).get("batchInterval"), 1000) if batch is not None else 0,
    )


def response_options(options: dict[str, Any]) -> ResponseOptions:
    """The response group of `options` with n8n's defaults."""
    response = _group(options, "response", "response") or {}
    return ResponseOptions(
        response_format=str(response.get("responseFormat") or "autodetect"),
        full_response=bool(response.get("fullResponse")),
        never_error=bool(response.get("neverError")),
        output_property=str(response.get("outputPropertyName") or "data"),
    )


def _group(options: dict[str, Any], name: str, inner: str) -> dict[str, Any] | None:
    """A single-value fixedCollection (`options.redirect.redirect`), None when not added."""
    outer = options.get(name)
    if not isinstance(outer, dict):
        return None
    value = outer.get(inner)
    return value if isinstance(value, dict) else {}


def _int(value: Any, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(float(value))
    except (TypeError, ValueError):
        raise NodeError(f"Invalid number in the node's options: {value!r}") from None


__all__ = [
    "DEFAULT_TIMEOUT_MS",
    "RequestOptions",
    "ResponseOptions",
    "read_options",
    "request_options",
    "response_options",
]
