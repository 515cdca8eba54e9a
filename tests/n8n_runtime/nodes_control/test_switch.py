"""Switch node: v1 (4 outputs), v2 (rules / expression), v3 (filter rules, fallback, all matches)."""

from __future__ import annotations

from typing import Any

import pytest

from n8n_runtime.nodes.base import NodeError
from tests.n8n_runtime.nodes_control.helpers import items, jsons, run_node


def test_v1_rules_with_fallback() -> None:
    params = {
        "dataType": "string",
        "value1": "b",
        "rules": {"rules": [{"value2": "a"}, {"value2": "b", "output": 2}]},
        "fallbackOutput": 3,
    }
    out = run_node("switch", 1, params, items({"x": 1}))
    assert [len(o or []) for o in out] == [0, 0, 1, 0]
    params["value1"] = "zzz"
    out = run_node("switch", 1, params, items({"x": 1}))
    assert [len(o or []) for o in out] == [0, 0, 0, 1]


def test_v1_expression_mode_range_check() -> None:
    out = run_node("switch", 1, {"mode": "expression", "output": 1}, items({}))
    assert [len(o or []) for o in out] == [0, 1, 0, 0]
    with pytest.raises(NodeError, match="The ouput 4 is not allowed"):
        run_node("switch", 1, {"mode": "expression", "output": 4}, items({}))


def test_v2_rules_route_by_rule_index() -> None:
    params = {
        "dataType": "number",
        "value1": 5,
        "rules": {"rules": [{"operation": "larger", "value2": 10}, {"operation": "smaller", "value2": 10}]},
    }
    out = run_node("switch", 2, params, items({}))
    assert [len(o or []) for o in out] == [0, 1]


def test_v2_expression_outputs_amount() -> None:
    out = run_node("switch", 2, {"mode": "expression", "outputsAmount": 2, "output": 1}, items({}, {}))
    assert [len(o or []) for o in out] == [0, 2]


def _rule(right: str, **extra: Any) -> dict[str, Any]:
    return {
        "conditions": {
            "options": {"caseSensitive": True, "leftValue": "", "typeValidation": "strict"},
            "conditions": [
                {"leftValue": "a", "rightValue": right, "operator": {"type": "string", "operation": "equals"}}
            ],
            "combinator": "and",
        },
        **extra,
    }


def test_v3_fallback_extra_and_all_matching() -> None:
    rules = {"values": [_rule("a"), _rule("b"), _rule("a")]}
    out = run_node("switch", 3, {"rules": rules, "options": {"fallbackOutput": "extra"}}, items({}))
    assert [len(o or []) for o in out] == [1, 0, 0, 0]
    out = run_node("switch", 3.2, {"rules": rules, "options": {"allMatchingOutputs": True}}, items({}))
    assert [len(o or []) for o in out] == [1, 0, 1]
    none_match = {"values": [_rule("x")]}
    out = run_node(
        "switch", 3, {"rules": none_match, "options": {"fallbackOutput": "extra"}}, items({"k": 1})
    )
    assert jsons(out[1]) == [{"k": 1}]
    out = run_node("switch", 3, {"rules": none_match, "options": {"fallbackOutput": 0}}, items({"k": 1}))
    assert jsons(out[0]) == [{"k": 1}]


def test_v3_default_rule_without_rules_parameter() -> None:
    # n8n's default rule compares "" with "": every item goes to output 0.
    out = run_node("switch", 3, {}, items({"k": 1}))
    assert jsons(out[0]) == [{"k": 1}]


def test_v3_expression_mode() -> None:
    out = run_node("switch", 3, {"mode": "expression", "numberOutputs": 3, "output": 2}, items({}))
    assert [len(o or []) for o in out] == [0, 0, 1]
    with pytest.raises(NodeError, match="The ouput 3 is not allowed"):
        run_node("switch", 3, {"mode": "expression", "numberOutputs": 3, "output": 3}, items({}))


def test_v3_continue_on_fail_emits_error_item() -> None:
    bad = {
        "values": [
            {
                "conditions": {
                    "options": {"typeValidation": "strict"},
                    "conditions": [
                        {"leftValue": "x", "rightValue": 1, "operator": {"type": "number", "operation": "gt"}}
                    ],
                    "combinator": "and",
                }
            }
        ]
    }
    out = run_node("switch", 3, {"rules": bad}, items({}), on_error="continueRegularOutput")
    assert out[0][0]["json"]["error"].startswith("Wrong type")
