"""Each compile error names the node, its type@version and the field; all errors come at once."""

from __future__ import annotations

from typing import Any

import pytest

from hive_core.errors import CompileError
from n8n_import import CompileOptions, compile_export
from tests.n8n_import.factory import link, node, trigger, workflow


def _errors(data: Any) -> tuple[str, list[dict[str, Any]]]:
    # Native nodes only (the node-host fallback's errors: tests/node_host/test_compile_node_host.py).
    with pytest.raises(CompileError) as info:
        compile_export(data, CompileOptions(node_host=False))
    diags = [d for d in info.value.details["diagnostics"] if d["severity"] == "error"]
    return info.value.message, diags


def test_unknown_type_and_version_are_reported_together() -> None:
    data = workflow(
        [trigger(), node("Foo", "googleSheets", 4), node("Bar", "set", 9)],
        link(("Trigger", "Foo"), ("Foo", "Bar")),
    )
    message, diags = _errors(data)
    assert message.startswith("2 errors: ")
    assert 'node "Foo" (n8n-nodes-base.googleSheets@4) type: unsupported node type; supported: ' in message
    assert (
        'node "Bar" (n8n-nodes-base.set@9) typeVersion: unsupported typeVersion 9 (supported 1, 2, 3, 3.1'
        in message
    )
    assert [(d["node"], d["node_type"], d["field"]) for d in diags] == [
        ("Foo", "n8n-nodes-base.googleSheets@4", "type"),
        ("Bar", "n8n-nodes-base.set@9", "typeVersion"),
    ]
    assert "httpRequest" in diags[0]["message"]  # the supported list travels with the diagnostic


def test_supported_list_is_shown_once_in_the_message() -> None:
    data = workflow(
        [trigger(), node("A", "slack", 2), node("B", "slack", 2)], link(("Trigger", "A"), ("A", "B"))
    )
    message, _ = _errors(data)
    assert message.count("supported: ") == 1


def test_disabled_node_of_unknown_type_is_still_an_error() -> None:
    data = workflow([trigger(), node("Off", "googleSheets", 4, disabled=True)], link(("Trigger", "Off")))
    _, [diag] = _errors(data)
    assert diag["node"] == "Off" and diag["field"] == "type"


def test_disabled_supported_node_is_compiled() -> None:
    data = workflow([trigger(), node("Off", disabled=True)], link(("Trigger", "Off")))
    assert compile_export(data)[0].nodes["Off"].disabled


def test_duplicate_node_names() -> None:
    data = workflow([trigger(), node("Same"), node("Same", "set", 2)], link(("Trigger", "Same")))
    message, [diag] = _errors(data)
    assert diag["node"] == "Same" and diag["field"] == "nodes[2].name"
    assert "duplicate node name (also nodes[1])" in message


def test_unknown_connection_type() -> None:
    data = workflow(
        [trigger(), node("A")], {"Trigger": {"sideways": [[{"node": "A", "type": "main", "index": 0}]]}}
    )
    _, [diag] = _errors(data)
    assert diag["node"] == "Trigger" and diag["field"] == 'connections["Trigger"].sideways'
    assert 'unknown connection type "sideways"' in diag["message"]


def test_broken_connection_target_and_source() -> None:
    conns = link(("Trigger", "Ghost"))
    conns["Phantom"] = {"main": [[{"node": "Trigger", "type": "main", "index": 0}]]}
    message, diags = _errors(workflow([trigger()], conns))
    assert diags[0]["node"] == "Trigger"
    assert diags[0]["field"] == 'connections["Trigger"].main[0][0].node'
    assert '"Ghost", which is not a node' in diags[0]["message"]
    assert '"Phantom" is not a node' in diags[1]["message"]
    assert "Ghost" in message and "Phantom" in message


def test_no_trigger_or_start_node() -> None:
    data = workflow([node("A"), node("B")], link(("A", "B"), ("B", "A")))
    message, diags = _errors(data)
    assert any(d["field"] == "nodes" and "no trigger or start node" in d["message"] for d in diags)
    assert "no trigger or start node" in message


def test_only_disabled_triggers() -> None:
    data = workflow([node("T", "manualTrigger", disabled=True)])
    _, [diag] = _errors(data)
    assert "all trigger nodes are disabled" in diag["message"]


def test_parentless_node_is_a_start_node_without_trigger() -> None:
    plan = compile_export(workflow([node("A"), node("B")], link(("A", "B"))))[0]
    assert plan.start_nodes == ["A"]
    assert any("no trigger node" in d.message for d in plan.diagnostics)


def test_disallowed_cycle_names_its_nodes() -> None:
    data = workflow(
        [trigger(), node("A", "set", 3.4), node("B", "noOp", 1), node("C")],
        link(("Trigger", "A"), ("A", "B"), ("B", "C"), ("C", "A")),
    )
    message, [diag] = _errors(data)
    assert (
        diag["node"] == "A"
        and diag["node_type"] == "n8n-nodes-base.set@3.4"
        and diag["field"] == "connections"
    )
    assert "A → B → C → A" in message


def test_cycle_through_a_condition_is_allowed() -> None:
    # n8n's own engine tests and the "poll until done" pattern loop through an If.
    data = workflow(
        [trigger(), node("A", "set", 3.4), node("B", "if", 2), node("C")],
        link(("Trigger", "A"), ("A", "B"), ("B", "C", 1), ("C", "A")),
    )
    assert compile_export(data)[0].nodes["B"].main_outputs[1][0].node == "C"


def test_self_loop_is_a_cycle() -> None:
    _, [diag] = _errors(workflow([trigger(), node("A")], link(("Trigger", "A"), ("A", "A"))))
    assert "A → A" in diag["message"]


@pytest.mark.parametrize(
    ("parameters", "path"),
    [
        ({"value": "={{ $json.a "}, "parameters.value"),
        ({"value": "=ok {{ 1 }} then {{ 2 "}, "parameters.value"),
        (
            {
                "assignments": {
                    "assignments": [{"name": "a", "value": "={{ $json.x }}"}, {"value": "={{ $json.y"}]
                }
            },
            "parameters.assignments.assignments[1].value",
        ),
    ],
)
def test_malformed_expression_names_parameter_path(parameters: dict[str, Any], path: str) -> None:
    data = workflow([trigger(), node("Set", "set", 3.4, parameters=parameters)], link(("Trigger", "Set")))
    message, [diag] = _errors(data)
    assert (diag["node"], diag["node_type"], diag["field"]) == ("Set", "n8n-nodes-base.set@3.4", path)
    assert "malformed expression" in diag["message"]
    assert f'node "Set" (n8n-nodes-base.set@3.4) {path}: malformed expression' in message


@pytest.mark.parametrize(
    "value",
    ["={{ $json.a }}", "=plain text }}", "no equals sign {{", r"=escaped \{{ not code", "={{ {a: 1}.a }}"],
)
def test_well_formed_or_literal_strings_pass(value: str) -> None:
    data = workflow(
        [trigger(), node("Set", "set", 3.4, parameters={"value": value})], link(("Trigger", "Set"))
    )
    compile_export(data)


def test_code_node_language() -> None:
    data = workflow(
        [trigger(), node("Py", "code", 2, parameters={"language": "ruby", "pythonCode": "return []"})],
        link(("Trigger", "Py")),
    )
    _, [diag] = _errors(data)
    assert (diag["node"], diag["field"]) == ("Py", "parameters.language")
    assert 'language "ruby" is not supported' in diag["message"]


def test_http_request_without_url() -> None:
    data = workflow(
        [trigger(), node("HTTP", "httpRequest", 4.2, parameters={"method": "POST"})],
        link(("Trigger", "HTTP")),
    )
    _, [diag] = _errors(data)
    assert (diag["node"], diag["node_type"], diag["field"]) == (
        "HTTP",
        "n8n-nodes-base.httpRequest@4.2",
        "parameters.url",
    )


def test_execute_workflow_checks() -> None:
    data = workflow(
        [
            trigger(),
            node(
                "FromFile",
                "executeWorkflow",
                1,
                parameters={"source": "localFile", "workflowPath": "/x.json"},
            ),
            node(
                "NoId",
                "executeWorkflow",
                1.2,
                parameters={"workflowId": {"__rl": True, "value": "", "mode": "list"}},
            ),
        ],
        link(("Trigger", "FromFile"), ("FromFile", "NoId")),
    )
    _, diags = _errors(data)
    assert [(d["node"], d["field"]) for d in diags] == [
        ("FromFile", "parameters.source"),
        ("NoId", "parameters.workflowId"),
    ]


def test_errors_of_several_workflows_raise_together() -> None:
    bad_a = workflow([trigger(), node("X", "slack", 2)], link(("Trigger", "X")), name="A")
    bad_b = workflow([trigger(), node("Y", "set", 99)], link(("Trigger", "Y")), name="B")
    message, diags = _errors([bad_a, bad_b])
    assert [d["workflow"] for d in diags] == ["A", "B"]
    assert message.startswith('2 errors: workflow "A" node "X"')
