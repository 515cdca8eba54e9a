"""Turn successive snapshots of a run into events, each sent once (pure; no Temporal calls).

The source polls the run's `snapshot` query and its pending LLM calls; ``RunDiffer`` remembers
what it already reported. A differ that starts on a run already under way first reports every
recorded node run (with the times the run recorded), so a late client sees the run so far.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from api.live.events import (
    PHASE_DONE,
    PHASE_RUN_FINISHED,
    PHASE_STARTED,
    PHASE_TOKENS,
    PHASE_WAITING,
    LiveEvent,
    NodeFailed,
    NodeFinished,
    NodeStarted,
    RunFinished,
    Tokens,
    Waiting,
    format_key,
)
from hive_core.approvals import GateState
from workflows.n8n_models import ExecutionStatus, N8nRunSnapshot

# Statuses in which the run is neither running a node nor waiting for anything.
_ACTIVE = frozenset({ExecutionStatus.RUNNING, ExecutionStatus.SUCCESS, ExecutionStatus.ERROR})


@dataclass(frozen=True)
class LlmCall:
    """One pending LLM call as its last heartbeat shows it."""

    call_id: str
    tokens: int
    chars: int | None = None
    tail: str = ""


@dataclass
class _CallSeen:
    tokens: int
    chars: int | None


def _ms_to_datetime(ms: Any, fallback: datetime) -> datetime:
    if isinstance(ms, int | float):
        return datetime.fromtimestamp(ms / 1000, tz=UTC)
    return fallback


def _items_per_output(task: dict[str, Any]) -> list[int]:
    truncated = task.get("hiveTruncated")
    if isinstance(truncated, dict) and isinstance(truncated.get("items"), list):
        # The result was trimmed to fit Temporal's payload limit; the counts were kept.
        return [int(n) for n in truncated["items"]]
    outputs = (task.get("data") or {}).get("main") or []
    return [len(items or []) for items in outputs]


class RunDiffer:
    """What changed since the last snapshot, as events (see the module docstring)."""

    def __init__(self, execution_id: str) -> None:
        self.execution_id = execution_id
        self.finished = False
        self._recorded = 0  # entries of node_execution_order already reported
        self._started: set[tuple[str, int]] = set()
        self._waiting_on: tuple[str | None, int | None, str, str | None] | None = None
        self._calls: dict[str, _CallSeen] = {}

    def update(self, snapshot: N8nRunSnapshot, calls: list[LlmCall], now: datetime) -> list[LiveEvent]:
        """Events for what ``snapshot`` and ``calls`` show that was not reported yet."""
        if self.finished:
            return []
        events: list[LiveEvent] = []
        events.extend(self._recorded_runs(snapshot, now))
        index = len(snapshot.node_execution_order)
        for running in snapshot.running_nodes:
            if (running.name, running.run_index) not in self._started:
                self._started.add((running.name, running.run_index))
                events.append(
                    NodeStarted(
                        id=format_key((index, PHASE_STARTED, 0)),
                        execution_id=self.execution_id,
                        at=running.started_at,
                        node=running.name,
                        run_index=running.run_index,
                    )
                )
        current = snapshot.running_nodes[-1] if snapshot.running_nodes else None
        events.extend(self._waiting(snapshot, current, index, now))
        node = current.name if current is not None else None
        events.extend(self._tokens(calls, node, index, now))
        return events

    def finish(self, status: str, error: str | None, now: datetime, index: int) -> list[LiveEvent]:
        """The closing event (once); call after the final ``update``."""
        if self.finished:
            return []
        self.finished = True
        return [
            RunFinished(
                id=format_key((index, PHASE_RUN_FINISHED, 0)),
                execution_id=self.execution_id,
                at=now,
                status=status,
                error=error,
            )
        ]

    def _recorded_runs(self, snapshot: N8nRunSnapshot, now: datetime) -> list[LiveEvent]:
        events: list[LiveEvent] = []
        order = snapshot.node_execution_order
        for index in range(self._recorded, len(order)):
            name = order[index]
            runs = snapshot.run_data.get(name) or []
            run_index, task = self._task_at(runs, index, order)
            started_at = _ms_to_datetime(task.get("startTime"), now)
            # Seen running by this differ: the end is now (an AI node's recorded time leaves out
            # its LLM calls); replayed: the times the run recorded.
            seen_running = (name, run_index) in self._started
            if not seen_running:
                self._started.add((name, run_index))
                events.append(
                    NodeStarted(
                        id=format_key((index, PHASE_STARTED, 0)),
                        execution_id=self.execution_id,
                        at=started_at,
                        node=name,
                        run_index=run_index,
                    )
                )
            duration = task.get("executionTime")
            ended_at = now
            if isinstance(duration, int) and not seen_running:
                ended_at = _ms_to_datetime(task.get("startTime", 0) + duration, now)
            key = format_key((index, PHASE_DONE, 0))
            if task.get("executionStatus") == "error":
                error = task.get("error") or {}
                events.append(
                    NodeFailed(
                        id=key,
                        execution_id=self.execution_id,
                        at=ended_at,
                        node=name,
                        run_index=run_index,
                        error=str(error.get("message") or "node failed"),
                        description=error.get("description"),
                    )
                )
            else:
                events.append(
                    NodeFinished(
                        id=key,
                        execution_id=self.execution_id,
                        at=ended_at,
                        node=name,
                        run_index=run_index,
                        items=_items_per_output(task),
                        execution_time_ms=duration if isinstance(duration, int) else None,
                    )
                )
        self._recorded = len(order)
        return events

    @staticmethod
    def _task_at(runs: list[dict[str, Any]], index: int, order: list[str]) -> tuple[int, dict[str, Any]]:
        """The run of a node recorded at ``index`` of the execution order, and its run index."""
        for run_index, task in enumerate(runs):
            if task.get("executionIndex") == index:
                return run_index, task
        # Without the index: the n-th occurrence of the name is its n-th run.
        run_index = order[:index].count(order[index])
        return run_index, runs[run_index] if run_index < len(runs) else {}

    def _waiting(self, snapshot: N8nRunSnapshot, current: Any, index: int, now: datetime) -> list[LiveEvent]:
        if snapshot.status in _ACTIVE:
            self._waiting_on = None
            return []
        node = current.name if current is not None else None
        run_index = current.run_index if current is not None else None
        # An approval gate that is pending explains the wait; otherwise a Wait node's webhook.
        gate = next((g for g in snapshot.approvals if g.state is GateState.PENDING), None)
        reason = "approval" if gate is not None else "webhook"
        if gate is not None and gate.node is None:
            node, run_index = None, None  # the workflow-level gate: no node runs yet
        waiting_on = (node, run_index, reason, gate.gate_id if gate else None)
        if waiting_on == self._waiting_on:
            return []
        self._waiting_on = waiting_on
        return [
            Waiting(
                id=format_key((index, PHASE_WAITING, 0)),
                execution_id=self.execution_id,
                at=now,
                node=node if gate is None or gate.node is None else gate.node,
                run_index=run_index,
                reason=reason,
                gate_id=gate.gate_id if gate else None,
            )
        ]

    def _tokens(self, calls: list[LlmCall], node: str | None, index: int, now: datetime) -> list[LiveEvent]:
        events: list[LiveEvent] = []
        for call in calls:
            seen = self._calls.get(call.call_id)
            if seen is not None and call.tokens == seen.tokens:
                continue
            if seen is not None and call.tokens < seen.tokens:
                seen = None  # a retry of the call started over
            delta, gap = _delta(call, seen)
            self._calls[call.call_id] = _CallSeen(call.tokens, call.chars)
            events.append(
                Tokens(
                    id=format_key((index, PHASE_TOKENS, call.tokens)),
                    execution_id=self.execution_id,
                    at=now,
                    node=node,
                    call=call.call_id,
                    tokens=call.tokens,
                    chars=call.chars,
                    delta=delta,
                    gap=gap,
                )
            )
        return events


def _delta(call: LlmCall, seen: _CallSeen | None) -> tuple[str, bool]:
    """The text added since ``seen``, and whether some of it is missing (beyond the tail)."""
    if call.chars is None:
        return "", False
    before = seen.chars if seen is not None and seen.chars is not None else 0
    new_chars = call.chars - before
    if new_chars <= 0:
        return "", False
    if new_chars > len(call.tail):
        return call.tail, True
    return call.tail[len(call.tail) - new_chars :], False


__all__ = ["LlmCall", "RunDiffer"]
