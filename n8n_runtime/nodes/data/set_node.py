"""Edit Fields (Set) node (``n8n-nodes-base.set``): v1/v2 (typed value lists) and v3.0–3.4.

v3 parameters: ``mode`` manual (``fields.values`` up to 3.2, ``assignments.assignments`` from 3.3)
or raw (``jsonOutput``); which input fields survive is ``include`` (3.0–3.2) or
``includeOtherFields`` + ``include`` (3.3+).
"""

from __future__ import annotations

import re
from typing import Any

from n8n_runtime.jsvalues import (
    UNDEFINED,
    is_nan_number,
    json_stringify,
    to_number,
    to_string,
    truthy,
)
from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import (
    deep_copy,
    get_path,
    item_json,
    options,
    param,
    set_path,
    unset_path,
)
from n8n_runtime.nodes.data._set_types import parse_json_parameter, validate_entry

_V3_DEFAULTS = {
    "stringValue": "",
    "numberValue": "",
    "booleanValue": "true",
    "arrayValue": "",
    "objectValue": "={}",
}
_DEFAULT_JSON_OUTPUT = '{\n  "my_field_1": "value",\n  "my_field_2": 1\n}\n'
_RESOLVABLE_RE = re.compile(r"\{\{[\s\S]*?\}\}")


def run_set(run: NodeRun) -> NodeOutput:
    """Dispatch on typeVersion."""
    if float(run.node.type_version) < 3:
        return [_run_v1(run)]
    return [_run_v3(run)]


def _run_v1(run: NodeRun) -> list[Item]:
    items = run.items or [{"json": {}}]  # v1/v2 emit one item even without input
    node_version = float(run.node.type_version)
    output = []
    for i, item in enumerate(items):
        keep_only_set = bool(param(run, "keepOnlySet", i, False))
        dot_notation = options(run, i).get("dotNotation", True) is not False
        new: Item = {"json": {}, "pairedItem": {"item": i}}
        if not keep_only_set:
            if item.get("binary") is not None:
                new["binary"] = dict(item["binary"])
            new["json"] = deep_copy(item_json(item))
        entries: list[tuple[str, Any]] = []
        for entry in param(run, "values.boolean", i, []) or []:
            entries.append((_v1_name(entry), truthy(entry.get("value", False))))
        for entry in param(run, "values.number", i, []) or []:
            value = entry.get("value", 0)
            if node_version >= 2 and isinstance(value, str) and not is_nan_number(value):
                value = to_number(value)
            entries.append((_v1_name(entry), value))
        for entry in param(run, "values.string", i, []) or []:
            entries.append((_v1_name(entry), entry.get("value", "")))
        for name, value in entries:
            if dot_notation:
                set_path(new["json"], name, value)
            else:
                new["json"][name] = value
        output.append(new)
    return output


def _v1_name(entry: dict[str, Any]) -> str:
    return str(entry.get("name", "propertyName"))


def _run_v3(run: NodeRun) -> list[Item]:
    node_version = float(run.node.type_version)
    mode = param(run, "mode", 0, "manual")
    output = []
    for i, item in enumerate(run.items):
        opts = dict(options(run, i))
        include = param(run, "include", i, "all")
        if node_version >= 3.3:
            include = include if param(run, "includeOtherFields", i, False) else "none"
        opts["include"] = include
        new_fields = _raw_fields(run, i) if mode == "raw" else _manual_fields(run, i, opts, node_version)
        new = compose_return_item(run, i, item, new_fields, opts, node_version)
        copies = 1
        if param(run, "duplicateItem", 0, False) and run.extras.get("execution_mode") == "manual":
            copies += int(param(run, "duplicateCount", 0, 0) or 0)
        output.extend([new] * copies)
    return output


def _manual_fields(run: NodeRun, i: int, opts: dict[str, Any], node_version: float) -> dict[str, Any]:
    ignore = bool(opts.get("ignoreConversionErrors", False))
    new_fields: dict[str, Any] = {}
    if node_version < 3.3:
        raw_entries = run.params.raw("fields.values", []) or []
        for position, entry in enumerate(param(run, "fields.values", i, []) or []):
            kind = entry.get("type", "stringValue")
            name = str(entry.get("name", ""))
            value = entry.get(kind, _V3_DEFAULTS.get(kind, ""))
            raw_object = raw_entries[position].get(kind) if position < len(raw_entries) else None
            if kind == "objectValue" and value is not None and value is not UNDEFINED:
                if isinstance(raw_object, str) and raw_object.startswith("="):
                    value = resolve_raw_data(run, raw_object.lstrip("="), i, value)
                value = parse_json_parameter(value, i, name)
            new_fields[name] = validate_entry(name, kind.replace("Value", ""), value, i, ignore, node_version)
        return new_fields
    collection = param(run, "assignments", i, {}) or {}
    for assignment in collection.get("assignments") or []:
        name = str(assignment.get("name", ""))
        value = assignment.get("value", UNDEFINED)
        new_fields[name] = validate_entry(
            name, str(assignment.get("type") or "string"), value, i, ignore, node_version
        )
    return new_fields


def _raw_fields(run: NodeRun, i: int) -> dict[str, Any]:
    raw = run.params.raw("jsonOutput", _DEFAULT_JSON_OUTPUT)
    if isinstance(raw, str) and raw.startswith("="):
        value = resolve_raw_data(run, re.sub(r"^=+", "", raw), i, None)
        if value is None:
            value = param(run, "jsonOutput", i, _DEFAULT_JSON_OUTPUT)
        return parse_json_parameter(value, i)
    return parse_json_parameter(param(run, "jsonOutput", i, _DEFAULT_JSON_OUTPUT), i)


def resolve_raw_data(run: NodeRun, template: str, i: int, fallback: Any) -> Any:
    """n8n's ``resolveRawData``: each ``{{ }}`` evaluated alone, objects inlined as JSON.

    Needs an ``evaluate(expression, item_index)`` on the parameter access; without one the
    already-evaluated parameter value (``fallback``) is used, which matches for templates that
    are a single ``{{ }}``.
    """
    evaluate = getattr(run.params, "evaluate", None)
    if evaluate is None:
        return fallback
    result = template
    for resolvable in _RESOLVABLE_RE.findall(template):
        value = evaluate("=" + resolvable, i)
        text = json_stringify(value) if isinstance(value, dict | list) else to_string(value)
        result = result.replace(resolvable, text, 1)
    return result


def _sanitize_key(data: dict[str, Any], key: str) -> str:
    if key in data:
        return key
    if (key.startswith("['") and key.endswith("']")) or (key.startswith('["') and key.endswith('"]')):
        inner = key[2:-2]
        if inner in data:
            return inner
    return key


def compose_return_item(
    run: NodeRun, i: int, item: Item, new_fields: dict[str, Any], opts: dict[str, Any], node_version: float
) -> Item:
    """n8n's ``composeReturnItem``: keep the chosen input fields, then write the new ones."""
    new: Item = {"json": {}, "pairedItem": {"item": i}}
    include = opts.get("include", "all")
    if node_version >= 3.4:
        include_binary = not opts.get("stripBinary") and include != "none"
    else:
        include_binary = bool(opts.get("includeBinary"))
    if include_binary and item.get("binary") is not None:
        new["binary"] = dict(item["binary"])
    dot = opts.get("dotNotation") is not False
    source = item_json(item)

    def put(target: dict[str, Any], key: str, value: Any) -> None:
        if dot:
            set_path(target, key, value)
        else:
            target[_sanitize_key(target, key)] = value

    if include == "all":
        new["json"] = deep_copy(source)
    elif include == "selected":
        for key in [k.strip() for k in str(param(run, "includeFields", i, "")).split(",") if k.strip()]:
            value = get_path(source, key) if dot else source.get(_sanitize_key(source, key), UNDEFINED)
            target_key = key.split(".")[-1] if dot and "." in key else key
            if value is not UNDEFINED:
                put(new["json"], target_key, deep_copy(value))
    elif include == "except":
        data = deep_copy(source)
        for key in [k.strip() for k in str(param(run, "excludeFields", i, "")).split(",") if k.strip()]:
            if dot:
                unset_path(data, key)
            else:
                data.pop(_sanitize_key(data, key), None)
        new["json"] = data
    elif include != "none":
        raise NodeError(f'The include option "{include}" is not known!')
    for key, value in new_fields.items():
        put(new["json"], key, value)
    return new
