"""Sort node (``n8n-nodes-base.sort`` v1): simple field sort, deterministic random, or JS code.

``random`` in n8n uses ``Math.random``; node functions may not use randomness, so the shuffle is a
Fisher-Yates driven by a SHA-256 stream seeded with the node name and run index: repeatable across
replays (as Temporal requires) while still varying between nodes and runs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import cmp_to_key
from typing import Any

from n8n_runtime.jsvalues import UNDEFINED, is_equal, js_lt
from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import field_getter, item_json, nested_field_hint, options, param


def run_sort(run: NodeRun) -> NodeOutput:
    """Sort the input items; every output item keeps a pairedItem to its input position."""
    indexed = [{**item, "pairedItem": {"item": i}} for i, item in enumerate(run.items)]
    sort_type = param(run, "type", 0, "simple")
    if sort_type == "random":
        return [deterministic_shuffle(indexed, f"{run.node.name}:{run.run_index}")]
    if sort_type == "simple":
        return [_simple(run, indexed)]
    if sort_type == "code":
        return [_by_code(run, indexed)]
    raise NodeError(f"The sort type '{sort_type}' is not supported")


def deterministic_shuffle(items: list[Item], seed: str) -> list[Item]:
    """Fisher-Yates over a hash stream of ``seed`` (same seed → same order)."""
    result = list(items)
    counter = 0
    for i in range(len(result) - 1, 0, -1):
        digest = hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
        j = int.from_bytes(digest[:8], "big") % (i + 1)
        result[i], result[j] = result[j], result[i]
    return result


def _simple(run: NodeRun, items: list[Item]) -> list[Item]:
    disable_dot = bool(options(run).get("disableDotNotation", False))
    sort_fields = (param(run, "sortFieldsUi", 0, {}) or {}).get("sortField") or []
    if not sort_fields:
        raise NodeError("No sorting specified. Please add a field to sort by")
    get = field_getter(disable_dot)
    for entry in sort_fields:
        name = str(entry.get("fieldName", ""))
        found = any(
            (name in item_json(item)) if disable_dot else get(item_json(item), name) is not UNDEFINED
            for item in items
        )
        if not found:
            raise NodeError(
                f"Couldn't find the field '{name}' in the input data",
                description=nested_field_hint(name, disable_dot),
            )
    fields = [
        (str(e.get("fieldName", "")), 1 if e.get("order", "ascending") == "ascending" else -1)
        for e in sort_fields
    ]

    def value(item: Item, name: str) -> Any:
        found = get(item_json(item), name)
        return found.lower() if isinstance(found, str) else found

    def compare(a: Item, b: Item) -> int:
        for name, direction in fields:
            left, right = value(a, name), value(b, name)
            if not is_equal(left, right):
                return -direction if js_lt(left, right) else direction
        return 0

    return sorted(items, key=cmp_to_key(compare))


def _by_code(run: NodeRun, items: list[Item]) -> list[Item]:
    code = str(param(run, "code", 0, ""))
    if not re.search(r"\breturn\b", code):
        raise NodeError("Sort code doesn't return. Please add a 'return' statement to your code")
    sorter: Callable[[str, list[Item]], list[Item]] | None = run.extras.get("sort_by_code")
    if sorter is None:
        from n8n_runtime.nodes.data.code import js_sort

        sorter = js_sort
    return sorter(code, items)
