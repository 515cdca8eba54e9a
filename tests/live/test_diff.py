"""RunDiffer: snapshots in, each event out once; replay ids equal live ids (pure, no Temporal)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from api.live import LlmCall, RunDiffer, parse_key
from workflows.n8n_models import ExecutionStatus, N8nRunSnapshot, RunningNode

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _task(index: int, items: int, *, error: str | None = None) -> dict[str, Any]:
    task: dict[str, Any] = {
        "startTime": 1_700_000_000_000 + index,
        "executionIndex": index,
        "executionTime": 3,
    }
    if error is None:
        task |= {"executionStatus": "success", "data": {"main": [[{"json": {}}] * items]}}
    else:
        task |= {"executionStatus": "error", "error": {"message": error}}
    return task


def _snapshot(
    order: list[str], running: str | None = None, status: ExecutionStatus = ExecutionStatus.RUNNING
) -> N8nRunSnapshot:
    run_data: dict[str, list[dict[str, Any]]] = {}
    for index, name in enumerate(order):
        run_data.setdefault(name, []).append(_task(index, items=index + 1))
    return N8nRunSnapshot(
        status=status,
        started_at=NOW,
        run_data=run_data,
        node_execution_order=order,
        running_nodes=[RunningNode(name=running, run_index=0, started_at=NOW)] if running else [],
    )


def _kinds(events: list[Any]) -> list[tuple[str, str | None]]:
    return [(e.type, getattr(e, "node", None)) for e in events]


def test_each_event_once_and_replay_has_the_same_ids() -> None:
    live = RunDiffer("run-1")
    seen = live.update(_snapshot([], running="A"), [], NOW)
    seen += live.update(_snapshot([], running="A"), [], NOW)  # nothing new: nothing sent
    seen += live.update(_snapshot(["A"], running="B"), [], NOW)
    seen += live.update(_snapshot(["A", "B", "A"]), [], NOW)
    seen += live.finish("success", None, NOW, 3)
    assert live.finish("success", None, NOW, 3) == []
    assert _kinds(seen) == [
        ("node_started", "A"),
        ("node_finished", "A"),
        ("node_started", "B"),
        ("node_finished", "B"),
        ("node_started", "A"),
        ("node_finished", "A"),
        ("run_finished", None),
    ]
    assert [e.run_index for e in seen if e.type == "node_finished"] == [0, 0, 1]
    assert [e.items for e in seen if e.type == "node_finished"] == [[1], [2], [3]]

    late = RunDiffer("run-1")
    replayed = late.update(_snapshot(["A", "B", "A"]), [], NOW) + late.finish("success", None, NOW, 3)
    assert [e.id for e in replayed] == [e.id for e in seen]
    keys = [parse_key(e.id) for e in seen]
    assert keys == sorted(keys)  # type: ignore[type-var]


def test_failed_node_and_waiting() -> None:
    differ = RunDiffer("run-2")
    waiting = differ.update(_snapshot(["A"], running="Hold", status=ExecutionStatus.WAITING), [], NOW)
    assert _kinds(waiting) == [
        ("node_started", "A"),
        ("node_finished", "A"),
        ("node_started", "Hold"),
        ("waiting", "Hold"),
    ]
    assert differ.update(_snapshot(["A"], running="Hold", status=ExecutionStatus.WAITING), [], NOW) == []
    failed = _snapshot(["A", "Hold"])
    failed.run_data["Hold"][0] = _task(1, 0, error="kaput")
    events: list[Any] = differ.update(failed, [], NOW)
    assert _kinds(events) == [("node_failed", "Hold")] and events[0].error == "kaput"


def test_tokens_deltas_from_the_heartbeat_tail() -> None:
    differ = RunDiffer("run-3")
    running = _snapshot([], running="Chat")
    first: list[Any] = differ.update(running, [LlmCall("7", tokens=1, chars=5, tail="Echo:")], NOW)[1:]
    same = differ.update(running, [LlmCall("7", tokens=1, chars=5, tail="Echo:")], NOW)
    more: list[Any] = differ.update(running, [LlmCall("7", tokens=3, chars=11, tail="Echo: hello")], NOW)
    jump: list[Any] = differ.update(running, [LlmCall("7", tokens=90, chars=500, tail="x" * 100)], NOW)
    assert same == []
    assert [(e.tokens, e.delta, e.gap, e.node) for e in first + more] == [
        (1, "Echo:", False, "Chat"),
        (3, " hello", False, "Chat"),
    ]
    # More text arrived than the tail holds: the tail is sent and the gap is flagged.
    assert jump[0].delta == "x" * 100 and jump[0].gap
