"""Compression (``n8n-nodes-base.compression`` v1, v1.1): zip/gzip files in and out of items (stdlib).

Names and properties follow n8n's node exactly: zip entries are named by each file's
``fileName`` (already-compressed types stored, others deflated), gzip files are
``<prefix><n>`` with ``<name>.gzip`` (v1) or ``<field><n?>`` with ``<name>.<ext>.gz`` (v1.1);
decompression goes by the file extension (``zip``, ``gz``/``gzip``).
"""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from typing import Any

from hive_core.binary_data import ExecutionBinary, extension_for, mime_from_path
from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import param
from n8n_runtime.nodes.files._binary import assert_binary, binary_handle, failed_item

__all__ = ["run_compression"]

ALREADY_COMPRESSED = frozenset(
    "7z aifc bz2 doc docx gif gz heic heif jpg jpeg mov mp3 mp4 pdf png ppt pptx rar webm webp xls xlsx zip"
    .split()
)  # fmt: skip


def _names(run: NodeRun, index: int) -> list[str]:
    return [n.strip() for n in str(param(run, "binaryPropertyName", index, "data")).split(",")]


def _compress(run: NodeRun, binary: ExecutionBinary, i: int, item: Item) -> Item | None:
    v1 = run.node.type_version < 1.1
    output_format = str(param(run, "outputFormat", 0, "" if v1 else "zip"))
    entries: list[tuple[str, bytes, bool]] = []
    files: dict[str, Any] = {}
    for index, name in enumerate(_names(run, 0 if v1 else i)):
        data = assert_binary(run, i, name)
        content = binary.get_bytes(data)
        base = str(data.get("fileName") or "").split(".")[0]
        if output_format == "zip":
            stored = str(data.get("fileExtension") or "") in ALREADY_COMPRESSED
            entries.append((str(data.get("fileName")), content, stored))
        elif output_format == "gzip":
            if v1:
                prop, path = f"{param(run, 'outputPrefix', 0, 'data')}{index}", f"{base}.gzip"
            else:
                prop = f"{param(run, 'binaryPropertyOutput', i, 'data')}{index or ''}"
                wanted = str(param(run, "fileName", i, "") or "")
                stem = wanted.replace(".gz", "").replace(".gzip", "") if wanted else base
                extension = f".{str(data['fileExtension']).lower()}" if data.get("fileExtension") else ""
                path = f"{stem}{extension}.gz"
            files[prop] = binary.prepare(gzip.compress(content), path)
    if output_format == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for file_name, content, stored in entries:
                archive.writestr(file_name, content, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
        options_index = 0 if v1 else i
        file_name = str(param(run, "fileName", options_index, "") or "")
        prop = str(param(run, "binaryPropertyOutput", options_index, "data"))
        files = {prop: binary.prepare(buffer.getvalue(), file_name or None)}
    elif output_format != "gzip":
        return None  # v1 without an output format: n8n emits nothing
    return {"json": item.get("json") or {}, "binary": files, "pairedItem": {"item": i}}


def _gunzipped(binary: ExecutionBinary, data: dict[str, Any], content: bytes) -> dict[str, Any]:
    file_name = str(data.get("fileName") or "undefined")
    stem = file_name.split(".")[0]
    extension: str | None = None
    mime: str | None = None
    if file_name.endswith(".gz"):
        parts = file_name.replace(".gz", "", 1).split(".")
        if len(parts) > 1:
            extension = parts[-1]
            mime = mime_from_path(extension)
    result = binary.prepare(content, stem, mime)
    if not extension:
        mime = str(result["mimeType"])
        extension = extension_for(mime)
    result.update(fileName=f"{stem}.{extension}", fileExtension=extension, mimeType=mime)
    return result


def _decompress(run: NodeRun, binary: ExecutionBinary, i: int, item: Item) -> Item:
    prefix = str(param(run, "outputPrefix", 0, "file_"))
    files: dict[str, Any] = {}
    count = 0
    for index, name in enumerate(_names(run, 0)):
        data = assert_binary(run, i, name)
        content = binary.get_bytes(data)
        extension = str(data.get("fileExtension") or "").lower()
        if extension == "zip":
            try:
                with zipfile.ZipFile(io.BytesIO(content)) as archive:
                    for entry in archive.infolist():
                        if entry.is_dir() or "__MACOSX" in entry.filename:
                            continue
                        files[f"{prefix}{count}"] = binary.prepare(archive.read(entry), entry.filename)
                        count += 1
            except (zipfile.BadZipFile, zlib.error, EOFError) as error:
                raise NodeError("invalid zip data", item_index=i) from error
        elif extension in ("gz", "gzip"):
            try:
                unpacked = gzip.decompress(content)
            except (OSError, zlib.error, EOFError) as error:
                raise NodeError("invalid gzip data", item_index=i) from error
            files[f"{prefix}{index}"] = _gunzipped(binary, data, unpacked)
    return {"json": item.get("json") or {}, "binary": files, "pairedItem": {"item": i}}


def run_compression(run: NodeRun) -> NodeOutput:
    binary = binary_handle(run)
    operation = str(param(run, "operation", 0, "decompress"))
    out: list[Item] = []
    for i, item in enumerate(run.items):
        try:
            if operation == "decompress":
                out.append(_decompress(run, binary, i, item))
            elif operation == "compress":
                new = _compress(run, binary, i, item)
                if new is not None:
                    out.append(new)
        except Exception as error:
            out.append(failed_item(run, error, {"item": i}, i))
    return [out]
