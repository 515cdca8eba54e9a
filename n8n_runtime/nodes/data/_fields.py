"""Helpers shared by the data nodes: lodash-style paths, field lists, items and pairedItem.

n8n's transform nodes address fields with lodash ``get``/``set``/``unset`` ("dot notation":
``a.b[0].c``); these reproduce lodash's rules, including that a literal key containing a dot wins
when the object has it.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from n8n_runtime.jsvalues import UNDEFINED
from n8n_runtime.nodes.base import Item, NodeError, NodeRun

_PROP_RE = re.compile(
    r"""[^.[\]]+|\[(?:([^"'][^[]*)|(["'])((?:(?!\2)[^\\]|\\.)*?)\2)\]|(?=(?:\.|\[\])(?:\.|\[\]|$))"""
)
_DEEP_RE = re.compile(r"""\.|\[(?:[^[\]]*|(["'])(?:(?!\1)[^\\]|\\.)*?\1)\]""")
_PLAIN_RE = re.compile(r"^\w*$")
_INDEX_RE = re.compile(r"^(?:0|[1-9]\d*)$")


def to_path(path: str, obj: Any = None) -> list[str]:
    """lodash ``castPath``: a literal key of ``obj`` or a plain name stays whole, else it is parsed."""
    if _PLAIN_RE.match(path) or not _DEEP_RE.search(path):
        return [path]
    if isinstance(obj, dict) and path in obj:
        return [path]
    parts: list[str] = []
    if path.startswith("."):
        parts.append("")
    for match in _PROP_RE.finditer(path):
        number, quote, sub = match.group(1), match.group(2), match.group(3)
        if quote:
            parts.append(re.sub(r"\\(\\)?", r"\1", sub))
        elif number is not None:
            parts.append(number.strip())
        else:
            parts.append(match.group(0))
    return parts


def _child(node: Any, key: str) -> Any:
    if isinstance(node, dict):
        return node.get(key, UNDEFINED)
    if isinstance(node, list):
        if _INDEX_RE.match(key) and int(key) < len(node):
            return node[int(key)]
        if key == "length":
            return len(node)
        return UNDEFINED
    if isinstance(node, str) and key == "length":
        return len(node)
    if isinstance(node, str) and _INDEX_RE.match(key) and int(key) < len(node):
        return node[int(key)]
    return UNDEFINED


def get_path(obj: Any, path: str) -> Any:
    """lodash ``get(obj, path)``; ``UNDEFINED`` when absent."""
    node = obj
    for key in to_path(path, obj):
        if node is None or node is UNDEFINED:
            return UNDEFINED
        node = _child(node, key)
    return node


def set_path(obj: dict[str, Any], path: str, value: Any) -> None:
    """lodash ``set(obj, path, value)``: creates objects, or arrays for numeric keys."""
    keys = to_path(path, obj)
    node: Any = obj
    for index, key in enumerate(keys):
        last = index == len(keys) - 1
        if isinstance(node, list):
            if not _INDEX_RE.match(key):
                return  # JS would set a property on the array; JSON drops it anyway
            position = int(key)
            while len(node) <= position:
                node.append(None)
            if last:
                node[position] = value
                return
            child = node[position]
            if not isinstance(child, dict | list):
                child = [] if _INDEX_RE.match(keys[index + 1]) else {}
                node[position] = child
            node = child
        elif isinstance(node, dict):
            if last:
                node[key] = value
                return
            child = node.get(key, UNDEFINED)
            if not isinstance(child, dict | list):
                child = [] if _INDEX_RE.match(keys[index + 1]) else {}
                node[key] = child
            node = child
        else:
            return


def unset_path(obj: Any, path: str) -> None:
    """lodash ``unset(obj, path)``."""
    keys = to_path(path, obj)
    parent: Any = obj
    for key in keys[:-1]:
        parent = _child(parent, key)
        if parent is UNDEFINED or parent is None:
            return
    last = keys[-1]
    if isinstance(parent, dict):
        parent.pop(last, None)
    elif isinstance(parent, list) and _INDEX_RE.match(last) and int(last) < len(parent):
        parent[int(last)] = None  # `delete arr[i]` leaves a hole, serialised as null


def field_getter(disable_dot_notation: bool) -> Any:
    """``(json, field) -> value`` honouring the node's "Disable Dot Notation" option."""
    if disable_dot_notation:
        return lambda data, field: data.get(field, UNDEFINED) if isinstance(data, dict) else UNDEFINED
    return get_path


def nested_field_hint(name: str, disable_dot_notation: bool) -> str | None:
    """n8n's hint for a missing field whose name has a dot while dot notation is off."""
    if disable_dot_notation and "." in name:
        return (
            "If you're trying to use a nested field, make sure you turn off 'disable dot notation' "
            "in the node options"
        )
    return None


def split_field_list(value: Any) -> list[str]:
    """A comma-separated field list (``"a, b"``) → ``["a", "b"]`` (blank entries dropped)."""
    if value is None or value is UNDEFINED:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def prepare_fields_array(value: Any, field_name: str) -> list[str]:
    """n8n's ``prepareFieldsArray``: a string list or an array, else an error naming the field."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        return [str(v) for v in value]
    if value is None or value is UNDEFINED:
        return []
    raise NodeError(
        f"The '{field_name}' parameter must be a string of fields separated by commas or an array of strings."
    )


def paired(index: int) -> dict[str, int]:
    """``{item: index}``."""
    return {"item": index}


def new_item(json: dict[str, Any], index: int | list[int]) -> Item:
    """An output item with its pairedItem (one source index or several)."""
    if isinstance(index, list):
        return {"json": json, "pairedItem": [paired(i) for i in index]}
    return {"json": json, "pairedItem": paired(index)}


def item_json(item: Item) -> dict[str, Any]:
    """The item's json (``{}`` when absent)."""
    data = item.get("json")
    return data if isinstance(data, dict) else {}


def deep_copy(value: Any) -> Any:
    """n8n's ``deepCopy``."""
    return copy.deepcopy(value)


def param(run: NodeRun, path: str, index: int = 0, default: Any = None) -> Any:
    """``getNodeParameter(path, index, default)``, mapping an absent/undefined result to the default."""
    value = run.params.get(path, index, default)
    return default if value is UNDEFINED else value


def options(run: NodeRun, index: int = 0, path: str = "options") -> dict[str, Any]:
    """The node's ``options`` collection (``{}`` when absent)."""
    value = param(run, path, index, {})
    return value if isinstance(value, dict) else {}


def version(run: NodeRun) -> float:
    """The node's typeVersion as a float."""
    return float(run.node.type_version)


__all__ = [
    "deep_copy",
    "field_getter",
    "get_path",
    "item_json",
    "nested_field_hint",
    "new_item",
    "options",
    "paired",
    "param",
    "prepare_fields_array",
    "set_path",
    "split_field_list",
    "to_path",
    "unset_path",
    "version",
]
