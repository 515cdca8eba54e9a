"""Merge v1 (legacy modes): append, mergeByIndex, mergeByKey, keep/removeKeyMatches, multiplex,
passThrough and wait."""

from __future__ import annotations

import copy
from typing import Any

from n8n_runtime.jsvalues import is_number, is_undefined, number_to_string, to_string, truthy
from n8n_runtime.nodes.base import Item, NodeOutput, NodeRun
from n8n_runtime.nodes.control import _lodash
from n8n_runtime.nodes.control._common import param


def run_merge_v1(run: NodeRun) -> NodeOutput:
    """n8n's MergeV1 `execute`."""
    mode = param(run, "mode", 0, "append")
    input1, input2 = run.inputs[0], run.inputs[1] if len(run.inputs) > 1 else []
    if mode == "append":
        return [[*input1, *input2]]
    if mode == "mergeByIndex":
        return [_merge_by_index(param(run, "join", 0, "left"), input1, input2)]
    if mode == "multiplex":
        return [
            [
                {
                    "json": {**a.get("json", {}), **b.get("json", {})},
                    "pairedItem": [a.get("pairedItem"), b.get("pairedItem")],
                }
                for a in input1
                for b in input2
            ]
        ]
    if mode in ("keepKeyMatches", "mergeByKey", "removeKeyMatches"):
        return [_by_key(run, mode, input1, input2)]
    if mode == "passThrough":
        return [list(input1 if param(run, "output", 0, "input1") == "input1" else input2)]
    if mode == "wait":
        return [[{"json": {}, "pairedItem": [{"item": i} for i in range(len(input1))]}]]
    return [[]]


def _merge_by_index(join: str, input1: list[Item], input2: list[Item]) -> list[Item]:
    if not input1:
        return [] if join in ("inner", "left") else list(input2)
    if not input2:
        return list(input1) if join in ("left", "outer") else []
    count = len(input1)
    if join == "inner":
        count = min(len(input1), len(input2))
    elif join == "outer":
        count = max(len(input1), len(input2))
    out: list[Item] = []
    for i in range(count):
        if i >= len(input1):
            out.append(input2[i])
            continue
        if i >= len(input2):
            out.append(input1[i])
            continue
        a, b = input1[i], input2[i]
        item: Item = {
            "json": {**a.get("json", {}), **b.get("json", {})},
            "pairedItem": [a.get("pairedItem"), b.get("pairedItem")],
        }
        if a.get("binary") is not None or b.get("binary") is not None:
            item["binary"] = {**(a.get("binary") or {}), **(b.get("binary") or {})}
        out.append(item)
    return out


def _key_string(value: Any) -> str | None:
    """The lookup key n8n builds from a reference value; None when it is not comparable."""
    if isinstance(value, str):
        return value
    if is_number(value):
        return number_to_string(value)
    # n8n compares the constructor name with "Data" (sic), so dates are not comparable either.
    return None


def _by_key(run: NodeRun, mode: str, input1: list[Item], input2: list[Item]) -> list[Item]:
    name1 = param(run, "propertyName1", 0, "")
    name2 = param(run, "propertyName2", 0, "")
    overwrite = param(run, "overwrite", 0, "always")
    if not input2 or not name1 or not name2:
        return [] if mode == "keepKeyMatches" else list(input1)
    lookup: dict[str, Item] = {}
    for entry in input2:
        key = _lodash.get(entry.get("json"), name2)
        if not entry.get("json") or not truthy(key):
            continue
        lookup[to_string(key)] = entry
    out: list[Item] = []
    for entry in input1:
        reference = _lodash.get(entry.get("json"), name1)
        if is_undefined(reference):
            if mode == "removeKeyMatches":
                out.append(entry)
            continue
        key = _key_string(reference) if reference is not None else "null"
        if key is None:
            if mode == "removeKeyMatches":
                out.append(entry)
            continue
        if key in lookup:
            if mode == "removeKeyMatches":
                continue
            if mode == "keepKeyMatches":
                out.append(entry)
                continue
            entry = copy.deepcopy(entry)
            source_json = lookup[key].get("json", {})
            for field, value in source_json.items():
                if field == name2:
                    continue
                current = entry["json"].get(field)
                if (
                    overwrite == "always"
                    or (overwrite == "undefined" and field not in entry["json"])
                    or (
                        overwrite == "blank"
                        and (current is None or current == "" or field not in entry["json"])
                    )
                ):
                    entry["json"][field] = value
        elif mode == "removeKeyMatches":
            out.append(entry)
            continue
        if mode == "mergeByKey":
            out.append(entry)
    return out


__all__ = ["run_merge_v1"]
