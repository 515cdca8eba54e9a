"""File bytes outside Temporal history, in n8n-core's ``filesystem-v2`` layout.

``<root>/workflows/<workflowId>/executions/<executionId>/binary_data/<uuid>`` holds the bytes and
``<uuid>.metadata`` the JSON ``{"mimeType", "fileName", "fileSize"}``, exactly as n8n-core's
``FileSystemManager`` writes them, so n8n's own ``BinaryDataService`` (mode ``filesystem-v2``,
storage path = this root) reads and writes the same files. Items refer to a file by
``id = "filesystem-v2:<relative path>"``. Deleting an execution's directory prunes its files.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from collections.abc import AsyncIterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hive_core.errors import NotFoundError, PayloadTooLargeError, ValidationError

MODE = "filesystem-v2"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def _segment(value: str) -> str:
    """A path segment from an id (Temporal ids may hold any character)."""
    cleaned = _UNSAFE.sub("_", value) or "_"
    return "_" if cleaned in (".", "..") else cleaned


@dataclass(frozen=True, slots=True)
class StoredFile:
    file_id: str  # relative path under the root
    size: int

    @property
    def binary_id(self) -> str:
        return f"{MODE}:{self.file_id}"


class BinaryStore:
    """One storage root; safe to share between activities (no state beyond the path)."""

    def __init__(self, root: Path, *, max_file_bytes: int = 1024**3) -> None:
        self.root = root.resolve()
        self.max_file_bytes = max_file_bytes

    @staticmethod
    def execution_dir(workflow_id: str, execution_id: str) -> str:
        return f"workflows/{_segment(workflow_id)}/executions/{_segment(execution_id)}/binary_data"

    def _resolve(self, relative: str) -> Path:
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root):
            raise ValidationError(f"binary data id '{relative}' points outside the binary data store")
        return path

    def _check_size(self, size: int) -> None:
        if size > self.max_file_bytes:
            raise PayloadTooLargeError(
                f"The file is {size:,} bytes, over the binary data limit of {self.max_file_bytes:,} bytes"
            )

    def _new_id(self, workflow_id: str, execution_id: str) -> tuple[str, Path]:
        file_id = f"{self.execution_dir(workflow_id, execution_id)}/{uuid.uuid4()}"
        path = self._resolve(file_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        return file_id, path

    def _write_metadata(self, path: Path, mime_type: str, file_name: str | None, size: int) -> None:
        # JSON.stringify({mimeType, fileName, fileSize}): compact, an undefined fileName omitted.
        meta: dict[str, Any] = {"mimeType": mime_type}
        if file_name is not None:
            meta["fileName"] = file_name
        meta["fileSize"] = size
        text = json.dumps(meta, separators=(",", ":"), ensure_ascii=False)
        path.with_name(path.name + ".metadata").write_text(text, encoding="utf-8")

    def store(
        self,
        workflow_id: str,
        execution_id: str,
        data: bytes,
        *,
        mime_type: str,
        file_name: str | None = None,
    ) -> StoredFile:
        """Write ``data`` as a new file of the execution."""
        self._check_size(len(data))
        file_id, path = self._new_id(workflow_id, execution_id)
        path.write_bytes(data)
        self._write_metadata(path, mime_type, file_name, len(data))
        return StoredFile(file_id, len(data))

    def store_from_path(
        self,
        workflow_id: str,
        execution_id: str,
        source: Path,
        *,
        mime_type: str,
        file_name: str | None = None,
    ) -> StoredFile:
        """Copy a file into the store without loading it in memory (n8n's ``copyByFilePath``)."""
        size = source.stat().st_size
        self._check_size(size)
        file_id, path = self._new_id(workflow_id, execution_id)
        shutil.copyfile(source, path)
        self._write_metadata(path, mime_type, file_name, size)
        return StoredFile(file_id, size)

    def store_stream(
        self,
        workflow_id: str,
        execution_id: str,
        chunks: Any,
        *,
        mime_type: str,
        file_name: str | None = None,
    ) -> StoredFile:
        """Write an iterable of byte chunks (an upload) without holding it whole in memory."""
        file_id, path = self._new_id(workflow_id, execution_id)
        size = 0
        try:
            with path.open("wb") as out:
                for chunk in chunks:
                    size += len(chunk)
                    self._check_size(size)
                    out.write(chunk)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        self._write_metadata(path, mime_type, file_name, size)
        return StoredFile(file_id, size)

    async def store_async_stream(
        self,
        workflow_id: str,
        execution_id: str,
        chunks: AsyncIterable[bytes],
        *,
        mime_type: str,
        file_name: str | None = None,
    ) -> StoredFile:
        """An HTTP upload streamed to disk chunk by chunk (never whole in memory)."""
        file_id, path = self._new_id(workflow_id, execution_id)
        size = 0
        try:
            with path.open("wb") as out:
                async for chunk in chunks:
                    size += len(chunk)
                    self._check_size(size)
                    out.write(chunk)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        self._write_metadata(path, mime_type, file_name, size)
        return StoredFile(file_id, size)

    def file_id_of(self, binary_id: str) -> str:
        mode, _, file_id = binary_id.partition(":")
        if mode not in (MODE, "filesystem") or not file_id:
            raise ValidationError(f"binary data id '{binary_id}' is not a {MODE} id")
        return file_id

    def path(self, binary_id: str) -> Path:
        """Where the file of ``binary_id`` lives (it must exist)."""
        path = self._resolve(self.file_id_of(binary_id))
        if not path.is_file():
            raise NotFoundError(f"binary data '{binary_id}' not found (pruned with its execution?)")
        return path

    def read(self, binary_id: str) -> bytes:
        return self.path(binary_id).read_bytes()

    def metadata(self, binary_id: str) -> dict[str, Any]:
        path = self.path(binary_id)
        result: dict[str, Any] = json.loads(path.with_name(path.name + ".metadata").read_text("utf-8"))
        return result

    def belongs_to(self, binary_id: str, execution_id: str) -> bool:
        """Whether the file was stored for ``execution_id`` (any workflow)."""
        parts = self.file_id_of(binary_id).split("/")
        return len(parts) == 6 and parts[0] == "workflows" and parts[3] == _segment(execution_id)

    def delete_execution(self, execution_id: str, workflow_id: str | None = None) -> int:
        """Prune every file of an execution; returns how many files were removed."""
        pattern = (
            f"workflows/{_segment(workflow_id) if workflow_id else '*'}/executions/{_segment(execution_id)}"
        )
        removed = 0
        for directory in self.root.glob(pattern):
            removed += sum(1 for p in directory.rglob("*") if p.is_file() and p.suffix != ".metadata")
            shutil.rmtree(directory, ignore_errors=True)
        return removed

    def prune_older_than(self, cutoff: datetime) -> list[str]:
        """Prune executions whose files were all written before ``cutoff`` (retention); their ids."""
        pruned: list[str] = []
        for directory in self.root.glob("workflows/*/executions/*"):
            files = [p for p in directory.rglob("*") if p.is_file()]
            newest = max((p.stat().st_mtime for p in files), default=directory.stat().st_mtime)
            if datetime.fromtimestamp(newest, UTC) < cutoff:
                shutil.rmtree(directory, ignore_errors=True)
                pruned.append(directory.name)
        return pruned


__all__ = ["MODE", "BinaryStore", "StoredFile"]
