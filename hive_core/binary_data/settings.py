"""Binary data settings (``HIVE_BINARY_DATA__PATH``, ``HIVE_BINARY_DATA__MAX_FILE_BYTES``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from hive_core.binary_data.store import BinaryStore


class BinaryDataSettings(BaseModel):
    """Where file bytes live (outside Temporal history) and how large one file may be."""

    # Default: ``<data_dir>/binary-data`` (n8n's ``N8N_BINARY_DATA_STORAGE_PATH`` equivalent).
    path: Path | None = None
    # One stored file may not exceed this (a node that produces more fails with a node error).
    max_file_bytes: int = Field(default=1024 * 1024 * 1024, ge=1)
    # Read/Write Files from Disk, Read/Write Binary File(s) only touch files under these roots
    # (default: ``<data_dir>/files``). Env: HIVE_BINARY_DATA__FILE_ROOTS='["/srv/in","/srv/out"]'.
    file_roots: list[Path] = []

    def storage_path(self, data_dir: Path) -> Path:
        return (self.path or data_dir / "binary-data").resolve()

    def store(self, data_dir: Path) -> BinaryStore:
        return BinaryStore(self.storage_path(data_dir), max_file_bytes=self.max_file_bytes)

    def allowed_roots(self, data_dir: Path) -> list[Path]:
        return [p.resolve() for p in self.file_roots] or [(data_dir / "files").resolve()]


__all__ = ["BinaryDataSettings"]
