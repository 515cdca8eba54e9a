"""Turn raw export data (JSON text, bytes or already-decoded JSON) into `N8nWorkflow` models.

Accepted shapes: one workflow object, an array of them, the public API's list response
`{"data": [workflow, ...], "nextCursor": ...}` and a `{"data": workflow}` wrapper.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from hive_core.errors import CompileError
from n8n_import.diagnostics import Diagnostic, error, raise_if_errors
from n8n_import.model import N8nWorkflow

ExportData = str | bytes | bytearray | dict[str, Any] | list[Any]


def parse_export(data: ExportData) -> list[N8nWorkflow]:
    """Parse an n8n export into workflow models.

    Args:
        data: JSON text/bytes, or the decoded JSON value.

    Returns:
        The workflows, in export order.

    Raises:
        CompileError: malformed JSON (with `line`/`column`), an unrecognised shape, or model
            validation errors naming the node and field.
    """
    raw = _decode(data) if isinstance(data, str | bytes | bytearray) else data
    objects = _workflow_objects(raw)
    many = len(objects) > 1
    workflows: list[N8nWorkflow] = []
    diagnostics: list[Diagnostic] = []
    for index, obj in enumerate(objects):
        label = _workflow_label(obj, index) if many else None
        if not isinstance(obj, dict):
            diagnostics.append(
                error(f"expected a workflow object, got {type(obj).__name__}", field=f"[{index}]")
            )
            continue
        try:
            workflows.append(N8nWorkflow.model_validate(obj))
        except ValidationError as exc:
            diagnostics.extend(_validation_diagnostics(exc, obj, label))
    raise_if_errors(diagnostics)
    return workflows


def export_objects(data: ExportData) -> list[dict[str, Any]]:
    """The raw workflow objects of an export, unchanged (for storing what the user gave)."""
    raw = _decode(data) if isinstance(data, str | bytes | bytearray) else data
    return [obj for obj in _workflow_objects(raw) if isinstance(obj, dict)]


def _decode(data: str | bytes | bytearray) -> Any:
    if isinstance(data, bytes | bytearray):
        try:
            # utf-8-sig: exports saved by Windows editors may start with a BOM.
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CompileError(
                f"export is not UTF-8 text (byte {exc.start})", field="export", byte_offset=exc.start
            ) from exc
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise CompileError(
            f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            line=exc.lineno,
            column=exc.colno,
            diagnostics=[
                error(
                    f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                    field="export",
                ).to_detail()
            ],
        ) from exc


def _workflow_objects(raw: Any) -> Sequence[Any]:
    if isinstance(raw, list):
        objects: Sequence[Any] = raw
    elif isinstance(raw, dict) and "nodes" in raw:
        objects = [raw]
    elif isinstance(raw, dict) and isinstance(raw.get("data"), list):
        objects = raw["data"]  # public API: GET /workflows
    elif isinstance(raw, dict) and isinstance(raw.get("data"), dict) and "nodes" in raw["data"]:
        objects = [raw["data"]]  # legacy REST wrapper {"data": workflow}
    else:
        raise CompileError(
            "not an n8n workflow export: expected a workflow object with 'nodes', "
            'an array of them, or {"data": [...]}',
            field="export",
        )
    if not objects:
        raise CompileError("the export contains no workflows", field="export")
    return objects


def _workflow_label(obj: Any, index: int) -> str:
    name = obj.get("name") if isinstance(obj, dict) else None
    return name if isinstance(name, str) and name else f"#{index}"


def _validation_diagnostics(exc: ValidationError, obj: dict[str, Any], label: str | None) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    nodes = obj.get("nodes")
    for err in exc.errors(include_url=False):
        loc = err["loc"]
        node: str | None = None
        node_type: str | None = None
        if len(loc) >= 2 and loc[0] == "nodes" and isinstance(loc[1], int) and isinstance(nodes, list):
            raw_node = nodes[loc[1]] if loc[1] < len(nodes) else None
            name = raw_node.get("name") if isinstance(raw_node, dict) else None
            node = name if isinstance(name, str) else None
            raw_type = raw_node.get("type") if isinstance(raw_node, dict) else None
            node_type = raw_type if isinstance(raw_type, str) else None
        elif len(loc) >= 2 and loc[0] == "connections" and isinstance(loc[1], str):
            node = loc[1]
        diagnostics.append(
            error(
                err["msg"],
                node=node,
                node_type=node_type,
                field=format_path(loc) or None,
                workflow=label,
            )
        )
    return diagnostics


def format_path(loc: Sequence[Any]) -> str:
    """`('assignments', 'assignments', 0, 'value')` → `assignments.assignments[0].value`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


__all__ = ["ExportData", "format_path", "parse_export"]
