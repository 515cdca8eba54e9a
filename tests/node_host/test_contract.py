"""The Python side of the node-host wire: schema committed, Node's fixtures parse, ours are current.

`node_host/contract/fixtures/task_*.json` are written from Python (`HIVE_UPDATE_FIXTURES=1`
rewrites them) and executed by node_host/test/contract.test.js; `result_*.json` are what the
node host returned for them (written by that test) and must parse here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from hive_core.node_host.contract import (
    NodeHostResult,
    NodeHostTask,
    TriggerListenResult,
    TriggerListenTask,
    WebhookResult,
    WebhookSetupResult,
    WebhookSetupTask,
    WebhookTask,
    WireWebhookRequest,
    schema_text,
)
from n8n_import import CompileOptions, compile_export
from n8n_runtime.engine import ExecutionState, NodeRequest
from tests.builders import chain, node
from workflows.node_host_step import build_task, to_node_result
from workflows.trigger_support import trigger_wire_workflow

CONTRACT = Path(__file__).resolve().parents[2] / "node_host" / "contract"
FIXTURES = CONTRACT / "fixtures"


def test_committed_schema_is_current() -> None:
    assert (CONTRACT / "schema.json").read_text() == schema_text(), (
        "run `python -m hive_core.node_host.contract > node_host/contract/schema.json`"
    )


def _task(workflow: dict[str, Any], node_name: str, inputs: list[list[dict[str, Any]]]) -> NodeHostTask:
    plan = compile_export(workflow, CompileOptions(force_types=frozenset({"n8n-nodes-base.markdown"})))[0]
    parent = plan.nodes[node_name].parents[0]
    run_data = {parent: [{"startTime": 0, "executionTime": 0, "source": [], "data": {"main": inputs}}]}
    request = NodeRequest(
        node=plan.nodes[node_name],
        inputs=inputs,
        run_index=0,
        source=[{"previousNode": parent, "previousNodeOutput": 0, "previousNodeRun": 0}],
        connection_input=inputs[0],
        state={},
        execution=ExecutionState(plan=plan, run_data=run_data, node_contexts={}),
    )
    return build_task(
        plan,
        request,
        run_data=run_data,
        static_data={},
        execution_id="fixture-1",
        execution_mode="manual",
        resume_url=None,
    )


def python_fixtures() -> dict[str, NodeHostTask]:
    markdown = chain(
        "contract",
        [
            node("Start", "manualTrigger", 1),
            node("Markdown", "markdown", 1, mode="markdownToHtml", markdown='={{ "# Hi " + $json.who }}'),
        ],
    )
    failing = chain(
        "contract error",
        [
            node("Start", "manualTrigger", 1),
            node(
                "Markdown",
                "markdown",
                1,
                mode="markdownToHtml",
                markdown="={{ $('No such node').item.json.deeper }}",
            ),
        ],
    )
    return {
        "task_markdown": _task(markdown, "Markdown", [[{"json": {"who": "Ada"}, "pairedItem": {"item": 0}}]]),
        "task_error": _task(failing, "Markdown", [[{"json": {"who": "Ada"}, "pairedItem": {"item": 0}}]]),
        **_trigger_tasks(),
    }


def _trigger_tasks() -> dict[str, NodeHostTask]:
    """The trigger messages as workflows.webhook_trigger / trigger_listener build them."""
    telegram = chain("tg", [node("Telegram Trigger", "telegramTrigger", 1.2, updates=["message"])])
    telegram["id"] = "wf1"
    telegram["nodes"][0].update(id="node-1", webhookId="hook-1", credentials={"telegramApi": {"id": "tg"}})
    plan = compile_export(telegram)[0]
    tg = plan.nodes["Telegram Trigger"]
    wire = trigger_wire_workflow(plan, "wf1", tg, {"node:Telegram Trigger": {"registered": True}})
    base = {"execution_id": "fixture-2", "workflow": wire, "node": tg.name}
    imap = chain("imap", [node("Mail", "emailReadImap", 2, format="simple")])
    imap_plan = compile_export(imap)[0]
    return {
        "task_webhook_setup": WebhookSetupTask(
            **base, execution_mode="trigger", action="create", webhook_base_url="https://hive.example/webhook"
        ),
        "task_webhook": WebhookTask(
            **base,
            execution_mode="webhook",
            webhook_base_url="https://hive.example/webhook",
            request=WireWebhookRequest(
                method="POST",
                path="hook-1/webhook",
                headers={"content-type": "application/json"},
                body={"update_id": 1},
                raw_body="eyJ1cGRhdGVfaWQiOiAxfQ==",
            ),
        ),
        "task_listen": TriggerListenTask(
            execution_id="trigger-fixture",
            execution_mode="trigger",
            workflow=trigger_wire_workflow(imap_plan, "wf2", imap_plan.nodes["Mail"], {}),
            node="Mail",
            max_session_s=60,
        ),
    }


@pytest.mark.parametrize("name", sorted(python_fixtures()))
def test_python_fixtures_are_current(name: str) -> None:
    text = python_fixtures()[name].model_dump_json(indent=2) + "\n"
    path = FIXTURES / f"{name}.json"
    if os.environ.get("HIVE_UPDATE_FIXTURES"):
        path.write_text(text)
    assert path.read_text() == text, "set HIVE_UPDATE_FIXTURES=1 to rewrite the fixture"


def test_node_results_parse() -> None:
    ok = NodeHostResult.model_validate(json.loads((FIXTURES / "result_markdown.json").read_text()))
    assert ok.error is None and ok.outputs is not None
    first = ok.outputs[0]
    assert first is not None
    assert first[0]["json"]["data"] == '<h1 id="hiada">Hi Ada</h1>'
    assert ok.packages["n8n-nodes-base"] == "1.121.53"
    failed = NodeHostResult.model_validate(json.loads((FIXTURES / "result_error.json").read_text()))
    assert failed.error is not None and failed.outputs is None
    result = to_node_result(failed, 0)
    assert result.error is not None and "Referenced node doesn't exist" in result.error.message


def test_trigger_results_parse() -> None:
    """What the node host's trigger tests wrote (node_host/test/webhooks.test.js, listen.test.js)."""
    setup = WebhookSetupResult.model_validate(
        json.loads((FIXTURES / "result_webhook_setup.json").read_text())
    )
    assert setup.error is None
    assert [w.url for w in setup.webhooks] == ["https://hive.example/webhook/hook-1/webhook"]
    hook = WebhookResult.model_validate(json.loads((FIXTURES / "result_webhook.json").read_text()))
    assert hook.found and hook.response_mode == "onReceived" and hook.outputs is not None
    refused = WebhookResult.model_validate(json.loads((FIXTURES / "result_webhook_refused.json").read_text()))
    assert refused.no_webhook_response and refused.response is not None and refused.response.status == 403
    listen = TriggerListenResult.model_validate(json.loads((FIXTURES / "result_listen.json").read_text()))
    assert listen.ended == "error" and listen.error is not None and listen.emits == []
