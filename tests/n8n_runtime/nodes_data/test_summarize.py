"""Summarize node."""

from __future__ import annotations

import pytest

from n8n_runtime.nodes.base import NodeError
from tests.n8n_runtime.nodes_data.helpers import execute, jsons

DATA = [
    {"g": "x", "v": 1, "t": "a"},
    {"g": "y", "v": 4, "t": ""},
    {"g": "x", "v": 2, "t": "a"},
    {"g": 0, "v": None, "t": "b"},
]


def _values(*entries: dict[str, object]) -> dict[str, object]:
    return {"values": list(entries)}


def test_aggregations_without_split() -> None:
    params = {
        "fieldsToSummarize": _values(
            {"aggregation": "sum", "field": "v"},
            {"aggregation": "average", "field": "v"},
            {"aggregation": "min", "field": "v"},
            {"aggregation": "max", "field": "v"},
            {"field": "t"},
            {"aggregation": "countUnique", "field": "t", "includeEmpty": True},
            {"aggregation": "concatenate", "field": "t", "separateBy": "other", "customSeparator": "|"},
        )
    }
    out = execute("summarize", 1.1, params, DATA)
    assert jsons(out) == [
        {
            "sum_v": 7,
            "average_v": 7 / 3,
            "min_v": 1,
            "max_v": 4,
            "count_t": 3,
            "unique_count_t": 3,
            "concatenated_t": "a|a|b",
        }
    ]
    assert out[0]["pairedItem"] == [{"item": i} for i in range(4)]


def test_split_by_keeps_types_in_v11_and_strings_in_v1() -> None:
    params = {"fieldsToSummarize": _values({"aggregation": "append", "field": "v"}), "fieldsToSplitBy": "g"}
    assert jsons(execute("summarize", 1.1, params, DATA)) == [
        {"g": "x", "appended_v": [1, 2]},
        {"g": "y", "appended_v": [4]},
        {"g": 0, "appended_v": []},
    ]
    assert [r["g"] for r in jsons(execute("summarize", 1, params, DATA))] == ["x", "y", "0"]
    single = {**params, "options": {"outputFormat": "singleItem"}}
    assert jsons(execute("summarize", 1.1, single, DATA)) == [
        {"x": {"appended_v": [1, 2]}, "y": {"appended_v": [4]}, "0": {"appended_v": []}}
    ]


def test_missing_field_errors_only_in_v1() -> None:
    params = {"fieldsToSummarize": _values({"field": "nope"})}
    with pytest.raises(NodeError, match="The field 'nope' does not exist in any items"):
        execute("summarize", 1, params, DATA)
    assert jsons(execute("summarize", 1.1, params, DATA)) == [{"count_nope": 0}]
