"""n8n's binary helper functions (``prepareBinaryData``, ``getBinaryDataBuffer``, ...) for one execution.

With a store, bytes go to disk and items carry ``id``/``data = "filesystem-v2"``; without one
(pure unit tests, n8n's ``default`` mode) the bytes are base64 in ``data``. Workflow code never
gets a store: nodes that handle files always run as activities.
"""

from __future__ import annotations

import base64
import posixpath
from pathlib import Path
from typing import Any

from hive_core.binary_data._format import (
    extension_for,
    file_type_for,
    mime_from_path,
    pretty_bytes,
    sniff_mime,
)
from hive_core.binary_data.store import MODE, BinaryStore, StoredFile

BinaryData = dict[str, Any]


def _described(mime_type: str, file_extension: str | None) -> BinaryData:
    """A binary's description (mimeType, fileType, fileExtension) as n8n-core fills it."""
    result: BinaryData = {"mimeType": mime_type}
    file_type = file_type_for(mime_type)
    if file_type:
        result["fileType"] = file_type
    if file_extension:
        result["fileExtension"] = file_extension
    return result


class ExecutionBinary:
    """Binary data of one execution of one workflow."""

    def __init__(self, store: BinaryStore | None, workflow_id: str | None, execution_id: str) -> None:
        self.store = store
        self.workflow_id = workflow_id or "unsaved"
        self.execution_id = execution_id

    def prepare(self, data: bytes, file_path: str | None = None, mime_type: str | None = None) -> BinaryData:
        """n8n-core's ``prepareBinaryData(buffer, filePath?, mimeType?)``."""
        file_extension: str | None = None
        if not mime_type and file_path:
            mime_type = mime_from_path(file_path)
        if not mime_type:
            sniffed = sniff_mime(data)
            if sniffed:
                mime_type, file_extension = sniffed
        if not file_extension and mime_type:
            file_extension = extension_for(mime_type)
        mime_type = mime_type or "text/plain"
        result = _described(mime_type, file_extension)
        result["data"] = ""
        if file_path:
            directory, base = posixpath.split(file_path)
            if directory:
                result["directory"] = directory
            result["fileName"] = base
            ext = posixpath.splitext(base)[1][1:]
            if ext:
                result["fileExtension"] = ext
        return self.set_buffer(result, data)

    def set_buffer(self, binary: BinaryData, data: bytes) -> BinaryData:
        """n8n-core's ``setBinaryDataBuffer``: store the bytes, fill id/size/data."""
        if self.store is None:
            binary["data"] = base64.b64encode(data).decode("ascii")
        else:
            stored = self.store.store(
                self.workflow_id,
                self.execution_id,
                data,
                mime_type=str(binary.get("mimeType") or "text/plain"),
                file_name=binary.get("fileName"),
            )
            binary["id"] = stored.binary_id
            binary["data"] = MODE
        # n8n 1.123 records the size only as pretty-bytes text (its node tests expect no `bytes`).
        binary["fileSize"] = pretty_bytes(len(data))
        return binary

    def copy_file(self, source: Path, file_name: str, mime_type: str | None = None) -> BinaryData:
        """n8n-core's ``copyBinaryFile``: a file from disk into the store without reading it here."""
        # n8n reads files as streams, which it never sniffs: the path decides, else text/plain.
        file_extension: str | None = None
        if not mime_type:
            mime_type = mime_from_path(str(source))
        if mime_type:
            file_extension = extension_for(mime_type)
        mime_type = mime_type or "text/plain"
        result = _described(mime_type, file_extension)
        result["fileName"] = file_name or source.name
        if self.store is None:
            return self.set_buffer(result, source.read_bytes())
        stored = self.store.store_from_path(
            self.workflow_id, self.execution_id, source, mime_type=mime_type, file_name=result["fileName"]
        )
        result["id"] = stored.binary_id
        result["data"] = MODE
        result["fileSize"] = pretty_bytes(stored.size)
        return result

    def describe(self, stored: StoredFile, mime_type: str, file_name: str | None) -> BinaryData:
        """The item entry for a file already in the store (an upload), as copyBinaryFile builds it."""
        extension = (posixpath.splitext(file_name)[1][1:] if file_name else "") or extension_for(mime_type)
        result = _described(mime_type, extension)
        if file_name:
            result["fileName"] = file_name
        result.update(id=stored.binary_id, data=MODE, fileSize=pretty_bytes(stored.size))
        return result

    def get_bytes(self, binary: BinaryData) -> bytes:
        """n8n-core's ``getAsBuffer``: from the store by id, else the inline base64."""
        binary_id = binary.get("id")
        if binary_id:
            if self.store is None:
                raise RuntimeError("binary data is stored on disk but this node has no binary data store")
            return self.store.read(str(binary_id))
        return base64.b64decode(str(binary.get("data") or ""))

    def local_path(self, binary: BinaryData) -> Path | None:
        """The stored file's path, when it is on disk (for streaming large files)."""
        binary_id = binary.get("id")
        if binary_id and self.store is not None:
            return self.store.path(str(binary_id))
        return None


__all__ = ["BinaryData", "ExecutionBinary"]
