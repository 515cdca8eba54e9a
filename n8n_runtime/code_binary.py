"""Binary data around Code node runs: stored files in, new files out.

Before the run, files the code may read (``this.helpers.getBinaryDataBuffer``, or
``items[i].binary.x.data``) are loaded into each input entry's ``data`` as base64, the way n8n's
default mode holds them; after the run, every output file is back in the store: entries made by
``this.helpers.prepareBinaryData`` or with inline base64 are stored, entries that kept their
``id`` get ``data = "filesystem-v2"`` again. Only references leave the activity.
"""

from __future__ import annotations

import base64
import dataclasses
import re
from typing import Any

from hive_core.binary_data import MODE, ExecutionBinary
from n8n_runtime.expressions.context import ExpressionContext

Item = dict[str, Any]

__all__ = ["MAX_LOADED_BYTES", "load_inputs", "store_outputs", "uses_binary"]

# Files loaded into V8 for one Code run at most (base64 in the sandbox's memory).
MAX_LOADED_BYTES = 64 * 1024 * 1024
_USES = re.compile(r"getBinaryDataBuffer|binaryToBuffer|binaryToString|\.binary\b|\bbinary\[")


def uses_binary(code: str) -> bool:
    return bool(_USES.search(code))


def load_inputs(context: ExpressionContext, binary: ExecutionBinary) -> ExpressionContext:
    """The context with stored files' bytes in their input entries' ``data``."""
    total = 0
    inputs: list[list[Item]] = []
    changed = False
    for items in context.inputs:
        out: list[Item] = []
        for item in items:
            files = item.get("binary")
            if not isinstance(files, dict) or not any(
                isinstance(f, dict) and f.get("id") for f in files.values()
            ):
                out.append(item)
                continue
            loaded: dict[str, Any] = {}
            for key, entry in files.items():
                if isinstance(entry, dict) and entry.get("id") and binary.store is not None:
                    size = binary.store.path(str(entry["id"])).stat().st_size
                    # Past the cap a file stays a reference: reading it then fails with a clear
                    # error, while code that only looks at metadata still runs.
                    if total + size <= MAX_LOADED_BYTES:
                        total += size
                        entry = {**entry, "data": base64.b64encode(binary.get_bytes(entry)).decode("ascii")}
                loaded[key] = entry
            out.append({**item, "binary": loaded})
            changed = True
        inputs.append(out)
    return dataclasses.replace(context, inputs=inputs) if changed else context


def _store_entry(entry: dict[str, Any], binary: ExecutionBinary) -> dict[str, Any]:
    if entry.get("__hivePrepare"):
        content = base64.b64decode(str(entry.get("data") or ""))
        path = entry.get("filePath")
        mime = entry.get("mimeType")
        return binary.prepare(content, str(path) if path else None, str(mime) if mime else None)
    if entry.get("id"):
        return {**entry, "data": MODE}
    data = entry.get("data")
    if binary.store is not None and isinstance(data, str) and data and data != MODE:
        meta = {k: v for k, v in entry.items() if k not in ("data", "fileSize", "bytes")}
        meta.setdefault("mimeType", "application/octet-stream")
        return binary.set_buffer(meta, base64.b64decode(data))
    return entry


def store_outputs(items: list[Item], binary: ExecutionBinary) -> list[Item]:
    """Output items with every file in the store (references only)."""
    out: list[Item] = []
    for item in items:
        files = item.get("binary")
        if isinstance(files, dict) and files:
            item = {
                **item,
                "binary": {
                    k: _store_entry(v, binary) if isinstance(v, dict) else v for k, v in files.items()
                },
            }
        out.append(item)
    return out
