"""Move Binary Data (``n8n-nodes-base.moveBinaryData`` v1, v1.1): file ↔ JSON property."""

from __future__ import annotations

import base64
import json
from typing import Any

from n8n_runtime.jsvalues import UNDEFINED
from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import deep_copy, get_path, param, set_path, unset_path
from n8n_runtime.nodes.data._fields import options as node_options
from n8n_runtime.nodes.files._binary import binary_handle, failed_item
from n8n_runtime.nodes.files._json_text import stringify
from n8n_runtime.nodes.files._text import decode_text, encode_text

__all__ = ["run_move_binary_data"]


def _parse(text: str, item_index: int) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise NodeError(f"Unexpected token in JSON at position {error.pos}", item_index=item_index) from error


def _to_json(run: NodeRun, i: int, item: Item, options: dict[str, Any]) -> Item | None:
    source = str(param(run, "sourceKey", i, "data"))
    binary_in = item.get("binary") or {}
    value = get_path(binary_in, source)
    if value is None or value is UNDEFINED:
        return None  # n8n skips items without that file
    content = binary_handle(run).get_bytes(value)
    encoding = str(options.get("encoding") or "utf8")
    strip_bom = options.get("stripBOM", True) is not False
    new: Item = {"json": {}, "pairedItem": {"item": i}}
    if param(run, "setAllData", i, True):
        new["json"] = _parse(decode_text(content, encoding, strip_bom=strip_bom), i)
    else:
        new["json"] = deep_copy(item.get("json") or {})
        converted: Any
        if options.get("keepAsBase64") is True:
            converted = base64.b64encode(content).decode("ascii")
        else:
            converted = decode_text(content, encoding, strip_bom=strip_bom)
        if options.get("jsonParse"):
            converted = _parse(converted, i)
        set_path(new["json"], str(param(run, "destinationKey", i, "data")), converted)
    if options.get("keepSource") is True:
        new["binary"] = binary_in
    else:
        rest = deep_copy(binary_in)
        unset_path(rest, source)
        if rest:
            new["binary"] = rest
    return new


def _to_binary(run: NodeRun, i: int, item: Item, options: dict[str, Any]) -> Item | None:
    convert_all = param(run, "convertAllData", i, True)
    source = str(param(run, "sourceKey", i, "data"))
    value: Any = item.get("json") or {}
    if not convert_all:
        value = get_path(value, source)
    if value is None or value is UNDEFINED:
        return None
    mime_type = options.get("mimeType") or None
    if options.get("dataIsBase64") is not True:
        if options.get("useRawData") is not True or isinstance(value, dict | list):
            value = stringify(value)
            mime_type = mime_type or "application/json"
        content = encode_text(
            str(value), str(options.get("encoding") or "utf8"), add_bom=bool(options.get("addBOM"))
        )
    else:
        content = base64.b64decode(str(value) + "=" * (-len(str(value)) % 4))
    if not mime_type and run.node.type_version == 1:
        mime_type = "application/json"
    file_name = options.get("fileName")
    stored = binary_handle(run).prepare(content, str(file_name) if file_name else None, mime_type)
    if not stored.get("fileName") and run.node.type_version > 1:
        # v1.1 names the file after its extension (`file.json`)
        extension = stored.get("fileExtension")
        stored["fileName"] = f"file.{extension}" if extension else "file"
    binary_out = deep_copy(item.get("binary") or {})
    set_path(binary_out, str(param(run, "destinationKey", i, "data")), stored)
    if options.get("keepSource") is True:
        json_out = deep_copy(item.get("json") or {})
    elif convert_all:
        json_out = {}
    else:
        json_out = deep_copy(item.get("json") or {})
        unset_path(json_out, source)
    return {"json": json_out, "binary": binary_out, "pairedItem": {"item": i}}


def run_move_binary_data(run: NodeRun) -> NodeOutput:
    out: list[Item] = []
    for i, item in enumerate(run.items):
        try:
            options = node_options(run, i)
            mode = param(run, "mode", i, "binaryToJson")
            new = (
                _to_json(run, i, item, options)
                if mode == "binaryToJson"
                else _to_binary(run, i, item, options)
            )
            if new is not None:
                out.append(new)
        except Exception as error:
            out.append(failed_item(run, error, {"item": i}, i))
    return [out]
