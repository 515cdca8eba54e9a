"""Errors of the HTTP Request node, worded like n8n's NodeApiError, with secrets redacted.

Two kinds, kept apart on purpose:

* `HttpStatusError` (a `NodeError`): the server answered with a status outside 2xx (and
  `neverError` is off). User-visible, deterministic, goes through the node's `onError`.
* `HttpTransportError` (an `OperationalError`, retryable): no usable answer arrived (connection
  refused, DNS failure, timeout, connection reset). The activity lets Temporal retry it; once the
  retries are spent it turns it into a node error with `to_node_error()`.
"""

from __future__ import annotations

import json
import socket
import ssl
from collections.abc import Iterable, Mapping
from typing import Any

import httpx

from hive_core.errors import OperationalError
from n8n_runtime.nodes.base import NodeError

REDACTED = "**hidden**"

# n8n-workflow's STATUS_CODE_MESSAGES (NodeApiError).
STATUS_CODE_MESSAGES = {
    "4XX": "Your request is invalid or could not be processed by the service",
    "400": "Bad request - please check your parameters",
    "401": "Authorization failed - please check your credentials",
    "402": "Payment required - perhaps check your payment details?",
    "403": "Forbidden - perhaps check your credentials?",
    "404": "The resource you are requesting could not be found",
    "405": "Method not allowed - please check you are using the right HTTP method",
    "429": "The service is receiving too many requests from you",
    "5XX": "The service failed to process your request",
    "500": "The service was not able to process your request",
    "502": "Bad gateway - the service failed to handle your request",
    "503": "Service unavailable - try again later or consider setting this node to retry "
    "automatically (in the node settings)",
    "504": "Gateway timed out - perhaps try again later?",
}

# n8n-workflow's COMMON_ERRORS (NodeError), typos included: users search for these strings.
COMMON_ERRORS = {
    "ECONNREFUSED": "The service refused the connection - perhaps it is offline",
    "ECONNRESET": "The connection to the server wes closed unexpectedly, perhaps it is offline. "
    "You can retry request immidiately or wait and retry later.",
    "ENOTFOUND": "The connection cannot be established, this usually occurs due to an incorrect "
    "host(domain) value",
    "ECONNABORTED": "The connection was aborted, perhaps the server is offline",
    "EHOSTUNREACH": "The host is unreachable, perhaps the server is offline",
    "EAI_AGAIN": "The DNS server returned an error, perhaps the server is offline",
}

RATE_LIMIT_HINT = "Try spacing your requests out using the batching settings under 'Options'"
_MESSAGE_KEYS = (
    "cause error message Message msg messages description reason detail details errors "
    "errorMessage errorMessages ErrorMessage error_message _error_message errorDescription "
    "error_description error_summary error_info title text field err type"
).split()
_SENSITIVE_HEADERS = ("authorization", "proxy-authorization", "cookie", "x-api-key", "x-auth-token")


class Redactor:
    """Replaces credential values (and derived tokens) in text with n8n's `**hidden**`."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so a secret that contains another is hidden whole.
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        """`text` without any secret."""
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def headers(self, headers: Mapping[str, Any]) -> dict[str, Any]:
        """Headers safe to show: sensitive ones hidden, secrets removed from the others."""
        return {
            name: REDACTED if name.lower() in _SENSITIVE_HEADERS else self(str(value))
            for name, value in headers.items()
        }


class HttpStatusError(NodeError):
    """The server answered with an error status (n8n's NodeApiError around an AxiosError)."""

    def __init__(
        self,
        message: str,
        *,
        description: str | None,
        item_index: int | None,
        status: int,
        raw_message: str,
    ) -> None:
        super().__init__(message, description=description, item_index=item_index)
        self.status = status
        # n8n's `error.messages[0]`: "404 - <body as JSON>" (what a continueOnFail item shows).
        self.raw_message = raw_message

    def error_json(self) -> dict[str, Any]:
        """The `json.error` of n8n's continueOnFail item (the AxiosError's `toJSON`, sans stack)."""
        code = "ERR_BAD_REQUEST" if self.status // 100 == 4 else "ERR_BAD_RESPONSE"
        return {"message": self.raw_message, "name": "AxiosError", "code": code, "status": self.status}


class HttpTransportError(OperationalError):
    """No usable response (refused, DNS, timeout, reset): retryable, Temporal retries it."""

    def __init__(self, message: str, *, code: str | None, description: str, item_index: int | None) -> None:
        super().__init__(message, code=code, description=description, item_index=item_index)
        self.code = code
        self.description = description
        self.item_index = item_index

    def to_node_error(self) -> NodeError:
        """The node error to report once retrying is over (goes through the node's onError)."""
        return NodeError(self.message, description=self.description, item_index=self.item_index)


def status_error(
    status: int, data: Any, *, item_index: int, redact: Redactor, raw_message: str | None = None
) -> HttpStatusError:
    """n8n's NodeApiError for a response with status `status` and body `data` (text or JSON)."""
    message = raw_message or f"{status} - {_js_json(data)}"
    description = _find_property({"error": data, "message": message})
    code = str(status)
    if code in STATUS_CODE_MESSAGES:
        title = STATUS_CODE_MESSAGES[code]
    elif code[0] in "45":
        title = STATUS_CODE_MESSAGES[code[0] + "XX"]
    else:
        title = message
    if description == title:
        description = None
    return HttpStatusError(
        redact(title),
        description=redact(description) if description else None,
        item_index=item_index,
        status=status,
        raw_message=redact(message),
    )


def transport_error(
    error: httpx.TransportError, *, item_index: int, where: str, timeout_ms: int, redact: Redactor
) -> NodeError | HttpTransportError:
    """Classify an httpx failure: a retryable transport error, or a node error when retrying
    cannot help (invalid URL, TLS certificate rejected, too many redirects)."""
    detail = redact(f"{type(error).__name__}: {error} ({where})")
    if isinstance(error, httpx.UnsupportedProtocol):
        return NodeError(f"Invalid URL: {redact(where)}", description=detail, item_index=item_index)
    if isinstance(error, httpx.LocalProtocolError):
        return NodeError("The request could not be sent", description=detail, item_index=item_index)
    if _caused_by(error, ssl.SSLCertVerificationError):
        return NodeError(
            "SSL Issue: consider using the 'Ignore SSL issues' option",
            description=detail,
            item_index=item_index,
        )
    if isinstance(error, httpx.TimeoutException):
        code, detail = "ECONNABORTED", f"timeout of {timeout_ms}ms exceeded ({redact(where)})"
    elif _caused_by(error, ConnectionRefusedError):
        code = "ECONNREFUSED"
    elif (gai := _caused_by(error, socket.gaierror)) is not None:
        code = "EAI_AGAIN" if gai.errno == socket.EAI_AGAIN else "ENOTFOUND"
    elif _caused_by(error, OSError) is not None and "unreachable" in str(error).lower():
        code = "EHOSTUNREACH"
    else:
        code = "ECONNRESET"
    return HttpTransportError(COMMON_ERRORS[code], code=code, description=detail, item_index=item_index)


def _caused_by(error: BaseException, kind: type[BaseException]) -> Any:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, kind):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _js_json(value: Any) -> str:
    """JavaScript's JSON.stringify (compact, non-ASCII kept)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _find_property(data: Any) -> str | None:
    """NodeError.findProperty: the first message-like value, searched depth-first."""
    if not isinstance(data, dict):
        return None
    for key in _MESSAGE_KEYS:
        value = data.get(key)
        if not value:
            continue
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, list):
            parts = [str(v) if isinstance(v, str | int | float) else _find_property(v) for v in value]
            found = [p for p in parts if p is not None]
            return " | ".join(found) if found else None
        if isinstance(value, dict) and (property_ := _find_property(value)):
            return property_
    return None


__all__ = [
    "COMMON_ERRORS",
    "RATE_LIMIT_HINT",
    "REDACTED",
    "STATUS_CODE_MESSAGES",
    "HttpStatusError",
    "HttpTransportError",
    "Redactor",
    "status_error",
    "transport_error",
]
