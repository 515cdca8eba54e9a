"""Extract from File (``n8n-nodes-base.extractFromFile`` v1): file bytes → JSON items."""

from __future__ import annotations

import base64
import json
from typing import Any

from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import deep_copy, param, set_path
from n8n_runtime.nodes.data._fields import options as node_options
from n8n_runtime.nodes.files._binary import (
    assert_binary,
    binary_handle,
    continue_on_fail,
    error_item,
    failed_item,
)
from n8n_runtime.nodes.files._from_file import spreadsheet_from_file
from n8n_runtime.nodes.files._ics import parse_ics
from n8n_runtime.nodes.files._pdf import pdf_data
from n8n_runtime.nodes.files._text import decode_text

SPREADSHEET_OPERATIONS = ("csv", "html", "rtf", "ods", "xls", "xlsx")

__all__ = ["run_extract_from_file"]


def _move_to(run: NodeRun, operation: str) -> list[Item]:
    """moveTo.operation: text, fromJson, binaryToPropery, and fromIcs (same shape)."""
    binary = binary_handle(run)
    out: list[Item] = []
    for i, item in enumerate(run.items):
        try:
            options = node_options(run, i)
            prop = str(param(run, "binaryPropertyName", i, "data"))
            value = (item.get("binary") or {}).get(prop)
            if not value:
                continue  # n8n skips items without that file
            content = binary.get_bytes(value)
            keep = options.get("keepSource")
            json_out: dict[str, Any] = deep_copy(item.get("json") or {}) if keep and keep != "binary" else {}
            converted: Any
            if operation == "binaryToPropery":
                converted = base64.b64encode(content).decode("ascii")
            else:
                strip_bom = options.get("stripBOM", True) is not False
                converted = decode_text(content, str(options.get("encoding") or "utf8"), strip_bom=strip_bom)
            if operation == "fromJson":
                try:
                    converted = json.loads(converted)
                except json.JSONDecodeError as error:
                    # n8n replaces JSON.parse's "Unexpected token" message with its own
                    raise NodeError(
                        "The file selected in 'Input Binary Field' is not in JSON format",
                        description=(
                            "Try to change the operation or select a JSON file in 'Input Binary Field'"
                        ),
                        item_index=i,
                    ) from error
            elif operation == "fromIcs":
                converted = parse_ics(converted)
            set_path(json_out, str(param(run, "destinationKey", i, "data") or "data"), converted)
            new: Item = {"json": json_out, "pairedItem": {"item": i}}
            if keep in ("binary", "both"):
                new["binary"] = item.get("binary")
            else:
                rest = {k: v for k, v in (item.get("binary") or {}).items() if k != prop}
                if rest:
                    new["binary"] = rest
            out.append(new)
        except Exception as error:
            out.append(failed_item(run, error, {"item": i}, i))
    return out


def _pdf(run: NodeRun) -> list[Item]:
    """n8n's pdf operation: each item's PDF → ``{numpages, numrender, info, metadata, text, version}``."""
    binary = binary_handle(run)
    out: list[Item] = []
    for i, item in enumerate(run.items):
        try:
            options = node_options(run, i)
            prop = str(param(run, "binaryPropertyName", i, "data"))
            content = binary.get_bytes(assert_binary(run, i, prop))
            max_pages = options.get("maxPages")
            json_out: dict[str, Any] = pdf_data(
                content,
                password=str(options.get("password") or "") or None,
                max_pages=int(max_pages) if max_pages not in (None, "") else None,
                join_pages=options.get("joinPages", True) is not False,
            )
            keep = options.get("keepSource")
            if keep and keep != "binary":
                json_out = {**deep_copy(item.get("json") or {}), **json_out}
            new: Item = {"json": json_out, "pairedItem": {"item": i}}
            if keep and keep != "json":
                new["binary"] = item.get("binary")
            out.append(new)
        except Exception as error:
            message = getattr(error, "message", None) or str(error)
            if continue_on_fail(run):
                out.append(error_item(message, {"item": i}))
                continue
            raise NodeError(message, item_index=i) from error
    return out


def run_extract_from_file(run: NodeRun) -> NodeOutput:
    operation = str(param(run, "operation", 0, "csv"))
    if operation in SPREADSHEET_OPERATIONS:
        return [spreadsheet_from_file(run, "operation", "csv")]
    if operation in ("binaryToPropery", "fromJson", "text", "fromIcs"):
        return [_move_to(run, operation)]
    if operation == "pdf":
        return [_pdf(run)]
    raise NodeError(f"The operation '{operation}' of Extract from File is not supported by Hive")
