"""Convert to File (``n8n-nodes-base.convertToFile`` v1, v1.1): JSON items → a file.

Spreadsheet formats take all items into one file (n8n's ``convertJsonToSpreadsheetBinary``);
toJson makes one file or one per item, toText/toBinary one per item, iCal one event per item.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from typing import Any

from hive_core.binary_data import BinaryData, ExecutionBinary
from n8n_runtime.jsvalues import UNDEFINED
from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import get_path, param
from n8n_runtime.nodes.data._fields import options as node_options
from n8n_runtime.nodes.files._binary import binary_handle, failed_item
from n8n_runtime.nodes.files._ics import create_event
from n8n_runtime.nodes.files._json_text import stringify
from n8n_runtime.nodes.files._sheet_write import write_table
from n8n_runtime.nodes.files._table import flatten_object, items_to_table
from n8n_runtime.nodes.files._text import encode_text
from n8n_runtime.nodes.files.extract_from_file import SPREADSHEET_OPERATIONS

__all__ = ["binary_from_json", "run_convert_to_file", "spreadsheet_binary"]


def _paired(count: int) -> list[dict[str, int]]:
    return [{"item": i} for i in range(count)]


def spreadsheet_binary(
    binary: ExecutionBinary, items: list[Item], file_format: str, options: dict[str, Any], default_name: str
) -> BinaryData:
    """n8n's ``convertJsonToSpreadsheetBinary``."""
    rows = [flatten_object(item.get("json") or {}) for item in items]
    table = items_to_table(rows, header_row=options.get("headerRow") is not False)
    content = write_table(
        table,
        file_format,
        sheet_name=str(options.get("sheetName") or "Sheet"),
        delimiter=str(options.get("delimiter") or ","),
        compression=bool(options.get("compression")),
    )
    name = options.get("fileName")
    file_name = str(name) if name is not None else f"{default_name}.{file_format}"
    return binary.prepare(content, file_name or None)


def binary_from_json(
    binary: ExecutionBinary,
    data: Any,
    *,
    source_key: str | None = None,
    file_name: str | None = None,
    mime_type: str | None = None,
    data_is_base64: bool = False,
    encoding: str | None = None,
    add_bom: bool = False,
    item_index: int = 0,
    pretty: bool = False,
) -> BinaryData:
    """n8n's ``createBinaryFromJson``."""
    value = get_path(data, source_key) if source_key else data
    # n8n's check is `value === undefined` (lodash get of a missing path)
    if value is UNDEFINED or (value is None and source_key and not _has_path(data, source_key)):
        raise NodeError(f'The value in "{source_key}" is not set', item_index=item_index)
    if not data_is_base64:
        if isinstance(value, dict | list):
            mime_type = "application/json"
            text = stringify(value, pretty=pretty)
        else:
            text = value if isinstance(value, str) else stringify(value)
        content = encode_text(text, encoding or "utf8", add_bom=add_bom)
    else:
        text = value if isinstance(value, str) else ("" if value is None else str(value))
        match = re.match(r"^data:(.*?);base64,(.*)$", text.strip(), flags=re.S)
        if match:
            media = match.group(1).split(";")[0].strip()
            if not mime_type and media:
                mime_type = media
            text = match.group(2)
        cleaned = re.sub(r"\s+", "", text)
        if cleaned and not re.fullmatch(r"[A-Za-z0-9+/=_-]+", cleaned):
            raise NodeError(
                "The provided string is not valid base64 data. If you are trying to write plain text to a "
                'file, use the "Convert to Text File" operation instead.',
                item_index=item_index,
            )
        content = _lenient_b64(cleaned)
    result = binary.prepare(content, file_name or None, mime_type or None)
    if not result.get("fileName"):
        extension = result.get("fileExtension")
        result["fileName"] = f"file.{extension}" if extension else "file"
    return result


def _has_path(data: Any, path: str) -> bool:
    marker = object()
    current: Any = data
    for key in path.split("."):
        if not isinstance(current, dict):
            return False
        current = current.get(key, marker)
        if current is marker:
            return False
    return True


def _lenient_b64(text: str) -> bytes:
    """Node's ``Buffer.from(s, 'base64')``: url-safe letters accepted, padding optional."""
    text = text.replace("-", "+").replace("_", "/").split("=")[0]
    text = text[: len(text) - len(text) % 4 if len(text) % 4 == 1 else len(text)]
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error:
        return b""


def _each(run: NodeRun, build: Any) -> list[Item]:
    out: list[Item] = []
    for i, item in enumerate(run.items):
        try:
            prop = str(param(run, "binaryPropertyName", i, "data"))
            out.append({"json": {}, "binary": {prop: build(i, item)}, "pairedItem": {"item": i}})
        except Exception as error:
            out.append(failed_item(run, error, {"item": i}, i))
    return out


def _once(run: NodeRun, build: Any) -> list[Item]:
    paired = _paired(len(run.items))
    try:
        prop = str(param(run, "binaryPropertyName", 0, "data"))
        return [{"json": {}, "binary": {prop: build()}, "pairedItem": paired}]
    except Exception as error:
        return [failed_item(run, error, paired)]


def _ical(run: NodeRun, binary: ExecutionBinary) -> list[Item]:
    now_ms = run.extras.get("now_ms")
    now = (
        dt.datetime.fromtimestamp(now_ms / 1000, dt.UTC)
        if isinstance(now_ms, int)
        else dt.datetime.now(dt.UTC)
    )

    def build(i: int, _item: Item) -> BinaryData:
        fields = dict(param(run, "additionalFields", i, {}) or {})
        text = create_event(
            param(run, "start", i),
            param(run, "end", i),
            title=str(param(run, "title", i, "") or ""),
            all_day=bool(param(run, "allDay", i, False)),
            fields=fields,
            now=now,
        )
        options = node_options(run, i)
        name = options.get("fileName") or fields.get("fileName") or "event.ics"
        return binary.prepare(text.encode("utf-8"), str(name), "text/calendar")

    return _each(run, build)


def run_convert_to_file(run: NodeRun) -> NodeOutput:
    binary = binary_handle(run)
    operation = str(param(run, "operation", 0, "csv"))
    if operation in SPREADSHEET_OPERATIONS:
        return [
            _once(run, lambda: spreadsheet_binary(binary, run.items, operation, node_options(run, 0), "File"))
        ]
    if operation == "toJson":
        if param(run, "mode", 0, "once") == "once":
            options = node_options(run, 0)
            return [
                _once(
                    run,
                    lambda: binary_from_json(
                        binary,
                        [item.get("json") for item in run.items],
                        file_name=options.get("fileName"),
                        mime_type="application/json",
                        encoding=options.get("encoding"),
                        add_bom=bool(options.get("addBOM")),
                        pretty=bool(options.get("format")),
                    ),
                )
            ]

        def each_json(i: int, item: Item) -> BinaryData:
            options = node_options(run, i)
            return binary_from_json(
                binary,
                item.get("json"),
                file_name=options.get("fileName"),
                mime_type="application/json",
                encoding=options.get("encoding"),
                add_bom=bool(options.get("addBOM")),
                item_index=i,
                pretty=bool(options.get("format")),
            )

        return [_each(run, each_json)]
    if operation in ("toText", "toBinary"):
        text_mode = operation == "toText"

        def each_value(i: int, item: Item) -> BinaryData:
            options = node_options(run, i)
            return binary_from_json(
                binary,
                item.get("json"),
                source_key=str(param(run, "sourceProperty", i, "")),
                file_name=(options.get("fileName") or "file.txt") if text_mode else options.get("fileName"),
                mime_type="text/plain" if text_mode else options.get("mimeType"),
                data_is_base64=not text_mode and options.get("dataIsBase64") is not False,
                encoding=options.get("encoding"),
                add_bom=bool(options.get("addBOM")),
                item_index=i,
            )

        return [_each(run, each_value)]
    if operation == "iCal":
        return [_ical(run, binary)]
    raise NodeError(f"The operation '{operation}' of Convert to File is not supported by Hive")
