"""Split Out node (``n8n-nodes-base.splitOut`` v1): a list inside an item → one item per entry."""

from __future__ import annotations

from typing import Any

from n8n_runtime.jsvalues import UNDEFINED
from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import (
    deep_copy,
    get_path,
    item_json,
    options,
    param,
    prepare_fields_array,
    unset_path,
)


def run_split_out(run: NodeRun) -> NodeOutput:
    """Split ``fieldToSplitOut`` (comma list; ``$binary`` splits binary properties)."""
    output: list[Item] = []
    for i, source in enumerate(run.items):
        fields = [
            f.strip().removeprefix("$json.") for f in str(param(run, "fieldToSplitOut", i, "")).split(",")
        ]
        opts = options(run, i)
        disable_dot = bool(opts.get("disableDotNotation", False))
        destinations = [
            f.strip() for f in str(opts.get("destinationFieldName") or "").split(",") if f.strip()
        ]
        if destinations and len(destinations) != len(fields):
            raise NodeError(
                "If multiple fields to split out are given, the same number of destination fields "
                "must be given"
            )
        include = param(run, "include", i, "noOtherFields")
        multi_split = len(fields) > 1
        data = dict(item_json(source))
        split: list[Item] = []
        for entry_index, field in enumerate(fields):
            destination = destinations[entry_index] if entry_index < len(destinations) else ""
            entities = _entities(source, data, field, disable_dot)
            for element_index, element in enumerate(entities):
                if element_index >= len(split):
                    split.append({"json": {}, "pairedItem": {"item": i}})
                target = split[element_index]
                if field == "$binary":
                    target.setdefault("binary", {}).update(element)
                    continue
                name = destination or field
                if (
                    isinstance(element, dict)
                    and include == "noOtherFields"
                    and not destination
                    and not multi_split
                ):
                    target["json"] = {**target["json"], **element}
                else:
                    target["json"][name] = element
        for entry in split:
            if include == "allOtherFields":
                rest = deep_copy(data)
                for field in fields:
                    if disable_dot:
                        rest.pop(field, None)
                    else:
                        unset_path(rest, field)
                entry["json"] = {**rest, **entry["json"]}
            if include == "selectedOtherFields":
                selected = prepare_fields_array(param(run, "fieldsToInclude", i, ""), "Fields To Include")
                if not selected:
                    raise NodeError("No fields specified", description="Please add a field to include")
                for name in selected:
                    value = data.get(name, UNDEFINED) if disable_dot else get_path(data, name)
                    if value is not UNDEFINED:
                        entry["json"][name] = value
            if opts.get("includeBinary") and source.get("binary") and not entry.get("binary"):
                entry["binary"] = source["binary"]
            output.append(entry)
    return [output]


def _entities(source: Item, data: dict[str, Any], field: str, disable_dot: bool) -> list[Any]:
    if field == "$binary":
        return [{key: value} for key, value in (source.get("binary") or {}).items()]
    value = data.get(field, UNDEFINED) if disable_dot else get_path(data, field)
    if value is UNDEFINED:
        return []
    if not isinstance(value, dict | list):
        return [value]
    if isinstance(value, dict):
        return list(value.values())
    return [None if v is UNDEFINED else v for v in value]
