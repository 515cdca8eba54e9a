"""Read a GGUF file's header: its metadata (scalars and strings) and its parameter count.

Only what ``/api/show`` and ``/api/tags`` report is kept; large arrays (the tokenizer's vocabulary)
are skipped. Layout: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

_SCALARS = {
    0: "<B",
    1: "<b",
    2: "<H",
    3: "<h",
    4: "<I",
    5: "<i",
    6: "<f",
    7: "<?",
    10: "<Q",
    11: "<q",
    12: "<d",
}
_STRING, _ARRAY = 8, 9

# llama.cpp's ``llama_ftype`` values → the quantization names Ollama shows.
FILE_TYPES = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K",
    11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S",
    17: "Q5_K_M", 18: "Q6_K", 32: "BF16",
}  # fmt: skip


@dataclass
class GgufInfo:
    """The header of one GGUF file."""

    metadata: dict[str, Any] = field(default_factory=dict)
    parameter_count: int = 0

    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", ""))

    @property
    def quantization(self) -> str:
        file_type = self.metadata.get("general.file_type")
        return FILE_TYPES.get(file_type, "unknown") if isinstance(file_type, int) else "unknown"

    @property
    def parameter_size(self) -> str:
        """Ollama's rounded form: ``135M``, ``3.2B``."""
        count = self.parameter_count
        for unit, scale in (("B", 1e9), ("M", 1e6), ("K", 1e3)):
            if count >= scale:
                value = count / scale
                return f"{value:.0f}{unit}" if value >= 100 else f"{value:.1f}{unit}".replace(".0", "")
        return str(count)

    def arch_value(self, key: str) -> Any:
        """An architecture-scoped key, e.g. ``context_length`` → ``llama.context_length``."""
        return self.metadata.get(f"{self.architecture}.{key}")


def _read(stream: BinaryIO, fmt: str) -> Any:
    size = struct.calcsize(fmt)
    data = stream.read(size)
    if len(data) != size:
        raise ValueError("truncated GGUF header")
    return struct.unpack(fmt, data)[0]


def _read_string(stream: BinaryIO) -> str:
    length = _read(stream, "<Q")
    return stream.read(length).decode("utf-8", errors="replace")


def _read_value(stream: BinaryIO, kind: int) -> Any:
    if kind in _SCALARS:
        return _read(stream, _SCALARS[kind])
    if kind == _STRING:
        return _read_string(stream)
    if kind == _ARRAY:
        item_kind, count = _read(stream, "<I"), _read(stream, "<Q")
        if item_kind in _SCALARS:  # fixed width: skip in one seek
            stream.seek(struct.calcsize(_SCALARS[item_kind]) * count, 1)
        else:
            for _ in range(count):
                _read_value(stream, item_kind)
        return None  # arrays (vocabularies, merges) are not reported
    raise ValueError(f"unknown GGUF value type {kind}")


def read_gguf_info(path: Path) -> GgufInfo:
    """Metadata and parameter count of the GGUF file at ``path``.

    Raises:
        ValueError: the file is not a GGUF file (v2 or v3) or its header is truncated.
    """
    with path.open("rb") as stream:
        if stream.read(4) != b"GGUF":
            raise ValueError(f"{path} is not a GGUF file")
        version = _read(stream, "<I")
        if version not in (2, 3):
            raise ValueError(f"{path}: unsupported GGUF version {version}")
        tensor_count, kv_count = _read(stream, "<Q"), _read(stream, "<Q")
        info = GgufInfo()
        for _ in range(kv_count):
            key = _read_string(stream)
            value = _read_value(stream, _read(stream, "<I"))
            if value is not None:
                info.metadata[key] = value
        for _ in range(tensor_count):
            _read_string(stream)  # tensor name
            dims = [_read(stream, "<Q") for _ in range(_read(stream, "<I"))]
            stream.seek(4 + 8, 1)  # element type, data offset
            info.parameter_count += math.prod(dims)
    return info


__all__ = ["FILE_TYPES", "GgufInfo", "read_gguf_info"]
