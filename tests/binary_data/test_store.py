"""The binary data store: n8n filesystem-v2 layout, metadata files, size limit, pruning."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hive_core.binary_data import BinaryStore, ExecutionBinary, pretty_bytes
from hive_core.errors import NotFoundError, PayloadTooLargeError, ValidationError


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0 B"), (34, "34 B"), (999, "999 B"), (1000, "1 kB"), (1234, "1.23 kB"),
     (52_428_800, "52.4 MB"), (999_999, "1000 kB"), (1_500_000_000, "1.5 GB")],
)  # fmt: skip
def test_pretty_bytes_matches_npm_pretty_bytes(size: int, text: str) -> None:
    assert pretty_bytes(size) == text


def test_store_writes_n8n_filesystem_v2_layout(tmp_path: Path) -> None:
    binary = ExecutionBinary(BinaryStore(tmp_path), "wf1", "exec-1")
    item = binary.prepare(b"a,b\n1,2\n", "report.csv")
    assert item["id"].startswith("filesystem-v2:workflows/wf1/executions/exec-1/binary_data/")
    assert item["data"] == "filesystem-v2"
    assert item | {"id": None} == {
        "mimeType": "text/csv", "fileType": "text", "fileExtension": "csv", "fileName": "report.csv",
        "data": "filesystem-v2", "fileSize": "8 B", "id": None,
    }  # fmt: skip
    path = tmp_path / item["id"].split(":", 1)[1]
    assert path.read_bytes() == b"a,b\n1,2\n"
    meta = json.loads(path.with_name(path.name + ".metadata").read_text())
    assert meta == {"mimeType": "text/csv", "fileName": "report.csv", "fileSize": 8}
    assert binary.get_bytes(item) == b"a,b\n1,2\n"


def test_without_a_store_bytes_are_inline_base64() -> None:
    item = ExecutionBinary(None, None, "e").prepare(b"hello", None, "text/plain")
    assert item["data"] == "aGVsbG8=" and "id" not in item and item["fileExtension"] == "txt"


def test_size_limit_and_escape_are_refused(tmp_path: Path) -> None:
    store = BinaryStore(tmp_path, max_file_bytes=4)
    with pytest.raises(PayloadTooLargeError):
        store.store("w", "e", b"12345", mime_type="text/plain")
    with pytest.raises(ValidationError):
        store.read("filesystem-v2:../../etc/passwd")
    assert not list(tmp_path.rglob("*-*-*-*-*"))  # nothing half-written


def test_prune_removes_only_that_execution(tmp_path: Path) -> None:
    store = BinaryStore(tmp_path)
    keep = store.store("w", "other", b"x", mime_type="text/plain")
    for _ in range(3):
        store.store("w", "gone", b"y", mime_type="text/plain")
    assert store.delete_execution("gone") == 3
    assert store.read(keep.binary_id) == b"x"
    assert not (tmp_path / "workflows/w/executions/gone").exists()


def test_retention_prunes_executions_older_than_the_cutoff(tmp_path: Path) -> None:
    store = BinaryStore(tmp_path)
    old = store.store("w", "old", b"x", mime_type="text/plain")
    new = store.store("w", "new", b"y", mime_type="text/plain")
    past = datetime.now(UTC) - timedelta(days=10)
    for path in (tmp_path / "workflows/w/executions/old").rglob("*"):
        os.utime(path, (past.timestamp(), past.timestamp()))
    assert store.prune_older_than(datetime.now(UTC) - timedelta(days=7)) == ["old"]
    assert store.read(new.binary_id) == b"y"
    with pytest.raises(NotFoundError):
        store.read(old.binary_id)
