"""Edit Fields (Set) node, all typeVersions."""

from __future__ import annotations

import pytest

from n8n_runtime.nodes.base import NodeError
from tests.n8n_runtime.nodes_data.helpers import execute, jsons


def test_v1_sets_typed_values_with_dot_notation() -> None:
    params = {"values": {"string": [{"name": "a.b", "value": "x"}], "number": [{"name": "n[1]", "value": 2}]}}
    out = execute("set", 1, params, [{"keep": 1}])
    assert jsons(out) == [{"keep": 1, "a": {"b": "x"}, "n": [None, 2]}]
    assert out[0]["pairedItem"] == {"item": 0}


def test_v1_defaults_and_keep_only_set_and_no_dot_notation() -> None:
    params = {"keepOnlySet": True, "values": {"number": [{}]}, "options": {"dotNotation": False}}
    assert jsons(execute("set", 1, params, [{"x": 1}])) == [{"propertyName": 0}]
    params = {"values": {"string": [{"name": "a.b", "value": "v"}]}, "options": {"dotNotation": False}}
    assert jsons(execute("set", 1, params, [{}])) == [{"a.b": "v"}]


def test_v2_converts_numeric_strings_v1_does_not() -> None:
    params = {"values": {"number": [{"name": "n", "value": "12"}]}}
    assert jsons(execute("set", 1, params, [{}])) == [{"n": "12"}]
    assert jsons(execute("set", 2, params, [{}])) == [{"n": 12}]


def test_v1_emits_one_item_without_input() -> None:
    assert jsons(execute("set", 1, {"values": {"boolean": [{"name": "b", "value": True}]}}, [])) == [
        {"b": True}
    ]


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("numberValue", "3.5", 3.5),
        ("booleanValue", "0", False),
        ("booleanValue", "TRUE", True),
        ("arrayValue", "['a', 'b']", ["a", "b"]),
        ("objectValue", "{a: 1, 'b': [1,],}", {"a": 1, "b": [1]}),
        ("stringValue", "plain", "plain"),
    ],
)
def test_v3_type_conversion(kind: str, value: str, expected: object) -> None:
    params = {"fields": {"values": [{"name": "f", "type": kind, kind: value}]}, "include": "none"}
    assert jsons(execute("set", 3.2, params, [{"x": 1}])) == [{"f": expected}]


def test_v3_conversion_error_wording_and_ignore_option() -> None:
    params = {"fields": {"values": [{"name": "f", "type": "numberValue", "numberValue": "abc"}]}}
    with pytest.raises(NodeError) as caught:
        execute("set", 3.1, params, [{}])
    assert caught.value.message == "'f' expects a number but we got 'abc' [item 0]"
    params["options"] = {"ignoreConversionErrors": True}
    assert jsons(execute("set", 3.1, params, [{}])) == [{"f": "abc"}]


def test_v33_assignments_and_include_modes() -> None:
    base = {"assignments": {"assignments": [{"name": "t", "type": "number", "value": "7"}]}}
    data = [{"a": 1, "b": {"c": 2}, "d": 3}]
    assert jsons(execute("set", 3.3, base, data)) == [{"t": 7}]
    keep_all = {**base, "includeOtherFields": True}
    assert jsons(execute("set", 3.3, keep_all, data)) == [{"a": 1, "b": {"c": 2}, "d": 3, "t": 7}]
    selected = {**keep_all, "include": "selected", "includeFields": "a, b.c"}
    assert jsons(execute("set", 3.3, selected, data)) == [{"a": 1, "c": 2, "t": 7}]
    except_ = {**keep_all, "include": "except", "excludeFields": "a,b.c"}
    assert jsons(execute("set", 3.4, except_, data)) == [{"b": {}, "d": 3, "t": 7}]


def test_v34_binary_kept_unless_stripped() -> None:
    item = {"json": {"a": 1}, "binary": {"data": {"mimeType": "text/plain"}}}
    params = {"assignments": {"assignments": []}, "includeOtherFields": True}
    assert "binary" in execute("set", 3.4, params, items=[item])[0]
    params["options"] = {"stripBinary": True}
    assert "binary" not in execute("set", 3.4, params, items=[item])[0]
    assert "binary" not in execute("set", 3.3, {"assignments": {"assignments": []}}, items=[item])[0]


def test_v3_raw_mode_and_invalid_json() -> None:
    out = execute("set", 3.4, {"mode": "raw", "jsonOutput": '{"k": [1, 2]}'}, [{"x": 1}])
    assert jsons(out) == [{"k": [1, 2]}]
    with pytest.raises(NodeError) as caught:
        execute("set", 3.4, {"mode": "raw", "jsonOutput": "[1]"}, [{}])
    assert caught.value.message == "The 'JSON Output' in item 0 does not contain a valid JSON object"


def test_v32_null_values_become_null() -> None:
    params = {"fields": {"values": [{"name": "f", "type": "numberValue", "numberValue": None}]}}
    assert jsons(execute("set", 3.2, params, [{}]))[0]["f"] is None
