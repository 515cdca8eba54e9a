"""The compiler's node-host fallback: precedence, forcing, errors naming node and field."""

from __future__ import annotations

import pytest

from hive_core.config import ClusterConfig
from hive_core.errors import CompileError
from hive_core.node_host.options import compile_options
from n8n_import import CompileOptions, compile_export
from n8n_import.node_catalog import load_catalog
from tests.builders import chain, node


def _errors(wf: dict[str, object], options: CompileOptions | None = None) -> list[tuple[str, str, str]]:
    with pytest.raises(CompileError) as info:
        compile_export(wf, options)
    return [
        (d["node"], d["field"], d["message"])
        for d in info.value.details["diagnostics"]
        if d["severity"] == "error"
    ]


def test_native_keeps_precedence_and_others_go_to_the_node_host() -> None:
    wf = chain(
        "mix",
        [
            node("Start", "manualTrigger", 1),
            node("Set", "set", 3.4),
            node("RSS", "rssFeedRead", 1, url="http://127.0.0.1/feed"),
        ],
    )
    plan = compile_export(wf)[0]
    assert plan.nodes["Set"].runner == "native"
    assert plan.nodes["RSS"].runner == "node_host"
    assert plan.node_host_queue == "hive-n8n-nodes"


def test_hive_yaml_forces_a_native_type_onto_the_node_host() -> None:
    cluster = ClusterConfig.model_validate({"node_host": {"force_types": ["set"], "task_queue": "q2"}})
    wf = chain("forced", [node("Start", "manualTrigger", 1), node("Set", "set", 3.4)])
    plan = compile_export(wf, compile_options(cluster))[0]
    assert plan.nodes["Set"].runner == "node_host"
    assert plan.node_host_queue == "q2"


def test_missing_required_parameter_names_node_and_field() -> None:
    wf = chain(
        "pg",
        [node("Start", "manualTrigger", 1), node("Query", "postgres", 2.6, operation="executeQuery")],
    )
    assert _errors(wf) == [("Query", "parameters.query", 'required parameter "query" is not set')]
    shown_elsewhere = chain(
        "pg2", [node("Start", "manualTrigger", 1), node("Q", "postgres", 2.6, operation="select", table="t")]
    )
    assert compile_export(shown_elsewhere)[0].nodes["Q"].runner == "node_host"


def test_unknown_community_type_and_unknown_version_are_errors() -> None:
    wf = chain(
        "bad",
        [
            node("Start", "manualTrigger", 1),
            {**node("Comm", "x", 1), "type": "n8n-nodes-community.thing"},
            # Airtable is a VersionedNodeType: n8n refuses versions it lacks (a plain node's
            # one description would serve any; tests/n8n_import/test_type_versions.py).
            node("RSS", "airtable", 7),
        ],
    )
    errors = _errors(wf)
    assert errors[0][:2] == ("Comm", "type") and "community node" in errors[0][2]
    assert errors[1][:2] == ("RSS", "typeVersion") and "n8n defines 1, 2, 2.1" in errors[1][2]


def test_execute_command_is_disabled_unless_enabled() -> None:
    wf = chain("cmd", [node("Start", "manualTrigger", 1), node("Cmd", "executeCommand", 1, command="ls")])
    [(name, field, message)] = _errors(wf)
    assert (name, field) == ("Cmd", "type") and "disabled by default" in message
    enabled = compile_options(
        ClusterConfig.model_validate({"node_host": {"enable_types": ["executeCommand"]}})
    )
    assert compile_export(wf, enabled)[0].nodes["Cmd"].runner == "node_host"


def test_service_triggers_compile_and_missing_node_js_is_a_clear_error() -> None:
    # Webhook triggers (registered on activation) and connection-keeping ones (trigger()).
    trig = chain(
        "tg",
        [node("TG", "telegramTrigger", 1.1, updates=["message"]), node("Set", "set", 3.4)],
    )
    plan = compile_export(trig)[0]
    assert plan.nodes["TG"].runner == "node_host" and plan.start_nodes == ["TG"]
    imap = chain("imap", [node("Mail", "emailReadImap", 2), node("Set", "set", 3.4)])
    assert compile_export(imap)[0].nodes["Mail"].runner == "node_host"
    # A trigger Hive serves natively cannot be sent to the node host.
    hook = chain("hook", [node("Hook", "webhook", 2, path="x"), node("Set", "set", 3.4)])
    [(name, _, message)] = _errors(hook, CompileOptions(force_types=frozenset({"n8n-nodes-base.webhook"})))
    assert name == "Hook" and "natively" in message
    rss = node("RSS", "rssFeedRead", 1, url="http://127.0.0.1/feed")
    wf = chain("rss", [node("Start", "manualTrigger", 1), rss])
    [(name, _, message)] = _errors(wf, CompileOptions(node_host_unavailable="Node.js >= 20 was not found"))
    assert name == "RSS" and "Node.js >= 20" in message


def test_catalog_covers_the_pinned_release() -> None:
    catalog = load_catalog()
    assert catalog.version == "n8n-nodes-base@1.121.53"
    assert len(catalog.nodes) >= 430
    http = catalog.get("n8n-nodes-base.httpRequest")
    assert http is not None and 4.3 in http.versions
    gmail = catalog.get("n8n-nodes-base.gmailTrigger")
    assert gmail is not None and gmail.trigger and gmail.poll
