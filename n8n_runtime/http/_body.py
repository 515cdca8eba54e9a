"""Query strings and request bodies, encoded the way n8n's request helper (axios + qs) does."""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from n8n_runtime.nodes.base import NodeError

_PATH_PART = re.compile(r"[^.[\]]+|\[(\d+)\]")


def js_string(value: Any) -> str:
    """JavaScript's `String(value)` for JSON values."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dict | list):
        return json_text(value)
    return str(value)


def json_text(value: Any) -> str:
    """JavaScript's `JSON.stringify` (compact, non-ASCII kept)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def parse_json_parameter(value: Any, field_name: str, item_index: int) -> Any:
    """A JSON parameter (string) parsed; n8n's error when it is not valid JSON."""
    if isinstance(value, dict | list):
        return value  # an expression that produced an object already
    try:
        return json.loads(value if isinstance(value, str) else js_string(value))
    except ValueError as error:
        raise NodeError(
            f'The value in the "{field_name}" field is not valid JSON',
            description=str(error),
            item_index=item_index,
        ) from None


def add_parameter(target: dict[str, Any], name: str, value: Any, version: float) -> None:
    """n8n's updadeQueryParameter: a repeated name overwrites (< 4.3) or collects (>= 4.3)."""
    if version < 4.3 or name not in target:
        target[name] = value
    elif isinstance(target[name], list):
        target[name].append(value)
    else:
        target[name] = [target[name], value]


def set_path(target: dict[str, Any], path: str, value: Any) -> None:
    """lodash `set`: `a.b[0].c` creates the nested objects and arrays on the way."""
    parts = [(m.group(1), m.group(0)) for m in _PATH_PART.finditer(path)] or [(None, path)]
    current: Any = target
    for position, (index, key) in enumerate(parts):
        slot: int | str = int(index) if index is not None else key
        last = position == len(parts) - 1
        following = None if last else parts[position + 1][0]
        if isinstance(current, list) and isinstance(slot, int):
            while len(current) <= slot:
                current.append(None)
        elif isinstance(current, list):
            return  # lodash would set a property on the array; JSON cannot hold it
        if last:
            current[slot] = value
            return
        existing = current[slot] if not isinstance(current, dict) else current.get(slot)
        if not isinstance(existing, dict | list):
            existing = [] if following is not None else {}
            current[slot] = existing
        current = existing


def query_pairs(qs: dict[str, Any], array_format: str | None) -> list[tuple[str, str]]:
    """Query parameters as (name, value) pairs: arrays as `a[]=` (axios' default), `a[0]=`
    (indices) or `a=` repeated (repeat); objects as `a[b]=`; null and undefined left out."""
    return list(_flatten(qs, "", array_format or "brackets"))


def form_pairs(form: dict[str, Any]) -> list[tuple[str, str]]:
    """An x-www-form-urlencoded body as pairs (qs.stringify: arrays with indices)."""
    return list(_flatten(form, "", "indices"))


def _flatten(value: Any, prefix: str, array_format: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _flatten(child, f"{prefix}[{key}]" if prefix else str(key), array_format)
    elif isinstance(value, list) and prefix:
        for index, child in enumerate(value):
            if array_format == "repeat":
                name = prefix
            elif array_format == "indices" or isinstance(child, dict | list):
                name = f"{prefix}[{index}]"
            else:
                name = f"{prefix}[]"
            yield from _flatten(child, name, array_format)
    elif value is not None and prefix:
        yield prefix, js_string(value)


@dataclass(frozen=True)
class FilePart:
    """An n8n binary file sent as the body or as a multipart field (read from the binary store)."""

    content: bytes
    file_name: str | None
    mime_type: str


def encode_body(kind: str | None, body: Any) -> tuple[bytes | None, str | None]:
    """The body bytes and the content type to use when the request sets none."""
    if kind is None or body is None:
        return None, None
    if kind == "binary" and isinstance(body, FilePart):
        return body.content, body.mime_type
    if kind == "raw":
        return js_string(body).encode() if not isinstance(body, str) else body.encode(), None
    if kind == "form":
        return urlencode(form_pairs(body)).encode(), "application/x-www-form-urlencoded"
    if kind == "multipart":
        return _multipart(body)
    if isinstance(body, str):
        return body.encode(), None  # a JSON body that parsed to a string is sent as that text
    return json_text(body).encode(), "application/json"


def _multipart(fields: list[tuple[str, Any]]) -> tuple[bytes, str]:
    boundary = f"----HiveFormBoundary{uuid.uuid4().hex}"
    chunks: list[bytes] = []
    for name, value in fields:
        quoted = name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
        if isinstance(value, FilePart):
            # form-data's file part: filename and the file's own content type
            file_name = (value.file_name or "file").replace('"', "%22")
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{quoted}"; filename="{file_name}"'
                f"\r\nContent-Type: {value.mime_type}\r\n\r\n"
            )
            chunks.append(head.encode() + value.content + b"\r\n")
            continue
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{quoted}"\r\n\r\n'.encode()
            + js_string(value).encode()
            + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


__all__ = [
    "FilePart",
    "add_parameter",
    "encode_body",
    "form_pairs",
    "js_string",
    "json_text",
    "parse_json_parameter",
    "query_pairs",
    "set_path",
]
