"""n8n's pagination (HTTP Request v4.1+): repeat the request with `$response`/`$pageCount`.

The pagination parameters are read raw (`rawExpressions` in n8n) and evaluated for each page by a
`PageExpressions` (see `_page_expressions`), which adds `$response`, `$request`, `$pageCount`.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from n8n_runtime._param_strings import has_expression
from n8n_runtime.http._page_expressions import PageExpressions
from n8n_runtime.http._request import RequestSpec
from n8n_runtime.http._response import page_body
from n8n_runtime.http._send import RawResponse
from n8n_runtime.http.errors import Redactor, status_error
from n8n_runtime.nodes.base import NodeError

_TYPES = ("body", "headers", "qs")


@dataclass(frozen=True)
class Pagination:
    """The raw `options.pagination.pagination` group with n8n's defaults."""

    mode: str
    next_url: Any
    parameters: list[dict[str, Any]]
    complete_when: str
    status_codes: frozenset[int]
    complete_expression: str
    max_requests: int
    interval_ms: int


def pagination_config(raw: Any) -> Pagination | None:
    """The pagination settings, or None when pagination is off (or not configured)."""
    if not isinstance(raw, dict):
        return None
    mode = str(raw.get("paginationMode") or "updateAParameterInEachRequest")
    if mode == "off":
        return None
    parameters = (
        raw.get("parameters", {}).get("parameters", []) if isinstance(raw.get("parameters"), dict) else []
    )
    codes = str(raw.get("statusCodesWhenComplete") or "")
    limited = bool(raw.get("limitPagesFetched"))
    try:
        max_requests = int(raw.get("maxRequests", 100) or 0) if limited else 0
        interval_ms = int(raw.get("requestInterval") or 0)
    except (TypeError, ValueError):
        raise NodeError("Max Pages and Interval Between Requests must be numbers") from None
    return Pagination(
        mode=mode,
        next_url=raw.get("nextURL", ""),
        parameters=[p for p in parameters if isinstance(p, dict)],
        complete_when=str(raw.get("paginationCompleteWhen") or "responseIsEmpty"),
        status_codes=frozenset(int(c) for c in codes.split(",") if c.strip().lstrip("-").isdigit()),
        complete_expression=str(raw.get("completeExpression") or ""),
        max_requests=max_requests,
        interval_ms=interval_ms,
    )


async def paginate(
    spec: RequestSpec,
    config: Pagination,
    *,
    item_index: int,
    version: float,
    never_error: bool,
    json_requested: bool,
    send: Callable[[RequestSpec], Awaitable[RawResponse]],
    expressions: PageExpressions | None,
    sleep: Callable[[float], Awaitable[None]],
    max_total_bytes: int,
    redact: Redactor,
) -> list[RawResponse]:
    """All pages of one item's request (requestWithAuthenticationPaginated)."""
    template = _request_template(config, item_index)
    if config.complete_when == "other" and not config.complete_expression.startswith("="):
        raise NodeError("Invalid or empty Complete Expression", item_index=item_index)
    variables: dict[str, Any] = {
        "$request": spec.view(),
        "$response": {},
        "$pageCount": 0,
        "$version": version,
    }
    pages: list[RawResponse] = []
    seen = _Repeats(item_index)
    total = 0
    while True:
        overrides = _evaluate(template, expressions, item_index, variables, first=not pages)
        page = await send(spec.with_overrides(overrides))
        body = page_body(page, json_requested)
        seen.check(page)
        pages.append(page)
        total += len(page.content)
        if total > max_total_bytes:
            raise NodeError(
                f"Pagination fetched {total} bytes, more than Hive's payload limit of {max_total_bytes} "
                f"bytes for one node output; stopped after page {len(pages)}",
                description="Limit the pages fetched (Max Pages) or request fewer records per page.",
                item_index=item_index,
            )
        variables["$response"] = {"body": body, "headers": page.headers, "statusCode": page.status}
        variables["$pageCount"] = len(pages)
        allowed = config.complete_when == "receiveSpecificStatusCodes" and page.status in config.status_codes
        if not (200 <= page.status < 300 or never_error or allowed):
            text = body if isinstance(body, str) else json.dumps(body, separators=(",", ":"))
            raise status_error(
                page.status,
                body,
                item_index=item_index,
                redact=redact,
                raw_message=f'{page.status} - "{text}"',
            )
        if config.max_requests and len(pages) >= config.max_requests:
            return pages
        if not _more(config, page, body, expressions, item_index, variables):
            return pages
        if config.interval_ms > 0:
            await sleep(config.interval_ms / 1000)


def _request_template(config: Pagination, item_index: int) -> dict[str, Any]:
    if config.mode == "responseContainsNextURL":
        return {"url": config.next_url}
    if config.mode != "updateAParameterInEachRequest":
        raise NodeError(f"Unknown pagination mode '{config.mode}'", item_index=item_index)
    entries = config.parameters
    if not entries or (len(entries) == 1 and not entries[0].get("name") and not entries[0].get("value")):
        raise NodeError(
            "At least one entry with 'Name' and 'Value' filled must be included in 'Parameters' to use "
            "'Update a Parameter in Each Request' mode ",
            item_index=item_index,
        )
    template: dict[str, dict[str, Any]] = {}
    for position, entry in enumerate(entries, start=1):
        kind = entry.get("type", "qs")
        if not entry.get("name"):
            raise NodeError(f"Parameter name must be set for parameter [{position}] in pagination settings")
        if kind not in _TYPES:
            raise NodeError(
                "Parameter type must be one of: body, headers, qs for parameter "
                f"[{position}] in pagination settings"
            )
        if entry.get("value", "") == "":
            raise NodeError(
                f"Some value must be provided for parameter [{position}] in pagination settings, omitting "
                "it will result in an infinite loop"
            )
        template.setdefault(kind, {})[str(entry["name"])] = entry["value"]
    return template


def _evaluate(
    template: dict[str, Any],
    expressions: PageExpressions | None,
    item_index: int,
    variables: dict[str, Any],
    *,
    first: bool,
) -> dict[str, Any]:
    if first and "url" in template:
        return {}  # the first page is the node's own URL
    if not has_expression(template):
        return template
    if expressions is None:
        raise NodeError(
            "pagination not supported yet",
            description="Pagination with expressions needs the expression engine (EngineExpressions).",
            item_index=item_index,
        )
    if not first:
        return dict(expressions.resolve(template, item_index, variables))
    # Before the first response `$response` is empty: keep what evaluates, drop what fails.
    resolved: dict[str, Any] = {}
    for kind, values in template.items():
        for name, value in values.items():
            try:
                resolved.setdefault(kind, {})[name] = expressions.resolve(value, item_index, variables)
            except Exception:  # noqa: BLE001 - n8n sends the first request regardless
                continue
    return resolved


def _more(
    config: Pagination,
    page: RawResponse,
    body: Any,
    expressions: PageExpressions | None,
    item_index: int,
    variables: dict[str, Any],
) -> bool:
    if config.complete_when == "receiveSpecificStatusCodes":
        return page.status not in config.status_codes
    if config.complete_when == "responseIsEmpty":
        return len(body) > 0 if isinstance(body, list) else _truthy(body)
    if expressions is None:
        raise NodeError(
            "pagination not supported yet", description="Complete Expression needs the expression engine."
        )
    done = expressions.resolve(config.complete_expression, item_index, variables)
    return not _truthy(done)


class _Repeats:
    """n8n stops when the same response (same length, same hash or ETag) comes back 3 more times."""

    def __init__(self, item_index: int) -> None:
        self._item_index = item_index
        self._length, self._hash, self._count = 0, "", 0

    def check(self, page: RawResponse) -> None:
        try:
            length = int(page.headers.get("content-length") or 0)
        except ValueError:
            length = 0
        if length == self._length:
            etag = page.headers.get("etag")
            digest = str(etag) if etag else base64.b64encode(hashlib.md5(page.content).digest()).decode()
            self._count = self._count + 1 if digest == self._hash else 0
            if self._count > 2:
                raise NodeError(
                    "The returned response was identical 5x, so requests got stopped",
                    description='Check if "Pagination Completed When" has been configured correctly.',
                    item_index=self._item_index,
                )
            self._hash = digest
        else:
            self._count = 0
        self._length = length


def _truthy(value: Any) -> bool:
    """JavaScript truthiness of a JSON value (objects and arrays are truthy, even empty)."""
    if isinstance(value, dict | list):
        return True
    return bool(value) and value == value


__all__ = ["Pagination", "paginate", "pagination_config"]
