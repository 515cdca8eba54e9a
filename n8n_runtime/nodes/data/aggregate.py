"""Aggregate node (``n8n-nodes-base.aggregate`` v1): many items into one."""

from __future__ import annotations

from typing import Any

from n8n_runtime.jsvalues import UNDEFINED
from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import (
    get_path,
    item_json,
    param,
    prepare_fields_array,
    set_path,
)


def run_aggregate(run: NodeRun) -> NodeOutput:
    """``aggregateIndividualFields`` (default) or ``aggregateAllItemData``."""
    items = run.items
    mode = param(run, "aggregate", 0, "aggregateIndividualFields")
    if mode == "aggregateIndividualFields":
        result = _individual_fields(run, items)
    else:
        result = _all_item_data(run, items)
    if param(run, "options.includeBinaries", 0, False):
        _add_binaries(result, items, bool(param(run, "options.keepOnlyUnique", 0, False)))
    return [[result]]


def _individual_fields(run: NodeRun, items: list[Item]) -> Item:
    disable_dot = bool(param(run, "options.disableDotNotation", 0, False))
    merge_lists = bool(param(run, "options.mergeLists", 0, False))
    keep_missing = bool(param(run, "options.keepMissing", 0, False))
    fields = param(run, "fieldsToAggregate.fieldToAggregate", 0, []) or []
    if not fields:
        raise NodeError("No fields specified", description="Please add a field to aggregate")

    values: dict[str, list[Any]] = {}
    output_fields: list[str] = []
    for entry in fields:
        field_to_aggregate = str(entry.get("fieldToAggregate", ""))
        rename = bool(entry.get("renameField", False))
        output_field_name = str(entry.get("outputFieldName", "") or "")
        field = output_field_name if rename else field_to_aggregate
        if field in output_fields:
            raise NodeError(
                f"The '{field}' output field is used more than once",
                description="Please make sure each output field name is unique",
            )
        output_fields.append(field)
        # n8n uses outputFieldName even when renameField is off (it is normally empty then).
        if output_field_name:
            target = output_field_name
        elif not disable_dot and "." in field_to_aggregate:
            target = field_to_aggregate.split(".")[-1]
        else:
            target = field_to_aggregate
        if field_to_aggregate == "":
            continue
        values[target] = []
        for item in items:
            data = item_json(item)
            value = (
                data.get(field_to_aggregate, UNDEFINED) if disable_dot else get_path(data, field_to_aggregate)
            )
            if not keep_missing:
                if isinstance(value, list):
                    value = [v for v in value if v is not None]
                elif value is None or value is UNDEFINED:
                    continue
            if isinstance(value, list) and merge_lists:
                values[target].extend(value)
            else:
                values[target].append(None if value is UNDEFINED else value)

    json: dict[str, Any] = {}
    for key, collected in values.items():
        if disable_dot:
            json[key] = collected
        else:
            set_path(json, key, collected)
    return {"json": json, "pairedItem": [{"item": i} for i in range(len(items))]}


def _all_item_data(run: NodeRun, items: list[Item]) -> Item:
    destination = str(param(run, "destinationFieldName", 0, "data"))
    exclude = prepare_fields_array(param(run, "fieldsToExclude", 0, ""), "Fields To Exclude")
    include = prepare_fields_array(param(run, "fieldsToInclude", 0, ""), "Fields To Include")
    collected: list[dict[str, Any]] = []
    paired: list[dict[str, int]] = []
    for index, item in enumerate(items):
        data = item_json(item)
        if exclude or include:
            keys = [k for k in data if k not in exclude]
            if include:
                keys = [k for k in keys if k in include]
            picked = {k: data[k] for k in keys}
            if not picked:
                continue
            collected.append(picked)
        else:
            collected.append(data)
        paired.append({"item": index})
    return {"json": {destination: collected}, "pairedItem": paired}


def _add_binaries(result: Item, items: list[Item], keep_only_unique: bool) -> None:
    # n8n renames keys to data, data_1, ... in order of the aggregated items.
    binaries: dict[str, Any] = {}
    seen: list[Any] = []
    for ref in result.get("pairedItem") or []:
        binary = items[ref["item"]].get("binary") or {}
        for value in binary.values():
            if keep_only_unique:
                fingerprint = (value.get("id"), value.get("data")) if isinstance(value, dict) else value
                if fingerprint in seen:
                    continue
                seen.append(fingerprint)
            key = "data" if not binaries else f"data_{len(binaries)}"
            binaries[key] = value
    if binaries:
        result["binary"] = binaries
