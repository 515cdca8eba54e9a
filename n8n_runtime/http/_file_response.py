"""HTTP Request file responses (``responseFormat: file``, or a file type under autodetect).

The body goes to the binary data store through the run's binary handle; the item carries only
n8n's binary metadata, so a large download never enters a Temporal payload.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit

from n8n_runtime.http._body import FilePart
from n8n_runtime.http._options import ResponseOptions
from n8n_runtime.http._send import RawResponse
from n8n_runtime.nodes.base import Item, NodeRun


def is_file_response(raw: RawResponse, options: ResponseOptions) -> bool:
    from n8n_runtime.http._response import BINARY_CONTENT_TYPES

    if options.response_format == "file":
        return True
    return options.response_format == "autodetect" and any(
        k in raw.content_type for k in BINARY_CONTENT_TYPES
    )


def _file_path(raw: RawResponse) -> str | None:
    disposition = str(raw.headers.get("content-disposition") or "")
    match = re.search(r"filename\*=(?:UTF-8'')?([^;]+)|filename=\"?([^\";]+)\"?", disposition, flags=re.I)
    if match:
        return unquote((match.group(1) or match.group(2)).strip())
    path = unquote(urlsplit(raw.url).path)[1:]
    return path or None


def file_item(run: NodeRun, raw: RawResponse, options: ResponseOptions, index: int) -> Item:
    """n8n's file-response item: the input's json (or the response meta), the body as a file."""
    from n8n_runtime.nodes.files._binary import binary_handle

    source = run.items[index] if index < len(run.items) else {"json": {}}
    mime = raw.content_type.split(";")[0].strip() or None
    data = binary_handle(run).prepare(raw.content, _file_path(raw), mime)
    json: dict[str, Any]
    if options.full_response:
        json = {"headers": raw.headers, "statusCode": raw.status, "statusMessage": raw.reason}
    else:
        json = dict(source.get("json") or {})
    binary = {**(source.get("binary") or {}), options.output_property: data}
    return {"json": json, "binary": binary, "pairedItem": {"item": index}}


def read_file_part(run: NodeRun, item_index: int, prop: str) -> FilePart:
    """An input item's binary property as the file to upload (n8n's assertBinaryData rules)."""
    from n8n_runtime.nodes.files._binary import assert_binary, binary_handle

    data = assert_binary(run, item_index, prop)
    content = binary_handle(run).get_bytes(data)
    mime = str(data.get("mimeType") or "application/octet-stream")
    return FilePart(content, data.get("fileName"), mime)


__all__ = ["file_item", "is_file_response", "read_file_part"]
