"""A form submission's fields and files: files go to the binary store, streamed, as n8n's
Form Trigger copies them (`copyBinaryFile`); the item gets `{filename, mimetype, size}` per file
field and the files as binary properties named after the field (see `upload_property`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile

from hive_core.binary_data import BinaryData, ExecutionBinary
from n8n_runtime.forms import FormInputError, upload_property

__all__ = ["Submission", "read_submission"]

_CHUNK = 1024 * 1024
_MAX_FILES = 100


@dataclass
class Submission:
    posted: dict[str, list[str]] = field(default_factory=dict)
    # Per posted key: each file's {filename, mimetype, size}, and its stored binary entry.
    uploads: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    stored: dict[str, list[BinaryData]] = field(default_factory=dict)

    def binary(self, fields: list[dict[str, Any]]) -> dict[str, BinaryData]:
        """The item's binary: one property per file."""
        out: dict[str, BinaryData] = {}
        for key, files in self.stored.items():
            for index, data in enumerate(files):
                out[upload_property(fields, key, index, len(files))] = data
        return out


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(_CHUNK):
        yield chunk


async def read_submission(request: Request, binary: ExecutionBinary | None) -> Submission:
    """The posted fields; files into the store when `binary` has one (else a form error)."""
    form = await request.form(max_files=_MAX_FILES)
    submission = Submission()
    try:
        for key, value in form.multi_items():
            if isinstance(value, str):
                submission.posted.setdefault(key, []).append(value)
                continue
            if not value.filename and not value.size:
                continue  # a file input left empty: browsers still send an empty part
            if binary is None or binary.store is None:
                raise FormInputError("File uploads are not supported on this page")
            mime = value.content_type or "application/octet-stream"
            stored = await binary.store.store_async_stream(
                binary.workflow_id,
                binary.execution_id,
                _chunks(value),
                mime_type=mime,
                file_name=value.filename,
            )
            submission.uploads.setdefault(key, []).append(
                {"filename": value.filename, "mimetype": mime, "size": stored.size}
            )
            submission.stored.setdefault(key, []).append(binary.describe(stored, mime, value.filename))
    finally:
        await form.close()
    return submission
