"""Merge node: v1 legacy modes, v2 combine modes, v3 multi-input modes."""

from __future__ import annotations

import pytest

from n8n_runtime.nodes.base import NodeError
from tests.n8n_runtime.nodes_control.helpers import items, jsons, run_node

A = items({"id": 1, "a": "x"}, {"id": 2, "a": "y"}, {"id": 3, "a": "z"})
B = [
    {"json": j, "pairedItem": {"item": i, "input": 1}}
    for i, j in enumerate([{"id": 2, "b": "B2"}, {"id": 9, "b": "B9"}])
]


def test_v1_append_and_pass_through() -> None:
    assert len(run_node("merge", 1, {}, A, B)[0]) == 5
    out = run_node("merge", 1, {"mode": "passThrough", "output": "input2"}, A, B)
    assert jsons(out[0]) == [{"id": 2, "b": "B2"}, {"id": 9, "b": "B9"}]


@pytest.mark.parametrize(("join", "expected"), [("left", 3), ("inner", 2), ("outer", 3)])
def test_v1_merge_by_index(join: str, expected: int) -> None:
    out = run_node("merge", 1, {"mode": "mergeByIndex", "join": join}, A, B)
    assert len(out[0]) == expected
    assert out[0][0]["json"] == {"id": 2, "a": "x", "b": "B2"}


def test_v1_key_modes() -> None:
    keys = {"propertyName1": "id", "propertyName2": "id"}
    merged = run_node("merge", 1, {"mode": "mergeByKey", **keys}, A, B)
    assert jsons(merged[0])[1] == {"id": 2, "a": "y", "b": "B2"}
    assert len(merged[0]) == 3
    keep = run_node("merge", 1, {"mode": "keepKeyMatches", **keys}, A, B)
    assert jsons(keep[0]) == [{"id": 2, "a": "y"}]
    remove = run_node("merge", 1, {"mode": "removeKeyMatches", **keys}, A, B)
    assert [j["id"] for j in jsons(remove[0])] == [1, 3]


def test_v1_multiplex_and_wait() -> None:
    assert len(run_node("merge", 1, {"mode": "multiplex"}, A, B)[0]) == 6
    wait = run_node("merge", 1, {"mode": "wait"}, A, B)
    assert wait[0] == [{"json": {}, "pairedItem": [{"item": 0}, {"item": 1}, {"item": 2}]}]


def test_v2_combine_by_fields_keep_matches() -> None:
    params = {"mode": "combine", "mergeByFields": {"values": [{"field1": "id", "field2": "id"}]}}
    out = run_node("merge", 2.1, params, A, B)
    assert jsons(out[0]) == [{"id": 2, "a": "y", "b": "B2"}]
    assert out[0][0]["pairedItem"] == [{"item": 1}, {"item": 0, "input": 1}]


@pytest.mark.parametrize(
    ("join_mode", "count"),
    [("keepNonMatches", 3), ("keepEverything", 4), ("enrichInput1", 3), ("enrichInput2", 2)],
)
def test_v2_join_modes(join_mode: str, count: int) -> None:
    params = {
        "mode": "combine",
        "joinMode": join_mode,
        "mergeByFields": {"values": [{"field1": "id", "field2": "id"}]},
    }
    assert len(run_node("merge", 2.1, params, A, B)[0]) == count


def test_v2_missing_fields_and_v20_input_check() -> None:
    with pytest.raises(NodeError, match="at least one pair of fields"):
        run_node("merge", 2.1, {"mode": "combine"}, A, B)
    params = {"mode": "combine", "mergeByFields": {"values": [{"field1": "nope", "field2": "id"}]}}
    with pytest.raises(NodeError, match="Field 'nope' is not present"):
        run_node("merge", 2, params, A, B)


def test_v2_by_position_and_multiplex_clash() -> None:
    out = run_node("merge", 2, {"mode": "combine", "combinationMode": "mergeByPosition"}, A, B)
    assert jsons(out[0]) == [{"id": 2, "a": "x", "b": "B2"}, {"id": 9, "a": "y", "b": "B9"}]
    suffix = {
        "mode": "combine",
        "combinationMode": "multiplex",
        "options": {"clashHandling": {"values": {"resolveClash": "addSuffix"}}},
    }
    out = run_node("merge", 2, suffix, A[:1], B[:1])
    assert jsons(out[0]) == [{"id_1": 1, "a_1": "x", "id_2": 2, "b_2": "B2"}]


def test_v2_choose_branch_empty() -> None:
    out = run_node("merge", 2, {"mode": "chooseBranch", "output": "empty"}, A[:1], B[:1])
    assert out[0] == [{"json": {}, "pairedItem": [{"item": 0}, {"item": 0, "input": 1}]}]


def test_deep_merge_of_nested_objects() -> None:
    left = items({"id": 1, "meta": {"a": 1, "list": [1, 2, 3]}})
    right = items({"id": 1, "meta": {"b": 2, "list": [9]}})
    params = {"mode": "combine", "mergeByFields": {"values": [{"field1": "id", "field2": "id"}]}}
    out = run_node("merge", 2.1, params, left, right)
    assert jsons(out[0]) == [{"id": 1, "meta": {"a": 1, "b": 2, "list": [9, 2, 3]}}]


def test_v3_append_three_inputs_and_choose_branch() -> None:
    third = items({"c": 1})
    out = run_node("merge", 3, {"numberInputs": 3}, A, B, third)
    assert len(out[0]) == 6
    out = run_node("merge", 3.1, {"mode": "chooseBranch", "useDataOfInput": 2}, A, B)
    assert jsons(out[0]) == jsons(B)
    with pytest.raises(NodeError, match="Input 3 doesn't exist"):
        run_node("merge", 3, {"mode": "chooseBranch", "useDataOfInput": 3}, A, B)


def test_v3_combine_by_fields_string_and_position() -> None:
    params = {"mode": "combine", "fieldsToMatchString": "id"}
    out = run_node("merge", 3, params, A, B)
    assert jsons(out[0]) == [{"id": 2, "a": "y", "b": "B2"}]
    position = {"mode": "combine", "combineBy": "combineByPosition", "options": {"includeUnpaired": True}}
    out = run_node("merge", 3.2, position, A, B)
    assert jsons(out[0])[2] == {"id": 3, "a": "z"}


def test_v3_combine_all_and_sql() -> None:
    out = run_node("merge", 3, {"mode": "combine", "combineBy": "combineAll"}, A, B)
    assert len(out[0]) == 6
    with pytest.raises(NodeError, match="not supported"):
        run_node("merge", 3, {"mode": "combineBySql"}, A, B)
