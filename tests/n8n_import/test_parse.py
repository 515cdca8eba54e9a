"""Export shapes, JSON errors and the model's n8n defaults."""

from __future__ import annotations

import json

import pytest

from hive_core.errors import CompileError
from n8n_import import compile_export, compile_workflow, parse_export
from tests.n8n_import.factory import link, node, trigger, workflow


def _simple(name: str = "Test") -> dict[str, object]:
    return workflow([trigger(), node("NoOp")], link(("Trigger", "NoOp")), name=name)


def test_single_object_text_and_bytes() -> None:
    text = json.dumps(_simple())
    assert [w.name for w in parse_export(text)] == ["Test"]
    assert [w.name for w in parse_export(text.encode())] == ["Test"]
    assert [w.name for w in parse_export(b"\xef\xbb\xbf" + text.encode())] == ["Test"]  # BOM


def test_array_of_workflows() -> None:
    plans = compile_export([_simple("A"), _simple("B")])
    assert [p.name for p in plans] == ["A", "B"]


def test_public_api_list_response() -> None:
    data = {"data": [_simple("A"), _simple("B")], "nextCursor": "abc"}
    assert [w.name for w in parse_export(data)] == ["A", "B"]


def test_public_api_single_workflow_with_extra_fields() -> None:
    data = {
        **_simple("One"),
        "id": "wf-1",
        "active": True,
        "createdAt": "2025-01-01T00:00:00.000Z",
        "shared": [{"role": "workflow:owner"}],
        "isArchived": False,
    }
    [wf] = parse_export(data)
    assert wf.id == "wf-1" and wf.active


def test_legacy_data_wrapper_and_int_id() -> None:
    [wf] = parse_export({"data": {**_simple(), "id": 7}})
    assert wf.id == "7"


def test_not_a_workflow() -> None:
    with pytest.raises(CompileError, match="not an n8n workflow export"):
        parse_export({"hello": "world"})
    with pytest.raises(CompileError, match="no workflows"):
        parse_export([])


def test_malformed_json_reports_line_and_column() -> None:
    text = '{\n  "nodes": [\n    {"name": "A",}\n  ]\n}'
    with pytest.raises(CompileError) as info:
        parse_export(text)
    assert info.value.details["line"] == 3
    assert info.value.details["column"] == 18
    assert "line 3, column 18" in info.value.message


def test_validation_error_names_node_and_field() -> None:
    data = workflow([trigger(), node("Broken", typeVersion="abc")])
    with pytest.raises(CompileError) as info:
        parse_export(data)
    [diag] = info.value.details["diagnostics"]
    assert diag["node"] == "Broken"
    assert diag["field"] == "nodes[1].typeVersion"
    assert 'node "Broken"' in info.value.message


def test_validation_error_in_multi_workflow_export_names_workflow() -> None:
    bad = workflow([{"name": "NoType", "typeVersion": 1}], name="Second")
    with pytest.raises(CompileError) as info:
        parse_export([_simple("First"), bad])
    [diag] = info.value.details["diagnostics"]
    assert diag["workflow"] == "Second" and diag["node"] == "NoType" and diag["field"] == "nodes[0].type"


def test_pin_data_is_normalised_to_item_shape() -> None:
    data = _simple()
    data["pinData"] = {"NoOp": [{"a": 1}, {"json": {"b": 2}, "pairedItem": {"item": 0}}]}
    plan = compile_workflow(parse_export(data)[0])
    assert plan.pin_data == {"NoOp": [{"json": {"a": 1}}, {"json": {"b": 2}, "pairedItem": {"item": 0}}]}


def test_pin_data_for_unknown_node_is_a_warning() -> None:
    data = _simple()
    data["pinData"] = {"Ghost": [{"a": 1}]}
    plan = compile_export(data)[0]
    assert plan.pin_data == {}
    assert any("Ghost" in d.message for d in plan.diagnostics)


def test_execution_order_defaults_to_v0() -> None:
    assert compile_export(_simple())[0].execution_order == "v0"
    v1 = {**_simple(), "settings": {"executionOrder": "v1", "timezone": "Europe/Berlin", "errorWorkflow": 12}}
    plan = compile_export(v1)[0]
    assert plan.execution_order == "v1"
    assert plan.settings.timezone == "Europe/Berlin" and plan.settings.error_workflow == "12"
    assert compile_export({**_simple(), "settings": None})[0].execution_order == "v0"


def test_static_data_object_or_json_string() -> None:
    static = {"node:T": {"a": 1}}
    assert compile_export({**_simple(), "staticData": static})[0].static_data == static
    assert compile_export({**_simple(), "staticData": '{"global": {}}'})[0].static_data == {"global": {}}
    assert compile_export({**_simple(), "staticData": None})[0].static_data is None


def test_legacy_continue_on_fail_becomes_on_error() -> None:
    data = workflow(
        [trigger(), node("A", continueOnFail=True), node("B", continueOnFail=True, onError="stopWorkflow")],
        link(("Trigger", "A"), ("A", "B")),
    )
    plan = compile_export(data)[0]
    assert plan.nodes["A"].settings.on_error == "continueRegularOutput"
    assert plan.nodes["B"].settings.on_error == "stopWorkflow"  # explicit onError wins
    assert plan.nodes["Trigger"].settings.on_error == "stopWorkflow"


def test_retry_defaults_follow_n8n_without_its_caps() -> None:
    data = workflow(
        [
            trigger(),
            node("Default", retryOnFail=True),
            node("Uncapped", retryOnFail=True, maxTries=10, waitBetweenTries=60000),
            node("Floor", retryOnFail=True, maxTries=1, waitBetweenTries=0),
            node("Off", maxTries=4),
        ],
        link(("Trigger", "Default"), ("Default", "Uncapped"), ("Uncapped", "Floor"), ("Floor", "Off")),
    )
    nodes = compile_export(data)[0].nodes
    assert (nodes["Default"].settings.max_tries, nodes["Default"].settings.wait_between_tries_ms) == (3, 1000)
    assert (nodes["Uncapped"].settings.max_tries, nodes["Uncapped"].settings.wait_between_tries_ms) == (
        10,
        60000,
    )
    assert (nodes["Floor"].settings.max_tries, nodes["Floor"].settings.wait_between_tries_ms) == (2, 0)
    assert (nodes["Off"].settings.max_tries, nodes["Off"].settings.wait_between_tries_ms) == (1, 0)


def test_node_flags_and_credentials_are_carried() -> None:
    data = workflow(
        [
            trigger(),
            node(
                "HTTP",
                "httpRequest",
                4.2,
                parameters={"url": "https://example.com"},
                credentials={"httpBasicAuth": {"id": 5, "name": "Basic"}, "legacyAuth": "Old name"},
                executeOnce=True,
                alwaysOutputData=True,
                notes="why",
            ),
        ],
        link(("Trigger", "HTTP")),
    )
    http = compile_export(data)[0].nodes["HTTP"]
    assert http.credentials["httpBasicAuth"].id == "5"
    assert http.credentials["legacyAuth"].name == "Old name"
    assert http.settings.execute_once and http.settings.always_output_data
    assert http.notes == "why"
    assert http.type_version == 4.2
