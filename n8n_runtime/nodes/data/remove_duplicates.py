"""Remove Duplicates node (``n8n-nodes-base.removeDuplicates`` v1, v1.1, v2).

v2's ``removeItemsRepeatedInPreviousExecutions`` needs state kept across executions (n8n's
deduplication store); Hive has none yet, so that operation fails clearly.
"""

from __future__ import annotations

from functools import cmp_to_key
from typing import Any

from n8n_runtime.jsvalues import UNDEFINED, is_equal, js_lt, typeof
from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import (
    field_getter,
    get_path,
    item_json,
    nested_field_hint,
    param,
    prepare_fields_array,
    set_path,
    version,
)


def run_remove_duplicates(run: NodeRun) -> NodeOutput:
    """Keep the first of each group of items equal on the compared fields."""
    return remove_duplicate_items(run)


def remove_duplicate_items(run: NodeRun, *, group_by_type: bool = False) -> NodeOutput:
    """The node's algorithm; `group_by_type` (Item Lists v3.1) orders values by JS type first
    and allows a field's type to vary between items."""
    if version(run) >= 2:
        operation = param(run, "operation", 0, "removeDuplicateInputItems")
        if operation != "removeDuplicateInputItems":
            raise NodeError(
                f"The operation '{operation}' is not supported yet",
                description="Removing items seen in previous executions needs persistent state",
            )
    items = run.items
    if not items:
        return [[]]
    compare = param(run, "compare", 0, "allFields")
    disable_dot = bool(param(run, "options.disableDotNotation", 0, False))
    remove_other_fields = bool(param(run, "options.removeOtherFields", 0, False))

    def keys_of(data: dict[str, Any]) -> list[str]:
        return list(data) if disable_dot else list(flatten_keys(data))

    keys = keys_of(item_json(items[0]))
    for item in items:
        for key in keys_of(item_json(item)):
            if key not in keys:
                keys.append(key)
    if compare == "allFieldsExcept":
        exclude = prepare_fields_array(param(run, "fieldsToExclude", 0, ""), "Fields To Exclude")
        if not exclude:
            raise NodeError("No fields specified. Please add a field to exclude from comparison")
        if not disable_dot:
            keys = list(flatten_keys(item_json(items[0])))
        keys = [k for k in keys if k not in exclude]
    elif compare == "selectedFields":
        selected = prepare_fields_array(param(run, "fieldsToCompare", 0, ""), "Fields To Compare")
        if not selected:
            raise NodeError("No fields specified. Please add a field to compare on")
        keys = [k.strip() for k in selected]

    get = field_getter(disable_dot)

    def compare_items(a: tuple[int, Item], b: tuple[int, Item]) -> int:
        for key in keys:
            left, right = get(item_json(a[1]), key), get(item_json(b[1]), key)
            if group_by_type and _type_rank(left) != _type_rank(right):
                return _type_rank(left) - _type_rank(right)
            if not is_equal(left, right):
                return -1 if js_lt(left, right) else 1
        return 0

    ordered = sorted(enumerate(items), key=cmp_to_key(compare_items))
    _validate(run, [item for _, item in ordered], keys, disable_dot, check_types=not group_by_type)

    removed: set[int] = set()
    kept = ordered[0]
    for entry in ordered[1:]:
        if all(is_equal(get(item_json(entry[1]), k), get(item_json(kept[1]), k)) for k in keys):
            removed.add(entry[0])
        else:
            kept = entry
    survivors = [(i, item) for i, item in enumerate(items) if i not in removed]
    if remove_other_fields:
        # n8n pairs these with their position in the output, not the input (kept as-is).
        return [
            [
                {"json": _pick(item_json(item), keys), "pairedItem": {"item": position}}
                for position, (_, item) in enumerate(survivors)
            ]
        ]
    return [[{**item, "pairedItem": {"item": i}} for i, item in survivors]]


def flatten_keys(obj: Any, path: tuple[str, ...] = ()) -> dict[str, Any]:
    """n8n's ``flattenKeys``: leaf paths joined by dots (arrays by index)."""
    if not isinstance(obj, dict | list):
        return {".".join(path): obj}
    result: dict[str, Any] = {}
    entries = obj.items() if isinstance(obj, dict) else ((str(i), v) for i, v in enumerate(obj))
    for key, value in entries:
        result.update(flatten_keys(value, (*path, key)))
    return result


_TYPE_ORDER = ("undefined", "null", "boolean", "number", "string", "array", "object")


def _type_rank(value: Any) -> int:
    if value is None:
        return 1
    kind = "array" if isinstance(value, list) else typeof(value)
    return _TYPE_ORDER.index(kind) if kind in _TYPE_ORDER else len(_TYPE_ORDER)


def _validate(
    run: NodeRun, items: list[Item], keys: list[str], disable_dot: bool, *, check_types: bool = True
) -> None:
    get = field_getter(disable_dot)
    for key in keys:
        seen_type: str | None = None
        for i, item in enumerate(items):
            if key == "":
                raise NodeError("Name of field to compare is blank")
            value = get(item_json(item), key)
            if value is None and version(run) > 1:
                continue
            if value is UNDEFINED:
                raise NodeError(
                    f"'{key}' field is missing from some input items",
                    description=nested_field_hint(key, disable_dot),
                )
            if check_types and seen_type is not None and seen_type != typeof(value):
                description = "The type of this field varies between items"
                if version(run) > 1:
                    description += (
                        f", in item [{i - 1}] it's a {seen_type} and in item [{i}] it's a {typeof(value)} "
                    )
                raise NodeError(f"'{key}' isn't always the same type", description=description)
            seen_type = typeof(value)


def _pick(data: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    # lodash pick with dot paths rebuilds the nested structure.
    result: dict[str, Any] = {}
    for key in keys:
        value = get_path(data, key)
        if value is not UNDEFINED:
            set_path(result, key, value)
    return result
