"""Summarize node (``n8n-nodes-base.summarize`` v1, v1.1): pivot-table style aggregations."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from n8n_runtime.jsvalues import (
    UNDEFINED,
    is_number,
    js_gt,
    js_lt,
    json_stringify,
    to_string,
)
from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import field_getter, item_json, param, split_field_list, version

_PREFIX = {
    "append": "appended_",
    "average": "average_",
    "concatenate": "concatenated_",
    "count": "count_",
    "countUnique": "unique_count_",
    "max": "max_",
    "min": "min_",
    "sum": "sum_",
}
_INDEX = "_itemIndex"
Getter = Callable[[dict[str, Any], str], Any]


def run_summarize(run: NodeRun) -> NodeOutput:
    """Aggregate ``fieldsToSummarize`` per group of ``fieldsToSplitBy``."""
    rows = [{**item_json(item), _INDEX: i} for i, item in enumerate(run.items)]
    opts = param(run, "options", 0, {}) or {}
    split_by = split_field_list(param(run, "fieldsToSplitBy", 0, ""))
    aggregations = [_with_defaults(a) for a in param(run, "fieldsToSummarize.values", 0, []) or []]
    if not [a for a in aggregations if a["field"] != ""]:
        raise NodeError(
            "You need to add at least one aggregation to 'Fields to Summarize' with non empty 'Field'"
        )
    get = field_getter(bool(opts.get("disableDotNotation", False)))
    result = _aggregate_and_split(split_by, rows, aggregations, opts, get, version(run) == 1)
    for aggregation in aggregations:
        if aggregation["field"] and not any(get(row, aggregation["field"]) is not UNDEFINED for row in rows):
            # v1.1+ (and v1 with continueIfFieldNotFound) only add an execution hint.
            if version(run) <= 1 and not opts.get("continueIfFieldNotFound"):
                raise NodeError(f"The field '{aggregation['field']}' does not exist in any items")
    if opts.get("outputFormat") == "singleItem":
        return [[{"json": _to_object(result), "pairedItem": [{"item": i} for i in range(len(rows))]}]]
    flat = _to_array(result)
    return [[{"json": data, "pairedItem": [{"item": i} for i in indexes]} for data, indexes in flat]]


def _with_defaults(entry: dict[str, Any]) -> dict[str, Any]:
    return {"aggregation": "count", "field": "", "includeEmpty": False, "separateBy": ",", **entry}


def normalize_field_name(name: str) -> str:
    """``a.b [c]`` → ``a_b_c`` the way n8n names output fields."""
    return re.sub(r"[ .]", "_", re.sub(r'[\]\["]', "", name))


def _is_empty(value: Any) -> bool:
    return value is UNDEFINED or value is None or value == ""


def _aggregate(rows: list[dict[str, Any]], entry: dict[str, Any], get: Getter) -> Any:
    kind, field = entry["aggregation"], entry["field"]
    values = [get(row, field) for row in rows]
    if kind in ("average", "sum"):
        values = [v for v in values if is_number(v)]
    if kind == "append":
        kept = values if entry["includeEmpty"] else [v for v in values if not _is_empty(v)]
        return [None if v is UNDEFINED else v for v in kept]
    if kind == "concatenate":
        separator = entry.get("customSeparator") if entry["separateBy"] == "other" else entry["separateBy"]
        if separator is None or separator is UNDEFINED:
            separator = ","  # Array.join(undefined) uses a comma
        kept = values if entry["includeEmpty"] else [v for v in values if not _is_empty(v)]
        texts = [json_stringify(v) if isinstance(v, dict | list) or v is None else to_string(v) for v in kept]
        return to_string(separator).join(texts)
    if kind == "average":
        return sum(values) / len(values) if values else None  # 0/0 is NaN → null in JSON
    if kind == "sum":
        return sum(values)
    if kind in ("min", "max"):
        best: Any = UNDEFINED
        better = js_lt if kind == "min" else js_gt
        for value in values:
            if not _is_empty(value) and (best is UNDEFINED or better(value, best)):
                best = value
        return None if best is UNDEFINED else best
    if kind == "countUnique":
        kept = values if entry["includeEmpty"] else [v for v in values if not _is_empty(v)]
        return len({_identity(v) for v in kept})
    kept = values if entry["includeEmpty"] else [v for v in values if not _is_empty(v)]
    return len(kept)


def _identity(value: Any) -> Any:
    # JS Set/Map equality (SameValueZero): objects by reference, so each one is distinct.
    if isinstance(value, dict | list):
        return ("ref", id(value))
    return (type(value) is bool, value is UNDEFINED, value)


def _aggregate_data(
    rows: list[dict[str, Any]], aggregations: list[dict[str, Any]], get: Getter
) -> tuple[dict[str, Any], list[int]]:
    data = {
        normalize_field_name(f"{_PREFIX.get(a['aggregation'], 'count_')}{a['field']}"): _aggregate(
            rows, a, get
        )
        for a in aggregations
    }
    return data, [row[_INDEX] for row in rows]


def _aggregate_and_split(
    keys: list[str],
    rows: list[dict[str, Any]],
    aggregations: list[dict[str, Any]],
    opts: dict[str, Any],
    get: Getter,
    keys_to_string: bool,
) -> Any:
    if not keys:
        return _aggregate_data(rows, aggregations, get)
    first, rest = keys[0], keys[1:]
    groups: dict[Any, tuple[Any, list[dict[str, Any]]]] = {}
    for row in rows:
        value = get(row, first)
        if isinstance(value, dict | list) and value is not None:
            value = json_stringify(value)
        if keys_to_string:
            value = to_string(value)
        if opts.get("skipEmptySplitFields") and not is_number(value) and _is_empty_split(value):
            continue
        key = _identity(value)
        groups.setdefault(key, (value, []))[1].append(row)
    splits = [
        (value, _aggregate_and_split(rest, members, aggregations, opts, get, keys_to_string))
        for value, members in groups.values()
    ]
    return (first, splits)


def _is_empty_split(value: Any) -> bool:
    return value is UNDEFINED or value is None or value == "" or value is False


def _to_object(result: Any) -> dict[str, Any]:
    if isinstance(result[0], dict):
        return dict(result[0])
    return {_object_key(value): _to_object(inner) for value, inner in result[1]}


def _object_key(value: Any) -> str:
    return to_string(value)


def _to_array(result: Any) -> list[tuple[dict[str, Any], list[int]]]:
    if isinstance(result[0], dict):
        return [result]
    field, splits = result
    flat: list[tuple[dict[str, Any], list[int]]] = []
    for value, inner in splits:
        for data, indexes in _to_array(inner):
            if value is not UNDEFINED:
                data[normalize_field_name(field)] = value
            flat.append((data, indexes))
    return flat
