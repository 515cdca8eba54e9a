"""The scheduler continues a failed run from its failed node (`pending_work` → `resume`): pure tests."""

from __future__ import annotations

import json

from n8n_runtime.engine import LocalExecutor, RunStatus, WorkflowRun
from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.control import CONTROL_NODES
from tests.n8n_runtime.engine.helpers import CODE, Counting, fake_code, node, output, run, workflow

ITEMS = {"items": [{"n": 1}, {"n": 2}]}


def _branches(order: str = "v1") -> tuple[Counting, dict[str, bool]]:
    broken = {"Flaky": True}

    def code(run: NodeRun) -> NodeOutput:
        if broken.get(run.node.name):
            raise NodeError("flaky failed", item_index=0)
        return fake_code(run)

    return Counting({**CONTROL_NODES, CODE: code}), broken


async def test_retry_keeps_finished_nodes_and_pending_branches() -> None:
    # Data feeds two branches; v1 runs the upper one (Flaky) first, so Other is still on the stack
    # when Flaky fails: the retry must run both, and never Data again.
    plan = workflow(
        [
            node("Trigger", "manualTrigger"),
            node("Data", "code", 2, ITEMS),
            node("Flaky", "code", 2, {"echo": True}, position=(200, 0)),
            node("Other", "code", 2, {"echo": True}, position=(200, 300)),
        ],
        [("Trigger", "Data"), ("Data", "Flaky"), ("Data", "Other")],
    )
    counting, broken = _branches()

    failed_run = WorkflowRun(plan, clock=lambda: 1000)
    failed = await failed_run.run(LocalExecutor(counting.functions))
    assert failed.status is RunStatus.ERROR and failed.node_execution_order == ["Trigger", "Data", "Flaky"]
    # What Temporal stores is JSON.
    pending = json.loads(json.dumps(failed_run.pending_work()))
    assert [entry["node"] for entry in pending["stack"]] == ["Flaky", "Other"]

    broken["Flaky"] = False
    retried = await run(plan, functions=counting.functions, resume=pending)
    assert retried.status is RunStatus.SUCCESS
    assert counting.calls == {"Trigger": 1, "Data": 1, "Flaky": 2, "Other": 1}
    assert retried.node_execution_order == ["Trigger", "Data", "Flaky", "Other"]
    assert (
        len(retried.run_data["Flaky"]) == 1 and retried.run_data["Flaky"][0]["executionStatus"] == "success"
    )
    assert retried.run_data["Flaky"][0]["executionIndex"] == 2
    assert output(retried, "Flaky") == ITEMS["items"] and output(retried, "Other") == ITEMS["items"]


async def test_waiting_merge_input_survives_the_retry() -> None:
    # Merge waits for input 1 while input 0's branch fails in between (legacy v0 order).
    plan = workflow(
        [
            node("Trigger", "manualTrigger"),
            node("Left", "code", 2, ITEMS),
            node("Flaky", "code", 2, {"echo": True}),
            node("Merge", "merge", 2, {"mode": "append"}),
        ],
        [("Trigger", "Left"), ("Left", "Merge", 0, 0), ("Trigger", "Flaky"), ("Flaky", "Merge", 0, 1)],
        order="v0",
    )
    counting, broken = _branches()

    failed_run = WorkflowRun(plan, clock=lambda: 1000)
    assert (await failed_run.run(LocalExecutor(counting.functions))).status is RunStatus.ERROR
    pending = json.loads(json.dumps(failed_run.pending_work()))
    assert list(pending["waiting"]) == ["Merge"]
    broken["Flaky"] = False
    retried = await run(plan, functions=counting.functions, resume=pending)
    assert retried.status is RunStatus.SUCCESS, retried.error
    assert counting.calls["Left"] == 1
    clean = await run(plan, functions=_branches()[0].functions | {CODE: fake_code})
    assert output(retried, "Merge") == output(clean, "Merge")
    assert len(output(retried, "Merge") or []) == 3
