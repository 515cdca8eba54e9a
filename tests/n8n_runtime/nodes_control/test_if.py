"""If node: v1 typed conditions and v2+ filter conditions."""

from __future__ import annotations

from typing import Any

import pytest

from n8n_runtime.nodes.base import NodeError
from tests.n8n_runtime.nodes_control.helpers import items, jsons, run_node


def _filter(*conditions: dict[str, Any], combinator: str = "and", **options: Any) -> dict[str, Any]:
    return {
        "options": {"caseSensitive": True, "leftValue": "", "typeValidation": "strict", **options},
        "conditions": list(conditions),
        "combinator": combinator,
    }


def _cond(left: Any, op_type: str, operation: str, right: Any = "", **extra: Any) -> dict[str, Any]:
    return {
        "leftValue": left,
        "rightValue": right,
        "operator": {"type": op_type, "operation": operation, **extra},
    }


def test_v1_number_default_operation_is_smaller() -> None:
    # An export omits `operation` when it is the default ("smaller" for numbers).
    out = run_node("if", 1, {"conditions": {"number": [{"value1": 1, "value2": 3}]}}, items({"a": 1}))
    assert jsons(out[0]) == [{"a": 1}] and out[1] == []


def test_v1_any_and_all() -> None:
    conditions = {
        "string": [{"value1": "abc", "operation": "contains", "value2": "b"}],
        "number": [{"value1": 5, "operation": "larger", "value2": 10}],
    }
    all_out = run_node("if", 1, {"conditions": conditions}, items({}))
    any_out = run_node("if", 1, {"conditions": conditions, "combineOperation": "any"}, items({}))
    assert all_out[0] == [] and len(all_out[1]) == 1
    assert len(any_out[0]) == 1 and any_out[1] == []


@pytest.mark.parametrize(
    ("operation", "value1", "value2", "expected"),
    [
        ("equal", "1", 1, False),  # === is type-strict
        ("equal", 1, 1.0, True),
        ("notEqual", True, 1, True),
        ("larger", "10", "9", False),  # both strings: code-unit order
        ("larger", "10", 9, True),  # mixed: numeric
        ("smaller", None, 1, True),  # (null || 0) < 1
        ("startsWith", "hello", "he", True),
        ("notEndsWith", "hello", "lo", False),
        ("isEmpty", {}, None, True),
        ("isEmpty", [], None, True),
        ("isNotEmpty", 0, None, True),
        ("regex", "Victor", "/^v/i", True),
        ("regex", "Victor", "^v", False),
        ("notRegex", "SAM", "^[A-Z]+$/", True),  # a literal "/" after $ can never match
    ],
)
def test_v1_operations(operation: str, value1: Any, value2: Any, expected: bool) -> None:
    data_type = "string" if operation in ("startsWith", "notEndsWith", "regex", "notRegex") else "number"
    params = {"conditions": {data_type: [{"value1": value1, "operation": operation, "value2": value2}]}}
    out = run_node("if", 1, params, items({}))
    assert bool(out[0]) is expected


def test_v1_date_time_after_and_invalid() -> None:
    params = {
        "conditions": {"dateTime": [{"value1": "2023-01-02T00:00:00.000-05:00", "value2": "2023-01-01"}]}
    }
    assert len(run_node("if", 1, params, items({}))[0]) == 1
    bad = {"conditions": {"dateTime": [{"value1": "not a date", "value2": "2023-01-01"}]}}
    with pytest.raises(NodeError, match='The value "not a date" is not a valid DateTime.'):
        run_node("if", 1, bad, items({}))


def test_v2_string_ignore_case_and_combinator() -> None:
    conditions = _filter(
        _cond("Sam", "string", "startsWith", "s"),
        _cond("Sam", "string", "equals", "nope"),
        combinator="or",
        caseSensitive=False,
    )
    out = run_node("if", 2, {"conditions": conditions}, items({"n": 1}))
    assert jsons(out[0]) == [{"n": 1}]


def test_v2_strict_type_error_and_loose_conversion() -> None:
    strict = _filter(_cond("5", "number", "equals", 5))
    with pytest.raises(NodeError) as info:
        run_node("if", 2, {"conditions": strict}, items({}))
    assert (
        info.value.message == "Wrong type: '5' is a string but was expecting a number [condition 0, item 0]"
    )
    assert info.value.item_index == 0
    loose = _filter(_cond("5", "number", "equals", 5), typeValidation="loose")
    assert len(run_node("if", 2.2, {"conditions": loose}, items({}))[0]) == 1


def test_v2_continue_on_fail_sends_failures_to_false() -> None:
    strict = _filter(_cond("x", "number", "gt", 1))
    out = run_node("if", 2, {"conditions": strict}, items({"a": 1}), on_error="continueRegularOutput")
    assert out[0] == [] and jsons(out[1]) == [{"a": 1}]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (_cond(True, "boolean", "true", singleValue=True), True),
        (_cond("false", "boolean", "false", singleValue=True), False),  # strict: "false" is invalid -> error
        (_cond(["a", "B"], "array", "contains", "b", rightType="any"), False),
        (_cond([1, 2, 3], "array", "lengthGt", 2, rightType="number"), True),
        (_cond({}, "object", "empty", singleValue=True), True),
        (_cond(None, "string", "notExists", singleValue=True), True),
        (_cond("2023-10-20T16:45:52.367Z", "dateTime", "before", "2023-10-21"), True),
        (_cond(3, "number", "lte", 3), True),
        (_cond("abc", "string", "regex", "/B/i"), True),
    ],
)
def test_v2_operators(condition: dict[str, Any], expected: bool) -> None:
    params = {"conditions": _filter(condition)}
    if condition["leftValue"] == "false":
        with pytest.raises(NodeError):
            run_node("if", 2, params, items({}))
        return
    out = run_node("if", 2, params, items({}))
    assert bool(out[0]) is expected


def test_v2_sets_missing_paired_item() -> None:
    out = run_node("if", 2, {"conditions": _filter(_cond(1, "number", "equals", 1))}, [{"json": {}}])
    assert out[0][0]["pairedItem"] == {"item": 0}
