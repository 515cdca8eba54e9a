"""Merge v2 / v2.1: append, combine (by fields, by position, multiplex) and choose branch."""

from __future__ import annotations

from typing import Any

from n8n_runtime.nodes.base import Item, NodeOutput, NodeRun
from n8n_runtime.nodes.control import _lodash
from n8n_runtime.nodes.control._common import param
from n8n_runtime.nodes.control._merge_fields import (
    add_source_field,
    add_suffix,
    check_input,
    check_match_fields,
    find_matches,
    merge_matched,
    paired_list,
    select_merge_method,
)

# v2's clash option: `resolveClash` defaults to "addSuffix" when the option is present but unset.
_CLASH_DEFAULTS = {"resolveClash": "addSuffix", "mergeMode": "deepMerge", "overrideEmpty": False}


def clash_options(run: NodeRun, defaults: dict[str, Any]) -> dict[str, Any]:
    """`options.clashHandling.values` with n8n's parameter defaults filled in ({} when absent)."""
    values = param(run, "options.clashHandling.values", 0, {}) or {}
    return {**defaults, **values} if values or _has_clash(run) else {}


def _has_clash(run: NodeRun) -> bool:
    options = run.node.parameters.get("options")
    return (
        isinstance(options, dict)
        and isinstance(options.get("clashHandling"), dict)
        and ("values" in options["clashHandling"])
    )


def combine_pair(a: Item, b: Item, method: Any) -> Item:
    """One output item from two input items (multiplex / by position)."""
    return {
        "json": method(a.get("json", {}), b.get("json", {})),
        "binary": _lodash.merge(a.get("binary"), b.get("binary")),
        "pairedItem": [a.get("pairedItem"), b.get("pairedItem")],
    }


def run_merge_v2(run: NodeRun) -> NodeOutput:
    """n8n's MergeV2 `execute`."""
    input1, input2 = run.inputs[0], run.inputs[1] if len(run.inputs) > 1 else []
    mode = param(run, "mode", 0, "append")
    if mode == "append":
        return [[*input1, *input2]]
    if mode == "chooseBranch":
        output = param(run, "output", 0, "input1")
        if output == "input1":
            return [list(input1)]
        if output == "input2":
            return [list(input2)]
        if output == "empty":
            paired = [p for item in [*input1, *input2] for p in paired_list(item.get("pairedItem"))]
            return [[{"json": {}, "pairedItem": paired}]]
        return [[]]
    if mode != "combine":
        return [[]]
    combination = param(run, "combinationMode", 0, "mergeByFields")
    clash = clash_options(run, _CLASH_DEFAULTS)
    if combination == "multiplex":
        a_items, b_items = input1, input2
        if clash.get("resolveClash") == "preferInput1":
            a_items, b_items = b_items, a_items
        if clash.get("resolveClash") == "addSuffix":
            a_items, b_items = add_suffix(a_items, "1"), add_suffix(b_items, "2")
        method = select_merge_method(clash)
        return [[combine_pair(a, b, method) for a in a_items for b in b_items]]
    if combination == "mergeByPosition":
        return [_by_position(run, input1, input2, clash)]
    if combination == "mergeByFields":
        return [_by_fields(run, input1, input2, clash)]
    return [[]]


def _by_position(run: NodeRun, input1: list[Item], input2: list[Item], clash: dict[str, Any]) -> list[Item]:
    include_unpaired = bool(param(run, "options.includeUnpaired", 0, False))
    if not input1 or not input2:
        return [*input1, *input2]
    if clash.get("resolveClash") == "preferInput1":
        input1, input2 = input2, input1
    if clash.get("resolveClash") == "addSuffix":
        input1, input2 = add_suffix(input1, "1"), add_suffix(input2, "2")
    count = max(len(input1), len(input2)) if include_unpaired else min(len(input1), len(input2))
    method = select_merge_method(clash)
    out: list[Item] = []
    for i in range(count):
        if i >= len(input1):
            out.append(input2[i])
        elif i >= len(input2):
            out.append(input1[i])
        else:
            out.append(combine_pair(input1[i], input2[i], method))
    return out


def _by_fields(run: NodeRun, input1: list[Item], input2: list[Item], clash: dict[str, Any]) -> list[Item]:
    pairs = check_match_fields(param(run, "mergeByFields.values", 0, [{"field1": "", "field2": ""}]) or [])
    join_mode = param(run, "joinMode", 0, "keepMatches")
    output_from = param(run, "outputDataFrom", 0, "both")
    options = dict(param(run, "options", 0, {}) or {})
    options["joinMode"] = join_mode
    options["outputDataFrom"] = output_from
    if run.node.type_version < 2.1:
        disable_dot = bool(options.get("disableDotNotation"))
        input1 = check_input(input1, [str(p.get("field1")) for p in pairs], disable_dot, "Input 1")
        input2 = check_input(input2, [str(p.get("field2")) for p in pairs], disable_dot, "Input 2")
    return combine_by_fields(input1, input2, pairs, join_mode, output_from, options, clash, "preferInput2")


def combine_by_fields(
    input1: list[Item],
    input2: list[Item],
    pairs: list[dict[str, Any]],
    join_mode: str,
    output_from: str,
    options: dict[str, Any],
    clash: dict[str, Any],
    prefer_default: str,
) -> list[Item]:
    """The shared body of v2 "merge by fields" and v3 "combine by matching fields"."""
    if not input1 or not input2:
        if not input1 and join_mode == "keepNonMatches" and output_from == "input1":
            return []
        if not input2 and join_mode == "keepNonMatches" and output_from == "input2":
            return []
        if join_mode == "keepMatches":
            return []
        if join_mode == "enrichInput1" and not input1:
            return []
        if join_mode == "enrichInput2" and not input2:
            return []
        return [*input1, *input2]
    if not pairs:
        return [] if join_mode in ("keepMatches", "keepEverything", "enrichInput2") else list(input1)
    matches = find_matches(input1, input2, pairs, options)
    if join_mode in ("keepMatches", "keepEverything"):
        output: list[Item] = []
        if output_from == "input1":
            output = [m["entry"] for m in matches["matched"]]
        elif output_from == "input2":
            output = list(matches["matched2"])
        elif output_from == "both":
            output = merge_matched(matches["matched"], clash, None, prefer_default=prefer_default)
        if join_mode == "keepEverything":
            unmatched1, unmatched2 = matches["unmatched1"], matches["unmatched2"]
            if clash.get("resolveClash") == "addSuffix":
                unmatched1, unmatched2 = add_suffix(unmatched1, "1"), add_suffix(unmatched2, "2")
            output = [*output, *unmatched1, *unmatched2]
        return output
    if join_mode == "keepNonMatches":
        if output_from == "input1":
            return list(matches["unmatched1"])
        if output_from == "input2":
            return list(matches["unmatched2"])
        return [
            *add_source_field(matches["unmatched1"], "input1"),
            *add_source_field(matches["unmatched2"], "input2"),
        ]
    if join_mode in ("enrichInput1", "enrichInput2"):
        merged = merge_matched(matches["matched"], clash, join_mode, prefer_default=prefer_default)
        rest = matches["unmatched1"] if join_mode == "enrichInput1" else matches["unmatched2"]
        if clash.get("resolveClash") == "addSuffix":
            rest = add_suffix(rest, "1" if join_mode == "enrichInput1" else "2")
        return [*merged, *rest]
    return []


__all__ = ["clash_options", "combine_by_fields", "combine_pair", "run_merge_v2"]
