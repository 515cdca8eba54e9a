"""Merge's field matching through the input-2 index gives lodash isEqual's matches, in order."""

from __future__ import annotations

import math
from typing import Any

from n8n_runtime.jsvalues import is_equal
from n8n_runtime.nodes.control._merge_fields import find_matches

VALUES: list[Any] = [1, 1.0, True, "1", 0, -0.0, False, None, "", math.nan, {"a": 1}, [1], "x"]


def _items(values: list[Any]) -> list[dict[str, Any]]:
    return [{"json": {"k": v, "i": i}} for i, v in enumerate(values)]


def _brute_force(input1: list[dict[str, Any]], input2: list[dict[str, Any]]) -> list[list[int]]:
    return [[c["json"]["i"] for c in input2 if is_equal(e["json"]["k"], c["json"]["k"])] for e in input1]


def test_index_matches_lodash_is_equal_for_every_pair_of_values() -> None:
    input1, input2 = _items(VALUES), _items(VALUES * 2)
    pairs = [{"field1": "k", "field2": "k"}]
    result = find_matches(input1, input2, pairs, {"joinMode": "keepMatches"})
    found = {m["entry"]["json"]["i"]: [c["json"]["i"] for c in m["matches"]] for m in result["matched"]}
    expected = _brute_force(input1, input2)
    assert [found.get(i, []) for i in range(len(VALUES))] == expected
    assert found[0] == [0, 1, 13, 14]  # 1 == 1.0, not true nor "1"
    assert found[9] == [9, 22]  # NaN equals NaN in lodash
    assert found[10] == [10, 23]  # objects compared one by one


def test_first_match_only_and_several_fields() -> None:
    input1 = [{"json": {"a": 1, "b": "x"}}, {"json": {"a": 2}}]
    input2 = [{"json": {"a": 1, "b": "y"}}, {"json": {"a": 1.0, "b": "x"}}, {"json": {"a": 1, "b": "x"}}]
    pairs = [{"field1": "a", "field2": "a"}, {"field1": "b", "field2": "b"}]
    result = find_matches(input1, input2, pairs, {"multipleMatches": "first"})
    assert [m["matches"] for m in result["matched"]] == [[input2[1]]]
    assert result["unmatched1"] == [input1[1]]  # its "b" is undefined: never matched
    assert result["unmatched2"] == [input2[0], input2[2]]
