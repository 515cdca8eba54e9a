"""Files sent to the Chat Trigger (multipart): into the binary store, as n8n's handleFormData.

Each file becomes the binary property `data<i>` (or `<binaryPropertyName>0<i>` with that option;
`<i>` counts the files of one form key) and an entry of `json.files`: the file's fileName,
fileSize, fileType, mimeType, fileExtension and its binaryKey.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile

from hive_core.binary_data import BinaryData, ExecutionBinary

__all__ = ["chat_multipart"]

_CHUNK = 1024 * 1024
_MAX_FILES = 100
_INFO_KEYS = ("fileName", "fileSize", "fileType", "mimeType", "fileExtension")


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(_CHUNK):
        yield chunk


async def chat_multipart(
    request: Request, binary: ExecutionBinary, options: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, BinaryData]]:
    """The text fields as the item json (with `files` when any) and the stored files."""
    assert binary.store is not None
    form = await request.form(max_files=_MAX_FILES)
    body: dict[str, Any] = {}
    uploads: dict[str, list[UploadFile]] = {}
    files: dict[str, BinaryData] = {}
    infos: list[dict[str, Any]] = []
    try:
        for key, value in form.multi_items():
            if isinstance(value, str):
                body[key] = value
            elif value.filename or value.size:
                uploads.setdefault(key, []).append(value)
        prefix = f"{options['binaryPropertyName']}0" if options.get("binaryPropertyName") else "data"
        for group in uploads.values():
            for index, upload in enumerate(group):
                mime = upload.content_type or "application/octet-stream"
                stored = await binary.store.store_async_stream(
                    binary.workflow_id,
                    binary.execution_id,
                    _chunks(upload),
                    mime_type=mime,
                    file_name=upload.filename,
                )
                data = binary.describe(stored, mime, upload.filename)
                key = f"{prefix}{index}"
                files[key] = data
                infos.append({**{k: data[k] for k in _INFO_KEYS if k in data}, "binaryKey": key})
    finally:
        await form.close()
    if infos:
        body["files"] = infos
    return body, files
