"""n8n's `continueErrorOutput`: move failed items of a successful run to the extra error output."""

from __future__ import annotations

from typing import Any

from n8n_runtime.engine.types import RunData, SourceData
from n8n_runtime.nodes.base import Item

_ERROR_KEYS = frozenset({"error", "message", "details"})


def route_error_items(
    outputs: list[list[Item] | None],
    error_output_index: int,
    source: list[SourceData | None] | None,
    run_data: RunData,
) -> list[list[Item] | None]:
    """Split every regular output into success items and error items (WorkflowExecute.handleNodeErrorOutput).

    An item is an error item when it has an `error` object, or when its json is only
    `error`/`message`/`details` with a truthy `error`. Error items get the json of the input item
    they are paired with merged underneath, so the error branch still sees the original fields.
    """
    routed: list[list[Item] | None] = list(outputs)
    while len(routed) <= error_output_index:
        routed.append(None)
    error_items: list[Item] = []
    for output_index in range(error_output_index):
        success: list[Item] = []
        for item in routed[output_index] or ():
            if not _is_error_item(item):
                success.append(item)
                continue
            origin = _paired_input_item(item, source, run_data)
            if origin is None:
                error_items.append(item)
            else:
                error_items.append({**item, "json": {**origin.get("json", {}), **item.get("json", {})}})
        routed[output_index] = success
    routed[error_output_index] = error_items
    return routed


def _is_error_item(item: Item) -> bool:
    if item.get("error"):
        return True
    json = item.get("json")
    return isinstance(json, dict) and bool(json.get("error")) and set(json) <= _ERROR_KEYS


def _paired_input_item(item: Item, source: list[SourceData | None] | None, run_data: RunData) -> Item | None:
    paired: Any = item.get("pairedItem")
    if isinstance(paired, list):
        paired = paired[0] if paired else None
    if isinstance(paired, int) and not isinstance(paired, bool):
        paired = {"item": paired}
    if source is None or not isinstance(paired, dict):
        return None
    input_index = paired.get("input") or 0
    origin = source[input_index] if input_index < len(source) else None
    if origin is None:
        return None
    runs = run_data.get(origin["previousNode"], [])
    run_index = origin.get("previousNodeRun") or 0
    if run_index >= len(runs):
        return None
    main = (runs[run_index].get("data") or {}).get("main") or []
    output_index = origin.get("previousNodeOutput") or 0
    items = main[output_index] if output_index < len(main) else None
    index = paired.get("item")
    if not items or not isinstance(index, int) or not 0 <= index < len(items):
        return None
    found: Item = items[index]
    return found


__all__ = ["route_error_items"]
