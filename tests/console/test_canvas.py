"""The canvas and the node pages, pure: statuses, counts, geometry, input/output paging."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from api.console.graph import build_canvas, node_status
from api.console.lists import webhook_urls
from api.console.run_data import node_page
from api.console.run_source import plan_to_n8n
from hive_core.approvals import ApprovalGate, GateState
from n8n_import import compile_export
from tests.builders import chain, node
from workflows.n8n_models import ExecutionStatus, N8nRunSnapshot, RunningNode

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _task(index: int, items: list[int], status: str = "success", **extra: Any) -> dict[str, Any]:
    main = [[{"json": {"i": i}} for i in range(n)] for n in items]
    task = {"executionIndex": index, "executionStatus": status, "executionTime": 5, "data": {"main": main}}
    return {**task, **extra}


def _running(name: str) -> RunningNode:
    return RunningNode(name=name, run_index=0, started_at=NOW)


def _snapshot(status: ExecutionStatus = ExecutionStatus.RUNNING, **fields: Any) -> N8nRunSnapshot:
    return N8nRunSnapshot(status=status, started_at=NOW, **fields)


def test_each_status_has_its_rule() -> None:
    wait = node("Wait", "wait", 1.1, resume="webhook")
    timer = node("Timer", "wait", 1.1)
    running = _snapshot(running_nodes=[_running("A"), _running("Timer")])
    assert node_status({**node("A", "noOp", 1), "disabled": True}, [], running, True) == "disabled"
    assert node_status(node("A", "noOp", 1), [], running, True) == "running"
    assert node_status(timer, [], running, True) == "timer"
    waiting = _snapshot(ExecutionStatus.WAITING, running_nodes=[_running("Wait")])
    assert node_status(wait, [], waiting, True) == "webhook"
    gate = ApprovalGate(
        gate_id="node:Send", node="Send", state=GateState.PENDING, requested_at=NOW, deadline=NOW
    )
    assert node_status(node("Send", "noOp", 1), [], _snapshot(approvals=[gate]), True) == "approval"
    assert node_status(node("B", "noOp", 1), [_task(0, [1])], running, True) == "succeeded"
    failed_runs = [_task(0, [1]), _task(1, [], "error")]
    assert node_status(node("B", "noOp", 1), failed_runs, running, True) == "failed"
    assert node_status(node("C", "noOp", 1), [], running, True) == "waiting"
    assert node_status(node("C", "noOp", 1), [], _snapshot(ExecutionStatus.SUCCESS), False) == "skipped"


def test_edges_carry_item_counts_summed_over_runs_and_errors_are_shown() -> None:
    workflow = chain("w", [node("A", "noOp", 1, 0), node("B", "noOp", 1, 300), node("C", "code", 2, 600)])
    error = {"message": "boom <b>", "description": "details"}
    snapshot = _snapshot(
        ExecutionStatus.ERROR,
        run_data={
            "A": [_task(0, [3]), _task(2, [2])],
            "B": [_task(1, [1])],
            "C": [_task(3, [], "error", error=error)],
        },
    )
    canvas = build_canvas(workflow, snapshot, run_open=False)
    counts = {(e.source, e.target): e.items for e in canvas.edges}
    assert counts == {("A", "B"): 5, ("B", "C"): 1}
    a, _, c = canvas.nodes
    assert (a.runs, a.duration_ms, a.outputs) == (2, 10, [2])
    assert c.status == "failed" and c.error == "boom <b>: details"
    assert canvas.min_x == -60 and canvas.width == 600 + 180 + 120


def test_three_hundred_nodes_make_a_canvas_quickly() -> None:
    nodes = [node(f"N{i}", "noOp", 1, (i % 20) * 220) for i in range(300)]
    canvas = build_canvas(chain("big", nodes), _snapshot(), run_open=True)
    assert len(canvas.nodes) == 300 and len(canvas.edges) == 299


def test_node_pages_slice_outputs_and_follow_sources_for_inputs() -> None:
    source = [{"previousNode": "A", "previousNodeOutput": 1, "previousNodeRun": 0}]
    snapshot = _snapshot(run_data={"A": [_task(0, [2, 120])], "B": [_task(1, [1], source=source)]})
    page = node_page(snapshot, "A", port=1, offset=100, limit=50)
    assert (page.total, len(page.items), page.items[0]["json"]) == (120, 20, {"i": 100})
    assert [(p.label, p.items) for p in page.ports] == [("main", 2), ("output 1", 120)]
    inputs = node_page(snapshot, "B", side="input")
    assert inputs.ports[0].label == "A (output 1)" and inputs.total == 120
    assert node_page(snapshot, "Nope").runs == 0
    truncated = _snapshot(run_data={"A": [{"hiveTruncated": {"items": [7]}, "data": {"main": [[]]}}]})
    assert node_page(truncated, "A").ports[0].items == 7 and node_page(truncated, "A").truncated


def test_a_plan_becomes_a_canvas_and_names_its_webhook_urls() -> None:
    hook = {**node("Hook", "webhook", 2, 0, path="orders", httpMethod="POST"), "webhookId": "abc"}
    workflow = chain("hooked", [hook, node("Next", "noOp", 1, 200)])
    plan = compile_export(workflow)[0]
    rebuilt = plan_to_n8n(plan)
    assert [n["name"] for n in rebuilt["nodes"]] == ["Hook", "Next"]
    assert rebuilt["connections"]["Hook"]["main"][0][0]["node"] == "Next"
    assert webhook_urls(plan, "http://hive:8000") == ["POST http://hive:8000/webhook/orders"]
