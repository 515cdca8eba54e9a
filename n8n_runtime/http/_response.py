"""A read response → n8n items (autodetect / json / text, full response or body only)."""

from __future__ import annotations

import json
from typing import Any

from n8n_runtime.http._body import json_text
from n8n_runtime.http._options import ResponseOptions
from n8n_runtime.http._send import RawResponse
from n8n_runtime.http.errors import RATE_LIMIT_HINT, Redactor, status_error
from n8n_runtime.nodes.base import NodeError

# n8n's binaryContentTypes: autodetect treats these as files.
BINARY_CONTENT_TYPES = (
    "image/",
    "audio/",
    "video/",
    "application/octet-stream",
    "application/gzip",
    "application/zip",
    "application/vnd.rar",
    "application/epub+zip",
    "application/x-bzip",
    "application/x-bzip2",
    "application/x-cdf",
    "application/vnd.amazon.ebook",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-fontobject",
    "application/vnd.oasis.opendocument.presentation",
    "application/pdf",
    "application/x-tar",
    "application/vnd.visio",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/x-7z-compressed",
)
_NOT_JSON = 'Response body is not valid JSON. Change "Response Format" to "Text"'


def check_status(
    raw: RawResponse, *, never_error: bool, json_requested: bool, item_index: int, redact: Redactor
) -> None:
    """Raise n8n's error for a status outside 2xx unless `neverError` is set."""
    if 200 <= raw.status < 300 or never_error:
        return
    data = axios_body(raw.text(), json_requested)
    hint = RATE_LIMIT_HINT if raw.status == 429 else None
    raise status_error(
        raw.status, "" if data is None else data, item_index=item_index, redact=redact, raw_message=hint
    )


def axios_body(text: str, json_requested: bool) -> Any:
    """The body as axios hands it over: with `json: true` JSON is parsed when it parses."""
    if not json_requested:
        return text
    if text == "":
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def page_body(raw: RawResponse, json_requested: bool) -> Any:
    """`$response.body` during pagination (JSON parsed by content type, `{}` when invalid)."""
    text = raw.text()
    if json_requested:
        return axios_body(text, True)
    if "application/json" in raw.content_type:
        try:
            return json.loads(text)
        except ValueError:
            return {}
    return text


def response_items(
    raw: RawResponse,
    options: ResponseOptions,
    *,
    json_requested: bool,
    item_index: int,
    lenient_json: bool = False,
) -> list[dict[str, Any]]:
    """The item jsons one response becomes (a JSON array body: one per element)."""
    text = raw.text()
    response_format = options.response_format
    if response_format == "file":
        raise _binary_error(raw.content_type, item_index)
    if response_format == "autodetect":
        if "application/json" in raw.content_type:
            response_format, body = "json", _autodetect_json(text, options, item_index, lenient_json)
        elif any(kind in raw.content_type for kind in BINARY_CONTENT_TYPES):
            raise _binary_error(raw.content_type, item_index)
        else:
            response_format, body = "text", text or None
    else:
        body = axios_body(text, json_requested)
    meta = {"headers": raw.headers, "statusCode": raw.status, "statusMessage": raw.reason}
    if response_format == "text":
        value = _to_text(body)
        head = {options.output_property: value} if value is not None else {}
        return [{**head, **meta} if options.full_response else head]
    if isinstance(body, str):
        body = _parse(body, item_index)
    if options.full_response:
        return [{**({"body": body} if body is not None else {}), **meta}]
    if isinstance(body, list):
        return [_as_json(element) for element in body]
    return [_as_json(body)]


def _autodetect_json(text: str, options: ResponseOptions, item_index: int, lenient: bool) -> Any:
    if not text.strip():
        return {}
    try:
        return json.loads(text)
    except ValueError:
        if options.never_error or lenient:
            return {}
        raise NodeError("Invalid JSON in response body", item_index=item_index) from None


def _parse(body: str, item_index: int) -> Any:
    if not body.strip():
        return {}
    try:
        return json.loads(body)
    except ValueError:
        raise NodeError(_NOT_JSON, item_index=item_index) from None


def _to_text(value: Any) -> Any:
    """n8n's toText: objects as JSON, anything else as it is."""
    return json_text(value) if isinstance(value, dict | list) else value


def _as_json(value: Any) -> dict[str, Any]:
    # n8n replaces a null json with {}; a bare scalar is kept under `data` so items stay objects.
    if value is None:
        return {}
    return value if isinstance(value, dict) else {"data": value}


def _binary_error(content_type: str, item_index: int) -> NodeError:
    return NodeError(
        "binary data not supported yet",
        description=f"The response is a file (content-type '{content_type}'). Hive does not carry "
        "n8n binary data between nodes yet; set Response Format to Text to read it as text.",
        item_index=item_index,
    )


__all__ = ["BINARY_CONTENT_TYPES", "axios_body", "check_status", "page_body", "response_items"]
