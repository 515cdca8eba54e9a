"""n8n's item bookkeeping around a node run: input lineage, automatic `pairedItem`, error items."""

from __future__ import annotations

from typing import Any

from n8n_runtime.nodes.base import Item

Inputs = list[list[Item] | None]
Outputs = list[list[Item] | None]


def add_input_lineage(inputs: Inputs) -> Inputs:
    """Stamp each input item with its position (`{"item": i}`, plus `"input": k` for k > 0).

    n8n does this before every node run so the items a node returns can point back at the input
    item they came from. Items are shallow-copied; the parent's run data keeps its own objects.
    """
    out: Inputs = []
    for input_index, items in enumerate(inputs):
        if items is None:
            out.append(None)
            continue
        stamped: list[Item] = []
        for item_index, item in enumerate(items):
            paired: dict[str, Any] = {"item": item_index}
            if input_index:
                paired["input"] = input_index
            stamped.append({**item, "pairedItem": paired})
        out.append(stamped)
    return out


def assign_paired_items(outputs: Outputs, inputs: Inputs) -> None:
    """Fill missing `pairedItem` when the item counts make the origin unambiguous (in place).

    n8n's rules (WorkflowExecute.assignPairedItems): one input with one item -> every output item
    comes from it; one input and one output of equal length -> item i comes from input item i; one
    input with many items and a single output item -> it comes from item 0. Otherwise missing
    pairing stays missing (n8n stops at the first item it cannot fix).
    """
    if not outputs:
        return
    single_input = len(inputs) == 1
    first = inputs[0] if inputs else None
    n_in = len(first) if first is not None else -1
    single_in_single = single_input and n_in == 1
    first_out = outputs[0]
    same_count = len(outputs) == 1 and single_input and first_out is not None and n_in == len(first_out)
    aggregated = (
        len(outputs) == 1 and first_out is not None and len(first_out) == 1 and single_input and n_in > 1
    )
    for items in outputs:
        if items is None:
            continue
        for index, item in enumerate(items):
            if "pairedItem" in item:
                continue
            if single_in_single or aggregated:
                item["pairedItem"] = {"item": 0}
            elif same_count:
                item["pairedItem"] = {"item": index}
            else:
                return


def always_output_item(inputs: Inputs) -> Item:
    """The single empty item of a node with `alwaysOutputData`, paired with every input item."""
    paired = [
        {"item": item_index, "input": input_index}
        for input_index, items in enumerate(inputs)
        if items
        for item_index in range(len(items))
    ]
    return {"json": {}, "pairedItem": paired}


def normalize_item_errors(outputs: Outputs) -> None:
    """Items that carry an `error` object get `json = {"error": message}` (n8n's normalizeNodeErrors)."""
    for items in outputs:
        for item in items or ():
            json = item.get("json")
            if isinstance(json, dict) and "$error" in json and "$json" in json:
                error = json["$error"]
                item["error"] = error
                item["json"] = {"error": error.get("message") if isinstance(error, dict) else error}
            elif item.get("error") is not None:
                error = item["error"]
                item["json"] = {"error": error.get("message") if isinstance(error, dict) else error}


__all__ = ["add_input_lineage", "always_output_item", "assign_paired_items", "normalize_item_errors"]
