"""Merge v3 / v3.1 / v3.2: append, combine by fields / position / all, choose branch (2-10 inputs)."""

from __future__ import annotations

from typing import Any

from n8n_runtime.jsvalues import to_number
from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.control import _lodash
from n8n_runtime.nodes.control._common import param
from n8n_runtime.nodes.control._merge_fields import (
    add_suffix,
    check_match_fields,
    paired_list,
    select_merge_method,
)
from n8n_runtime.nodes.control.merge_v2 import clash_options, combine_by_fields, combine_pair

# v3's clash option: an unset `resolveClash` is "" (its loadOptions default).
_CLASH_DEFAULTS = {"resolveClash": "", "mergeMode": "deepMerge", "overrideEmpty": False}


def run_merge_v3(run: NodeRun) -> NodeOutput:
    """n8n's MergeV3 router."""
    count = int(to_number(run.node.parameters.get("numberInputs", 2)) or 2)
    inputs = [run.inputs[i] if i < len(run.inputs) else [] for i in range(max(count, 2))]
    mode = param(run, "mode", 0, "append")
    if mode == "combine":
        mode = param(run, "combineBy", 0, "combineByFields")
    if mode == "append":
        return [[item for items in inputs for item in items]]
    if mode == "chooseBranch":
        return [_choose_branch(run, inputs)]
    if mode == "combineByFields":
        return [_by_fields(run, inputs)]
    if mode == "combineByPosition":
        return [_by_position(run, inputs)]
    if mode == "combineAll":
        return [_all(run, inputs)]
    if mode == "combineBySql":
        raise NodeError(
            "Merge mode 'SQL Query' is not supported", description="Hive does not run AlaSQL queries"
        )
    raise NodeError(f"Unknown Merge mode '{mode}'")


def _choose_branch(run: NodeRun, inputs: list[list[Item]]) -> list[Item]:
    if param(run, "chooseBranchMode", 0, "waitForAll") != "waitForAll":
        return []
    output = param(run, "output", 0, "specifiedInput")
    if output == "specifiedInput":
        which = int(to_number(param(run, "useDataOfInput", 0, 1)))
        if which > len(inputs):
            raise NodeError(
                f"Input {which} doesn't exist",
                description=f"The node has only {len(inputs)} inputs, "
                f"so selecting input {which} is not possible.",
            )
        return list(inputs[which - 1])
    if output == "empty":
        paired = [p for item in [*inputs[0], *inputs[1]] for p in paired_list(item.get("pairedItem"))]
        return [{"json": {}, "pairedItem": paired}]
    return []


def _by_fields(run: NodeRun, inputs: list[list[Item]]) -> list[Item]:
    if param(run, "advanced", 0, False):
        pairs = param(run, "mergeByFields.values", 0, [{"field1": "", "field2": ""}]) or []
    else:
        text = str(param(run, "fieldsToMatchString", 0, "") or "")
        pairs = [{"field1": f.strip(), "field2": f.strip()} for f in text.split(",")]
    pairs = check_match_fields(pairs)
    join_mode = param(run, "joinMode", 0, "keepMatches")
    output_from = param(run, "outputDataFrom", 0, "both")
    options = dict(param(run, "options", 0, {}) or {})
    options["joinMode"] = join_mode
    options["outputDataFrom"] = output_from
    clash = clash_options(run, _CLASH_DEFAULTS)
    return combine_by_fields(
        inputs[0], inputs[1], pairs, join_mode, output_from, options, clash, "preferLast"
    )


def _by_position(run: NodeRun, inputs: list[list[Item]]) -> list[Item]:
    clash = clash_options(run, _CLASH_DEFAULTS)
    include_unpaired = bool(param(run, "options.includeUnpaired", 0, False))
    resolve = str(clash.get("resolveClash") or "")
    preferred_index = (
        int(resolve.replace("preferInput", "")) - 1 if "preferInput" in resolve else len(inputs) - 1
    )
    preferred = inputs[preferred_index]
    if resolve == "addSuffix":
        inputs = [add_suffix(items, str(i + 1)) for i, items in enumerate(inputs)]
    lengths = [len(items) for items in inputs]
    count = max(*lengths, len(preferred)) if include_unpaired else min(*lengths, len(preferred))
    method = select_merge_method(clash)
    out: list[Item] = []
    for i in range(count):
        preferred_entry: dict[str, Any] = preferred[i] if i < len(preferred) else {}
        rest = [items[i] if i < len(items) else {} for items in inputs]
        paired = [e.get("pairedItem") for e in rest] + [preferred_entry.get("pairedItem")]
        flat: list[Any] = []
        for entry in paired:
            if isinstance(entry, list):
                flat.extend(entry)
            elif entry is not None:
                flat.append(entry)
        out.append(
            {
                "json": method({}, *(e.get("json") or {} for e in rest), preferred_entry.get("json") or {}),
                "binary": _lodash.merge(
                    *(e.get("binary") or {} for e in rest), preferred_entry.get("binary") or {}
                ),
                "pairedItem": flat,
            }
        )
    return out


def _all(run: NodeRun, inputs: list[list[Item]]) -> list[Item]:
    clash = clash_options(run, _CLASH_DEFAULTS)
    first, second = inputs[0], inputs[1]
    if clash.get("resolveClash") == "preferInput1":
        first, second = second, first
    if clash.get("resolveClash") == "addSuffix":
        first, second = add_suffix(first, "1"), add_suffix(second, "2")
    method = select_merge_method(clash)
    return [combine_pair(a, b, method) for a in first for b in second]


__all__ = ["run_merge_v3"]
