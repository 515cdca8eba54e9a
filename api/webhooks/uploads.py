"""Files sent to a webhook become n8n binary data in the store, streamed (never whole in memory).

As n8n's Webhook node: multipart file fields become binary properties named after the field
(or ``<binaryPropertyName><n>``); from v2 a body n8n does not parse (not JSON, form, text or XML)
becomes the binary property ``binaryPropertyName`` (default ``data``), as it does in v1 with the
``binaryData`` option.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile

from hive_core.binary_data import BinaryData, ExecutionBinary

__all__ = ["is_raw_upload", "multipart_fields", "raw_upload"]

_CHUNK = 1024 * 1024
# Multipart uploads: how many files and how large a text field may be.
_MAX_FILES = 100


def _parsed_by_n8n(content_type: str) -> bool:
    return (
        content_type.endswith("json")
        or content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
        or content_type.startswith("text/")
        or content_type.endswith("xml")
    )


def is_raw_upload(content_type: str, version: float, options: dict[str, Any]) -> bool:
    """Whether the request body is taken as one file."""
    if version < 2:
        return bool(options.get("binaryData"))
    return not _parsed_by_n8n(content_type) and not options.get("rawBody")


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(_CHUNK):
        yield chunk


async def raw_upload(
    request: Request, binary: ExecutionBinary, content_type: str, options: dict[str, Any]
) -> dict[str, BinaryData]:
    """The whole body as one file (empty body: no file)."""
    assert binary.store is not None
    mime = content_type or "application/octet-stream"
    stored = await binary.store.store_async_stream(
        binary.workflow_id, binary.execution_id, request.stream(), mime_type=mime
    )
    if stored.size == 0:
        return {}
    return {str(options.get("binaryPropertyName") or "data"): binary.describe(stored, mime, None)}


async def multipart_fields(
    request: Request, binary: ExecutionBinary | None, options: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, BinaryData]]:
    """Text fields (n8n's body) and file fields (binary data) of a multipart request."""
    form = await request.form(max_files=_MAX_FILES)
    fields: dict[str, Any] = {}
    files: dict[str, BinaryData] = {}
    prefix = options.get("binaryPropertyName")
    count = 0
    try:
        for key, value in form.multi_items():
            if isinstance(value, str):
                fields.setdefault(key, []).append(value)
                continue
            if binary is None or binary.store is None:
                continue
            name = key[:-2] if key.endswith("[]") else key
            if prefix:
                name = f"{prefix}{count}"
            elif name in files:
                name = f"{name}{count}"
            mime = value.content_type or "application/octet-stream"
            stored = await binary.store.store_async_stream(
                binary.workflow_id,
                binary.execution_id,
                _chunks(value),
                mime_type=mime,
                file_name=value.filename,
            )
            files[name] = binary.describe(stored, mime, value.filename)
            count += 1
    finally:
        await form.close()
    return fields, files
