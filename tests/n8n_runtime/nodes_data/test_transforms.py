"""Split Out, Aggregate, Limit, Sort, Remove Duplicates, Rename Keys."""

from __future__ import annotations

from typing import Any

import pytest

from hive_core.errors import ExpressionError
from n8n_runtime.nodes.base import NodeError
from n8n_runtime.nodes.data.sort import deterministic_shuffle
from tests.n8n_runtime.nodes_data.helpers import execute, jsons

ROWS = [{"k": 2, "s": "b"}, {"k": 1, "s": "A"}, {"k": 2, "s": "c"}]


def test_split_out_modes() -> None:
    data = [{"list": [{"v": 1}, {"v": 2}], "other": "o", "n": {"x": 5}}]
    assert jsons(execute("splitOut", 1, {"fieldToSplitOut": "list"}, data)) == [{"v": 1}, {"v": 2}]
    out = execute("splitOut", 1, {"fieldToSplitOut": "list", "include": "allOtherFields"}, data)
    assert jsons(out) == [
        {"other": "o", "n": {"x": 5}, "list": {"v": 1}},
        {"other": "o", "n": {"x": 5}, "list": {"v": 2}},
    ]
    params = {
        "fieldToSplitOut": "n",
        "include": "selectedOtherFields",
        "fieldsToInclude": "other",
        "options": {"destinationFieldName": "d"},
    }
    assert jsons(execute("splitOut", 1, params, data)) == [{"d": 5, "other": "o"}]
    assert out[1]["pairedItem"] == {"item": 0}


def test_split_out_destination_count_must_match() -> None:
    with pytest.raises(NodeError):
        execute(
            "splitOut", 1, {"fieldToSplitOut": "a,b", "options": {"destinationFieldName": "x"}}, [{"a": [1]}]
        )


def test_aggregate_individual_and_all() -> None:
    data: list[dict[str, Any]] = [{"a": {"b": 1}, "l": [1, None]}, {"a": {"b": None}, "l": [2]}]
    params = {
        "fieldsToAggregate": {"fieldToAggregate": [{"fieldToAggregate": "a.b"}, {"fieldToAggregate": "l"}]},
        "options": {"mergeLists": True},
    }
    out = execute("aggregate", 1, params, data)
    assert jsons(out) == [{"b": [1], "l": [1, 2]}]
    assert out[0]["pairedItem"] == [{"item": 0}, {"item": 1}]
    params["options"] = {"keepMissing": True}
    assert jsons(execute("aggregate", 1, params, data)) == [{"b": [1, None], "l": [[1, None], [2]]}]
    all_params = {"aggregate": "aggregateAllItemData", "include": "specifiedFields", "fieldsToInclude": "l"}
    assert jsons(execute("aggregate", 1, all_params, data)) == [{"data": [{"l": [1, None]}, {"l": [2]}]}]


def test_limit() -> None:
    assert jsons(execute("limit", 1, {"maxItems": 2}, ROWS)) == ROWS[:2]
    out = execute("limit", 1, {"maxItems": 1, "keep": "lastItems"}, ROWS)
    assert jsons(out) == ROWS[2:] and out[0]["pairedItem"] == {"item": 2}


def test_sort_simple_and_missing_field() -> None:
    params = {"sortFieldsUi": {"sortField": [{"fieldName": "k"}, {"fieldName": "s", "order": "descending"}]}}
    assert [r["s"] for r in jsons(execute("sort", 1, params, ROWS))] == ["A", "c", "b"]
    with pytest.raises(NodeError, match="Couldn't find the field 'zz' in the input data"):
        execute("sort", 1, {"sortFieldsUi": {"sortField": [{"fieldName": "zz"}]}}, ROWS)


def test_sort_with_code_runs_a_js_comparator() -> None:
    # n8n wraps the code as `items.sort((a, b) => { code })`, in sloppy mode.
    code = (
        "f = 'k';\nif (a.json[f] !== b.json[f]) return a.json[f] - b.json[f];\n"
        "return a.json.s < b.json.s ? 1 : -1;"
    )
    out = execute("sort", 1, {"type": "code", "code": code}, ROWS)
    assert [r["s"] for r in jsons(out)] == ["A", "c", "b"]
    assert [i["pairedItem"] for i in out] == [{"item": 1}, {"item": 2}, {"item": 0}]
    # V8's stable sort: a comparator that calls everything equal keeps the input order.
    assert jsons(execute("sort", 1, {"type": "code", "code": "return 0"}, ROWS)) == ROWS


def test_sort_with_code_errors() -> None:
    with pytest.raises(NodeError, match="Sort code doesn't return"):
        execute("sort", 1, {"type": "code", "code": "a.json.k - b.json.k"}, ROWS)
    with pytest.raises(ExpressionError) as info:
        execute("sort", 1, {"type": "code", "code": "return a.json.x.y"}, ROWS)
    assert info.value.details["n8n_message"] == "Cannot read properties of undefined (reading 'y')"


def test_sort_random_is_deterministic() -> None:
    items = [{"json": {"i": i}} for i in range(10)]
    assert deterministic_shuffle(items, "a:0") == deterministic_shuffle(items, "a:0")
    assert sorted(i["json"]["i"] for i in deterministic_shuffle(items, "a:0")) == list(range(10))
    assert deterministic_shuffle(items, "a:0") != deterministic_shuffle(items, "b:0")


def test_remove_duplicates_versions() -> None:
    data = [{"a": 1, "b": 1}, {"a": 1, "b": 1}, {"a": 1, "b": 2}]
    assert jsons(execute("removeDuplicates", 1, {}, data)) == [data[0], data[2]]
    params = {"compare": "selectedFields", "fieldsToCompare": "a", "options": {"removeOtherFields": True}}
    assert jsons(execute("removeDuplicates", 1.1, params, data)) == [{"a": 1}]
    assert jsons(
        execute("removeDuplicates", 2, {"compare": "allFieldsExcept", "fieldsToExclude": "b"}, data)
    ) == [data[0]]
    with pytest.raises(NodeError, match="not supported yet"):
        execute("removeDuplicates", 2, {"operation": "removeItemsRepeatedInPreviousExecutions"}, data)
    with pytest.raises(NodeError, match="isn't always the same type"):
        execute(
            "removeDuplicates",
            1,
            {"compare": "selectedFields", "fieldsToCompare": "a"},
            [{"a": 1}, {"a": "1"}],
        )


def test_rename_keys_plain_dot_and_regex() -> None:
    params = {
        "keys": {"key": [{"currentKey": "a.b", "newKey": "c"}, {"currentKey": "x"}]},
        "additionalOptions": {
            "regexReplacement": {
                "replacements": [{"searchRegex": "^(n)(um)", "replaceRegex": "$2$1", "options": {}}]
            }
        },
    }
    out = execute("renameKeys", 1, params, [{"a": {"b": 1}, "x": 2, "num": {"numb": 3}}])
    assert jsons(out) == [{"a": {}, "x": 2, "c": 1, "umn": {"umnb": 3}}]
