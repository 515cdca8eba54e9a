"""The lodash functions Merge relies on: `get`, `merge`, `mergeWith`, `assign`, `assignWith`.

`merge` deep-merges plain objects *and* arrays (index by index) and never stores `undefined` over an
existing key; sources are copied, never aliased, so merged items do not share nested objects.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from n8n_runtime.jsvalues import UNDEFINED, is_undefined

Customizer = Callable[[Any, Any], Any]

_PATH_PART = re.compile(r"[^.[\]]+|\[(?:(\d+)|([\"'])(.*?)\2)\]")


def get(obj: Any, path: str, default: Any = UNDEFINED) -> Any:
    """lodash `get(obj, path)` with dot/bracket paths; a literal key containing dots wins."""
    if isinstance(obj, dict) and path in obj:
        return obj[path]
    current = obj
    for match in _PATH_PART.finditer(path):
        key = match.group(1) or match.group(3) or match.group(0)
        if isinstance(current, dict) and key in current:
            current = current[key]
        elif isinstance(current, list) and key.isdigit() and int(key) < len(current):
            current = current[int(key)]
        elif isinstance(current, str) and key == "length":
            current = len(current)
        else:
            return default
    return current


def _merge_value(target: Any, source: Any, customizer: Customizer | None) -> Any:
    """lodash baseMergeDeep for one key: the value to store."""
    if isinstance(source, dict):
        base = target if isinstance(target, dict) else {}
        return _merge_into(dict(base), source, customizer)
    if isinstance(source, list):
        items: list[Any] = list(target) if isinstance(target, list) else []
        for index, value in enumerate(source):
            current = items[index] if index < len(items) else UNDEFINED
            merged = _assign_value(current, value, customizer)
            if index < len(items):
                items[index] = merged
            else:
                # A hole in a JS array serialises as null.
                items.append(None if is_undefined(merged) else merged)
        return items
    return source


def _assign_value(current: Any, value: Any, customizer: Customizer | None) -> Any:
    if customizer is not None:
        custom = customizer(current, value)
        if not is_undefined(custom):
            return custom
    if isinstance(value, dict | list):
        return _merge_value(current, value, customizer)
    if is_undefined(value):
        return current
    return value


def _merge_into(
    target: dict[str, Any], source: dict[str, Any], customizer: Customizer | None
) -> dict[str, Any]:
    for key, value in source.items():
        current = target.get(key, UNDEFINED)
        merged = _assign_value(current, value, customizer)
        if is_undefined(merged) and key in target:
            continue
        target[key] = merged
    return target


def merge(*objects: Any, customizer: Customizer | None = None) -> dict[str, Any]:
    """`merge({}, ...objects)` (or `mergeWith` when a customizer is given)."""
    result: dict[str, Any] = {}
    for obj in objects:
        if isinstance(obj, dict):
            _merge_into(result, obj, customizer)
    return result


def assign(*objects: Any, customizer: Customizer | None = None) -> dict[str, Any]:
    """`assign({}, ...objects)` (or `assignWith`): shallow, later sources win."""
    result: dict[str, Any] = {}
    for obj in objects:
        if not isinstance(obj, dict):
            continue
        for key, value in obj.items():
            if customizer is not None:
                custom = customizer(result.get(key, UNDEFINED), value)
                result[key] = value if is_undefined(custom) else custom
            else:
                result[key] = value
    return result


def keep_target_when_empty(target: Any, source: Any) -> Any:
    """Merge's "minimize empty fields" customizer: an empty source value keeps the target's."""
    if is_undefined(source) or source is None or source == "":
        return target
    return UNDEFINED


__all__ = ["assign", "get", "keep_target_when_empty", "merge"]
