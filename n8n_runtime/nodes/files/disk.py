"""Read/Write Files from Disk (v1, v1.1), Read Binary File, Read Binary Files, Write Binary File.

Only paths under the configured roots (``binary_data.file_roots``, passed in
``run.extras["file_roots"]``) are reachable, as with n8n's ``N8N_RESTRICT_FILE_ACCESS_TO``;
anything else is a node error naming the allowed roots.
"""

from __future__ import annotations

import glob
from pathlib import Path
from typing import Any

from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import options as node_options
from n8n_runtime.nodes.data._fields import param
from n8n_runtime.nodes.files._binary import assert_binary, binary_handle, continue_on_fail, error_item

__all__ = ["run_read_binary_file", "run_read_binary_files", "run_read_write_file", "run_write_binary_file"]


def _roots(run: NodeRun) -> list[Path]:
    return [Path(p).resolve() for p in run.extras.get("file_roots") or []]


def _allowed(run: NodeRun, path: str, item_index: int) -> Path:
    resolved = Path(path).expanduser().resolve()
    roots = _roots(run)
    if not any(resolved.is_relative_to(root) for root in roots):
        allowed = ", ".join(str(r) for r in roots) or "(none configured)"
        raise NodeError(
            f"Access to the file is not allowed. Allowed paths: {allowed}",
            description="Set HIVE_BINARY_DATA__FILE_ROOTS to the directories file nodes may use",
            item_index=item_index,
        )
    return resolved


def _read(run: NodeRun, path: str, i: int, mime_type: str | None = None) -> dict[str, Any]:
    resolved = _allowed(run, path, i)
    if not resolved.is_file():
        raise NodeError(f'The file "{path}" could not be accessed.', item_index=i)
    binary = binary_handle(run)
    data = binary.copy_file(resolved, resolved.name, mime_type)
    data["directory"] = str(resolved.parent)
    ext = resolved.suffix[1:]
    if ext:
        data["fileExtension"] = ext
    return data


def _glob(run: NodeRun, selector: str, i: int) -> list[str]:
    if not glob.has_magic(selector):
        _allowed(run, selector, i)
        return [selector] if Path(selector).is_file() else []
    matches = sorted(p for p in glob.glob(selector, recursive=True) if Path(p).is_file())
    for match in matches:
        _allowed(run, match, i)
    return matches


def _write(run: NodeRun, i: int, item: Item, file_name: str, prop: str, append: bool) -> Item:
    target = _allowed(run, file_name, i)
    data = assert_binary(run, i, prop)
    binary = binary_handle(run)
    source = binary.local_path(data)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("ab" if append else "wb") as out:
            if source is not None:
                with source.open("rb") as handle:
                    while chunk := handle.read(1024 * 1024):
                        out.write(chunk)
            else:
                out.write(binary.get_bytes(data))
    except PermissionError as error:
        raise NodeError(f'The file "{file_name}" is not writable.', item_index=i) from error
    return {"json": {**(item.get("json") or {}), "fileName": file_name}, "binary": item.get("binary"),
            "pairedItem": {"item": i}}  # fmt: skip


def _per_item(run: NodeRun, body: Any) -> NodeOutput:
    out: list[Item] = []
    for i, item in enumerate(run.items):
        try:
            out.extend(body(i, item))
        except Exception as error:
            message = getattr(error, "message", None) or str(error)
            if continue_on_fail(run):
                out.append(error_item(message, {"item": i}))
                continue
            raise NodeError(message, description=getattr(error, "description", None), item_index=i) from error
    return [out]


def run_read_write_file(run: NodeRun) -> NodeOutput:
    operation = str(param(run, "operation", 0, "read"))

    def read(i: int, _item: Item) -> list[Item]:
        options = node_options(run, i)
        prop = str(options.get("dataPropertyName") or "data")
        result = []
        selector = str(param(run, "fileSelector", i, ""))
        paths = _glob(run, selector, i)
        if not paths and run.node.type_version > 1:
            raise NodeError(
                "No file(s) found",
                description=f'No file matching the selector "{selector}" found',
                item_index=i,
            )
        for path in paths:
            data = _read(run, path, i, options.get("mimeType") or None)
            if options.get("fileName"):
                data["fileName"] = options["fileName"]
            if options.get("fileExtension"):
                data["fileExtension"] = options["fileExtension"]
            meta = {k: v for k, v in data.items() if k not in ("data", "id", "directory")}
            result.append({"json": meta, "binary": {prop: data}, "pairedItem": {"item": i}})
        return result

    def write(i: int, item: Item) -> list[Item]:
        options = node_options(run, i)
        prop = str(param(run, "dataPropertyName", i, "data"))
        file_name = str(param(run, "fileName", i, ""))
        return [_write(run, i, item, file_name, prop, bool(options.get("append")))]

    return _per_item(run, read if operation == "read" else write)


def run_read_binary_file(run: NodeRun) -> NodeOutput:
    def read(i: int, item: Item) -> list[Item]:
        prop = str(param(run, "dataPropertyName", i, "data"))
        data = _read(run, str(param(run, "filePath", i, "")), i)
        binary = {**(item.get("binary") or {}), prop: data}
        return [{"json": item.get("json") or {}, "binary": binary, "pairedItem": {"item": i}}]

    return _per_item(run, read)


def run_read_binary_files(run: NodeRun) -> NodeOutput:
    # n8n reads the selector once (item 0) and emits one item per file.
    prop = str(param(run, "binaryPropertyName", 0, "data"))
    paths = _glob(run, str(param(run, "fileSelector", 0, "")), 0)
    return [[{"json": {}, "binary": {prop: _read(run, p, 0)}, "pairedItem": {"item": 0}} for p in paths]]


def run_write_binary_file(run: NodeRun) -> NodeOutput:
    def write(i: int, item: Item) -> list[Item]:
        options = node_options(run, i)
        prop = str(param(run, "dataPropertyName", i, "data"))
        file_name = str(param(run, "fileName", i, ""))
        return [_write(run, i, item, file_name, prop, bool(options.get("append")))]

    return _per_item(run, write)
