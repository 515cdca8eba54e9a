"""Compression (``n8n-nodes-base.compression`` v1, v1.1): zip/gzip files in and out of items (stdlib)."""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from typing import Any

from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import param
from n8n_runtime.nodes.files._binary import assert_binary, binary_handle, continue_on_fail, error_item

__all__ = ["run_compression"]


def _names(run: NodeRun, i: int) -> list[str]:
    raw = param(run, "binaryPropertyName", i, "data")
    return [n.strip() for n in str(raw).split(",") if n.strip()]


def _compress(run: NodeRun, i: int, item: Item) -> Item:
    binary = binary_handle(run)
    output_format = str(param(run, "outputFormat", i, "zip"))
    out: dict[str, Any] = {}
    files: list[tuple[str, bytes]] = []
    for index, name in enumerate(_names(run, i)):
        data = assert_binary(run, i, name)
        content = binary.get_bytes(data)
        file_name = str(data.get("fileName") or name)
        if output_format == "gzip":
            prefix = str(param(run, "outputPrefix", i, "data"))
            packed = gzip.compress(content, mtime=0)
            out[f"{prefix}{index}"] = binary.prepare(packed, f"{file_name}.gz")
        else:
            files.append((file_name, content))
    if output_format == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for file_name, content in files:
                archive.writestr(file_name, content)
        file_name = str(param(run, "fileName", i, "") or "file.zip")
        out[str(param(run, "binaryPropertyOutput", i, "data"))] = binary.prepare(buffer.getvalue(), file_name)
    return {"json": item.get("json") or {}, "binary": out, "pairedItem": {"item": i}}


def _decompress(run: NodeRun, i: int, item: Item) -> Item:
    binary = binary_handle(run)
    prefix = str(param(run, "outputPrefix", i, "file_"))
    out: dict[str, Any] = {}
    count = 0
    for index, name in enumerate(_names(run, i)):
        data = assert_binary(run, i, name)
        content = binary.get_bytes(data)
        extension = str(data.get("fileExtension") or "").lower()
        mime = str(data.get("mimeType") or "")
        if extension == "zip" or mime in ("application/zip", "application/x-zip-compressed"):
            try:
                archive = zipfile.ZipFile(io.BytesIO(content))
                entries = [e for e in archive.infolist() if not e.is_dir() and "__MACOSX" not in e.filename]
                for entry in entries:
                    out[f"{prefix}{count}"] = binary.prepare(
                        archive.read(entry), entry.filename.split("/")[-1]
                    )
                    count += 1
            except (zipfile.BadZipFile, zlib.error, EOFError) as error:
                raise NodeError("invalid zip data", item_index=i) from error
        elif extension in ("gz", "gzip") or mime in ("application/gzip", "application/x-gzip"):
            try:
                unpacked = gzip.decompress(content)
            except (OSError, zlib.error, EOFError) as error:
                raise NodeError("invalid gzip data", item_index=i) from error
            file_name = str(data.get("fileName") or name)
            file_name = file_name[:-3] if file_name.lower().endswith(".gz") else file_name
            out[f"{prefix}{index}"] = binary.prepare(unpacked, file_name)
    return {"json": item.get("json") or {}, "binary": out, "pairedItem": {"item": i}}


def run_compression(run: NodeRun) -> NodeOutput:
    operation = str(param(run, "operation", 0, "decompress"))
    out: list[Item] = []
    for i, item in enumerate(run.items):
        try:
            out.append(_compress(run, i, item) if operation == "compress" else _decompress(run, i, item))
        except Exception as error:
            message = getattr(error, "message", None) or str(error)
            if continue_on_fail(run):
                out.append(error_item(message, {"item": i}))
                continue
            raise NodeError(message, item_index=i) from error
    return [out]
