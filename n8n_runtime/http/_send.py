"""Sending a `RequestSpec` with httpx: redirects as n8n follows them, a timeout, a size cap."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx

from n8n_runtime.http._body import encode_body, query_pairs
from n8n_runtime.http._request import RequestSpec
from n8n_runtime.http.errors import Redactor, transport_error
from n8n_runtime.nodes.base import NodeError

_REDIRECTS = (301, 302, 303, 307, 308)
_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})


@dataclass
class RawResponse:
    """A response read completely: axios-like lowercase headers, the (decoded) body bytes."""

    status: int
    reason: str
    headers: dict[str, Any]
    content: bytes
    url: str
    content_type: str = field(init=False)

    def __post_init__(self) -> None:
        self.content_type = str(self.headers.get("content-type", ""))

    def text(self) -> str:
        """The body decoded with the response's charset (UTF-8 by default)."""
        charset = "utf-8"
        for part in self.content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip('"')
        try:
            return self.content.decode(charset, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")


async def send(
    client: httpx.AsyncClient, spec: RequestSpec, *, item_index: int, max_bytes: int, redact: Redactor
) -> RawResponse:
    """Send `spec`, following redirects when its options say so, and read the whole body.

    Raises:
        HttpTransportError: no response (refused, DNS, timeout, reset): retryable.
        NodeError: invalid URL, TLS rejected, too many redirects, body larger than `max_bytes`.
    """
    method, url, headers = spec.method, spec.url, dict(spec.headers)
    content, default_type = encode_body(spec.body_kind, spec.body)
    if default_type and not any(k.lower() == "content-type" for k in headers):
        headers["content-type"] = default_type
    url = _with_query(url, query_pairs(spec.qs, spec.options.query_array_format))
    timeout = httpx.Timeout(spec.options.timeout_ms / 1000)
    auth = httpx.DigestAuth(*spec.digest) if spec.digest else None
    hops = 0
    while True:
        try:
            request = client.build_request(method, url, headers=headers, content=content, timeout=timeout)
            response = await client.send(request, auth=auth, follow_redirects=False, stream=True)
        except httpx.TransportError as error:
            raise transport_error(
                error,
                item_index=item_index,
                where=f"{method} {url}",
                timeout_ms=spec.options.timeout_ms,
                redact=redact,
            ) from None
        except httpx.InvalidURL as error:
            raise NodeError(
                f"Invalid URL: {redact(url)}", description=redact(str(error)), item_index=item_index
            ) from None
        location = response.headers.get("location")
        if not (spec.options.follow_redirects and response.status_code in _REDIRECTS and location):
            return await _read(response, spec, item_index=item_index, max_bytes=max_bytes, redact=redact)
        await response.aclose()
        hops += 1
        if hops > spec.options.max_redirects:
            raise NodeError(
                "Maximum number of redirects exceeded", description=redact(url), item_index=item_index
            )
        target = response.url.join(location)
        status = response.status_code
        if (status in (301, 302) and method == "POST") or (status == 303 and method not in ("GET", "HEAD")):
            # follow-redirects turns these into a GET without a body.
            method, content = "GET", None
            headers = {
                k: v for k, v in headers.items() if k.lower() not in ("content-type", "content-length")
            }
        if not spec.options.credentials_on_cross_origin_redirect and _origin(target) != _origin(response.url):
            headers = {
                k: v for k, v in headers.items() if k.lower() not in _CREDENTIAL_HEADERS | spec.auth_headers
            }
            auth = None
        url = str(target)


async def _read(
    response: httpx.Response, spec: RequestSpec, *, item_index: int, max_bytes: int, redact: Redactor
) -> RawResponse:
    where = f"{spec.method} {response.url}"
    try:
        declared = int(response.headers.get("content-length", "0") or 0)
    except ValueError:
        declared = 0
    body = bytearray()
    try:
        if declared > max_bytes:
            raise _too_large(declared, max_bytes, item_index)
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > max_bytes:
                raise _too_large(len(body), max_bytes, item_index)
    except httpx.TransportError as error:
        raise transport_error(
            error, item_index=item_index, where=where, timeout_ms=spec.options.timeout_ms, redact=redact
        ) from None
    except httpx.DecodingError as error:
        raise NodeError(
            "The response could not be decoded", description=str(error), item_index=item_index
        ) from None
    finally:
        await response.aclose()
    return RawResponse(
        status=response.status_code,
        reason=response.reason_phrase,
        headers=_headers(response.headers),
        content=bytes(body),
        url=str(response.url),
    )


def _too_large(size: int, limit: int, item_index: int) -> NodeError:
    return NodeError(
        f"The response of {size} bytes exceeds Hive's limit of {limit} bytes for one HTTP response",
        description="Ask the API for less data per request (filters, pagination) or raise the "
        "HTTP node's max_response_bytes setting.",
        item_index=item_index,
    )


def _headers(headers: httpx.Headers) -> dict[str, Any]:
    """Node's IncomingMessage headers: lowercase names, repeats joined, set-cookie as a list."""
    result: dict[str, Any] = {}
    for name in headers.keys():
        key = name.lower()
        if key in result:
            continue
        values = headers.get_list(key)
        result[key] = values if key == "set-cookie" else ", ".join(values)
    return result


def _with_query(url: str, pairs: list[tuple[str, str]]) -> str:
    """`url` with `pairs` appended to its query string (axios keeps the URL's own parameters)."""
    if not pairs:
        return url
    base, hash_mark, fragment = url.partition("#")
    joiner = "&" if "?" in base and not base.endswith(("?", "&")) else ("" if "?" in base else "?")
    return f"{base}{joiner}{urlencode(pairs)}{hash_mark}{fragment}"


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


__all__ = ["RawResponse", "send"]
