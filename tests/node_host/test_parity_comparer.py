"""The n8n parity comparer rewrites only what its rules name, and reports everything else."""

from __future__ import annotations

from typing import Any

from tests.node_host.n8n_parity.comparer import (
    RULES,
    compare_runs,
    differences,
    normalise,
    restore_placeholders,
)


def _run(
    json: dict[str, Any], binary_id: str = "filesystem-v2:workflows/a/executions/1/binary_data/u1"
) -> Any:
    item = {
        "json": json,
        "binary": {"data": {"id": binary_id, "fileSize": "10 B", "mimeType": "text/plain"}},
        "pairedItem": {"item": 0},
    }
    return {"Node": [{"data": {"main": [[item]]}, "startTime": 1, "executionTime": 3, "source": []}]}


def _recorded(json: dict[str, Any]) -> Any:
    run = _run(json, "filesystem-v2:workflows/b/executions/9/binary_data/u2")
    return {"Node": [{"main": run["Node"][0]["data"]["main"]}]}


def test_equal_runs_differ_only_in_rewritten_fields() -> None:
    assert compare_runs(_recorded({"a": 1}), _run({"a": 1}), {}) == []


def test_a_changed_value_is_reported_with_its_path() -> None:
    [diff] = compare_runs(_recorded({"a": 1}), _run({"a": 2}), {})
    assert diff == "Node/0/main/0/0/json/a: n8n 1, Hive 2"


def test_missing_and_extra_keys_and_lengths_are_reported() -> None:
    assert differences({"a": 1}, {"b": 1}) == [
        "<root>: n8n has 'a', Hive lacks it",
        "<root>: Hive has 'b' = 1, n8n lacks it",
    ]
    assert differences([1, 2], [1]) == ["<root>: n8n has 2 entries, Hive 1: [1]"]


def test_numbers_are_json_numbers_but_bools_are_not() -> None:
    assert differences(7, 7.0) == []
    assert differences(True, 1) != []
    assert differences("7", 7) != []


def test_binary_fields_other_than_the_id_are_compared() -> None:
    run = _run({})
    run["Node"][0]["data"]["main"][0][0]["binary"]["data"]["fileSize"] = "11 B"
    assert compare_runs(_recorded({}), run, {}) == [
        "Node/0/main/0/0/binary/data/fileSize: n8n '10 B', Hive '11 B'"
    ]


def test_placeholders_restore_in_values_and_keys_longest_first() -> None:
    values = {"__BASE_URL__": "http://127.0.0.1:4100", "__SUFFIX__": "ab12"}
    restored = restore_placeholders({"k:ab12": "http://127.0.0.1:4100/feed"}, values)
    assert restored == {"k:__SUFFIX__": "__BASE_URL__/feed"}


def test_every_rule_states_its_reason_and_rewrites_only_its_field() -> None:
    assert all(rule.reason for rule in RULES)
    mail = {"messageId": "<x@y>", "envelopeTime": 3, "messageSize": 298, "id": "kept"}
    assert normalise(mail) == {
        "messageId": "<message id>",
        "envelopeTime": "<ms>",
        "messageSize": 298,
        "id": "kept",
    }
