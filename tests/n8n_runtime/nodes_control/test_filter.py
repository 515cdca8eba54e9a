"""Filter node: v1 typed conditions with AND/OR, v2 filter conditions and the discarded output."""

from __future__ import annotations

from n8n_runtime.nodes.base import NodeError
from tests.n8n_runtime.nodes_control.helpers import items, jsons, run_node

PEOPLE = items(
    {"id": 1, "name": "Adam", "notes": None},
    {"id": 2, "name": "Victor", "notes": "some notes"},
    {"id": 3, "name": "Sam", "notes": "other notes"},
)


def test_v1_and_or() -> None:
    conditions = {"number": [{"value1": 2, "operation": "largerEqual", "value2": 2}]}
    out = run_node("filter", 1, {"conditions": conditions}, PEOPLE[:1])
    assert jsons(out[0]) == [{"id": 1, "name": "Adam", "notes": None}]
    assert out[0][0]["pairedItem"] == {"item": 0}


def test_v1_sets_array_paired_item_when_missing() -> None:
    out = run_node(
        "filter", 1, {"conditions": {"boolean": [{"value1": True, "value2": True}]}}, [{"json": {}}]
    )
    assert out[0][0]["pairedItem"] == [{"item": 0}]


def test_v2_kept_and_discarded() -> None:
    params = {
        "conditions": {
            "options": {"caseSensitive": False, "leftValue": "", "typeValidation": "strict"},
            "conditions": [
                {
                    "leftValue": "v",
                    "rightValue": "v",
                    "operator": {"type": "string", "operation": "startsWith"},
                }
            ],
            "combinator": "and",
        },
        "options": {"ignoreCase": True},
    }
    out = run_node("filter", 2, params, PEOPLE)
    assert len(out[0]) == 3 and out[1] == []


def test_v2_error_without_continue() -> None:
    params = {
        "conditions": {
            "options": {"caseSensitive": True, "typeValidation": "strict"},
            "conditions": [
                {"leftValue": "x", "rightValue": 1, "operator": {"type": "number", "operation": "gt"}}
            ],
            "combinator": "and",
        }
    }
    try:
        run_node("filter", 2, params, PEOPLE)
    except NodeError as error:
        assert error.item_index == 0
    else:  # pragma: no cover
        raise AssertionError("expected a type error")
    out = run_node("filter", 2.2, params, PEOPLE, on_error="continueErrorOutput")
    assert out[0] == [] and len(out[1]) == 3
