"""Switch (v1 fixed 4 outputs, v2 rules or expression, v3+ filter rules with fallback output)."""

from __future__ import annotations

from typing import Any

from n8n_runtime.jsvalues import is_number, to_number, to_string
from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.control._common import (
    as_node_error,
    continue_on_fail,
    error_item,
    param,
    workflow_zone,
)
from n8n_runtime.nodes.control._filter import execute_filter
from n8n_runtime.nodes.control._legacy_conditions import (
    DEFAULT_OPERATION,
    DEFAULT_VALUE,
    convert_date_time,
    run_operation,
)
from n8n_runtime.nodes.control.conditions import filter_pass, loose_type_validation

# Switch v3's default rule (one condition `"" equals ""`), used when the export has no `rules`.
_DEFAULT_V3_RULES: dict[str, Any] = {
    "values": [
        {
            "conditions": {
                "options": {"caseSensitive": True, "leftValue": "", "typeValidation": "strict"},
                "conditions": [
                    {"leftValue": "", "rightValue": "", "operator": {"type": "string", "operation": "equals"}}
                ],
                "combinator": "and",
            }
        }
    ]
}


def run_switch(run: NodeRun) -> NodeOutput:
    """n8n's SwitchV1/V2/V3 `execute`."""
    version = run.node.type_version
    if version < 2:
        return _switch_v1(run)
    if version < 3:
        return _switch_v2(run)
    return _switch_v3(run)


def _subject(run: NodeRun, item_index: int) -> tuple[str, Any]:
    """v1/v2 rules mode: the rules' data type and the item's `value1` (dates converted)."""
    data_type = param(run, "dataType", 0, "number")
    value1 = param(run, "value1", item_index, DEFAULT_VALUE.get(data_type, 0))
    return data_type, convert_date_time(value1) if data_type == "dateTime" else value1


def _first_match(data_type: str, value1: Any, rules: list[Any]) -> tuple[int, dict[str, Any]] | None:
    """v1/v2: the first rule whose operation holds for `value1`, with its position."""
    for rule_index, rule in enumerate(rules):
        filled = {"operation": DEFAULT_OPERATION[data_type], "value2": DEFAULT_VALUE[data_type], **rule}
        value2 = filled["value2"]
        if data_type == "dateTime":
            value2 = convert_date_time(value2)
        if run_operation(str(filled["operation"]), value1, value2):
            return rule_index, rule
    return None


def _to_fallback(run: NodeRun, item_index: int, item: Item, outputs: list[list[Item]]) -> None:
    """v1/v2: send an item no rule matched to `fallbackOutput` (-1 drops it)."""
    fallback = param(run, "fallbackOutput", item_index, -1)
    if fallback != -1:
        _check_range(fallback, len(outputs))
        outputs[int(to_number(fallback))].append(item)


def _check_range(index: Any, count: int) -> None:
    """v1/v2 checkIndexRange (`undefined` passes, as in JavaScript)."""
    if index is None:
        return
    number = to_number(index)
    if number < 0 or number >= count:
        raise NodeError(
            f"The ouput {to_string(index)} is not allowed. It has to be between 0 and {count - 1}!"
        )


def _switch_v1(run: NodeRun) -> NodeOutput:
    outputs: list[list[Item]] = [[], [], [], []]
    for index, item in enumerate(run.items):
        try:
            mode = param(run, "mode", index, "rules")
            if mode == "expression":
                target = param(run, "output", index, 0)
                _check_range(target, len(outputs))
                outputs[int(to_number(target))].append(item)
                continue
            if mode != "rules":
                continue
            data_type, value1 = _subject(run, index)
            match = _first_match(data_type, value1, param(run, "rules.rules", index, []) or [])
            if match is None:
                _to_fallback(run, index, item, outputs)
                continue
            target = match[1].get("output", 0)
            _check_range(target, len(outputs))
            outputs[int(to_number(target))].append(item)
        except Exception as error:
            if continue_on_fail(run):
                outputs[0].append(error_item(error))
                continue
            raise as_node_error(error, index) from error
    return list(outputs)


def _switch_v2(run: NodeRun) -> NodeOutput:
    outputs: list[list[Item]] = []
    for index, item in enumerate(run.items):
        try:
            rules = param(run, "rules.rules", index, []) or []
            mode = param(run, "mode", index, "rules")
            if mode == "expression":
                if index == 0:
                    outputs = [[] for _ in range(int(to_number(param(run, "outputsAmount", index, 4))))]
                target = param(run, "output", index, "")
                _check_range(target, len(outputs))
                outputs[int(to_number(target))].append(item)
                continue
            if mode != "rules":
                continue
            if index == 0:
                outputs = [[] for _ in rules]
            data_type, value1 = _subject(run, index)
            match = _first_match(data_type, value1, rules)
            if match is None:
                _to_fallback(run, index, item, outputs)
                continue
            rule_index, rule = match
            _check_range(rule.get("output"), len(outputs))
            outputs[rule_index].append(item)
        except Exception as error:
            if continue_on_fail(run) and outputs:
                outputs[0].append(error_item(error))
                continue
            raise as_node_error(error, index) from error
    return list(outputs)


def _check_range_v3(count: int, index: Any, item_index: int) -> None:
    if index is None:
        return
    number = to_number(index)
    if number == count:
        raise NodeError(
            f"The ouput {to_string(index)} is not allowed. ",
            description="Output indexes are zero based, "
            f"if you want to use the extra output use {number - 1}",
            item_index=item_index,
        )
    if number < 0 or number > count:
        raise NodeError(
            f"The ouput {to_string(index)} is not allowed",
            description=f"It has to be between 0 and {count - 1}",
            item_index=item_index,
        )


def _switch_v3(run: NodeRun) -> NodeOutput:
    outputs: list[list[Item]] = []
    mode = param(run, "mode", 0, "rules")
    rules_default = [] if "rules" in run.node.parameters else _DEFAULT_V3_RULES["values"]
    for index, item in enumerate(run.items):
        try:
            item["pairedItem"] = {"item": index}
            if mode == "expression":
                count = int(to_number(param(run, "numberOutputs", index, 4)))
                if index == 0:
                    outputs = [[] for _ in range(count)]
                target = param(run, "output", index, None)
                if not is_number(target):
                    number = to_number(target)
                    if target is None or number != number:
                        raise NodeError(f"'output' expects a number but we got '{to_string(target)}'")
                    target = number
                _check_range_v3(len(outputs), target, index)
                outputs[int(target)].append(item)
                continue
            if mode != "rules":
                continue
            rules = param(run, "rules.values", index, rules_default) or []
            if not rules:
                continue
            options = param(run, "options", index, {}) or {}
            fallback = options.get("fallbackOutput")
            if index == 0:
                outputs = [[] for _ in rules]
                if fallback == "extra":
                    outputs.append([])
            loose = loose_type_validation(run, index, options, 3.1)
            matched = False
            for rule_index, rule in enumerate(rules):
                path = f"rules.values[{rule_index}].conditions" if rules is not rules_default else None
                passed = (
                    filter_pass(run, path, index, loose=loose)
                    if path
                    else _default_rule_pass(run, rule, index, loose)
                )
                if passed:
                    matched = True
                    _check_range_v3(
                        len(outputs), rule.get("output") if isinstance(rule, dict) else None, index
                    )
                    outputs[rule_index].append(item)
                    if not options.get("allMatchingOutputs"):
                        break
            if matched or fallback is None or fallback == "none":
                continue
            if fallback == "extra":
                outputs[-1].append(item)
                continue
            _check_range_v3(len(outputs), fallback, index)
            outputs[int(to_number(fallback))].append(item)
        except Exception as error:
            if continue_on_fail(run) and outputs:
                outputs[0].append(error_item(error))
                continue
            raise as_node_error(error, index) from error
    return list(outputs) if outputs else [[]]


def _default_rule_pass(run: NodeRun, rule: dict[str, Any], index: int, loose: bool) -> bool:
    """The implicit default rule of an export without `rules` (nothing to resolve)."""
    return execute_filter(rule.get("conditions"), item_index=index, zone=workflow_zone(run))


__all__ = ["run_switch"]
