"""The pure scheduler: n8n's WorkflowExecute.processRunExecutionData over a compiled plan.

Deterministic and I/O-free so it can run inside Temporal workflow code: the only awaits are on the
executor, times come from the `clock` callback, and every order decision follows n8n's rules (see
`queue.py` for the stack and the waiting multi-input nodes). Retries are not handled here: the
executor returns each node's final result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from n8n_import.plan import Edge, Plan, PlanNode
from n8n_runtime.engine.error_output import route_error_items
from n8n_runtime.engine.graph import ConnectionIndex
from n8n_runtime.engine.jssort import js_sort
from n8n_runtime.engine.paired import (
    add_input_lineage,
    always_output_item,
    assign_paired_items,
    normalize_item_errors,
)
from n8n_runtime.engine.queue import ExecuteData, ExecutionQueue
from n8n_runtime.engine.resume import PendingWork, capture, restore
from n8n_runtime.engine.traits import needs_input
from n8n_runtime.engine.types import (
    ExecutionState,
    NodeExecutor,
    NodeFailure,
    NodeRequest,
    RunData,
    RunResult,
    RunStatus,
    SourceData,
    TaskData,
)
from n8n_runtime.nodes.base import Item

Outputs = list[list[Item] | None]

ENDLESS_LOOP = "Stopped execution because it seems to be in an endless loop"


@dataclass
class _Outcome:
    """What one node run produced before n8n's post-processing."""

    outputs: Outputs | None
    failure: NodeFailure | None = None
    start_ms: int | None = None
    duration_ms: int | None = None


class WorkflowRun:
    """One execution of a plan, from its start node until the stack is empty or a node fails."""

    def __init__(
        self,
        plan: Plan,
        *,
        trigger_items: list[Item] | None = None,
        clock: Callable[[], int],
        start_node: str | None = None,
        trigger_output: int = 0,
        max_node_runs: int | None = None,
        resume: PendingWork | None = None,
    ) -> None:
        """Prepare a run.

        Args:
            plan: the compiled workflow.
            trigger_items: what the start node receives (n8n's manual run gives `[{"json": {}}]`).
            clock: milliseconds since the epoch (`workflow.now()` under Temporal).
            start_node: the trigger that fired; defaults to the plan's first start node.
            trigger_output: the start node's output the items leave on (a webhook's HTTP method).
            max_node_runs: stop with an error after this many node runs (None: no limit, like n8n).
            resume: a failed run's `pending_work()`: continue it from the failed node (n8n's retry)
                instead of starting at the trigger.
        """
        start = start_node or (plan.start_nodes[0] if plan.start_nodes else None)
        if start is None or start not in plan.nodes:
            raise ValueError(f"no start node {start!r} in plan {plan.name!r}")
        self.plan = plan
        self._clock = clock
        self._legacy = plan.execution_order != "v1"
        self._max_node_runs = max_node_runs
        self._graph = ConnectionIndex(plan)
        self.run_data: RunData = {}
        self.node_contexts: dict[str, dict[str, Any]] = {}
        self._queue = ExecutionQueue(plan, self._graph, self.run_data)
        self._order: list[str] = []
        self._last_node: str | None = None
        items = trigger_items if trigger_items is not None else [{"json": {}}]
        data: list[list[Item] | None] = [[] for _ in range(trigger_output)]
        data.append(list(items))
        if resume is not None:
            self._order = restore(self, self._queue, resume)
        else:
            self._queue.stack.append(ExecuteData(start, data, None))

    @property
    def last_node_executed(self) -> str | None:
        """The node that ran (or failed) last, as n8n's `lastNodeExecuted`."""
        return self._last_node

    @property
    def node_execution_order(self) -> list[str]:
        """Names of the nodes in the order they ran (one entry per run)."""
        return list(self._order)

    def pending_work(self) -> PendingWork:
        """What is left to do (stack, waiting nodes) with the run data so far, for a retry."""
        return capture(self, self._queue)

    async def run(self, executor: NodeExecutor) -> RunResult:
        """Execute until done; node failures end the run with status `error` (n8n's stopWorkflow)."""
        last_try: str | None = None
        while self._queue.stack:
            if self._max_node_runs is not None and len(self._order) >= self._max_node_runs:
                return self._result({"message": f"Stopped after {self._max_node_runs} node runs"})
            entry = self._queue.stack.popleft()
            node = self.plan.nodes[entry.node]
            source = entry.source
            entry.data = add_input_lineage(entry.data)
            run_index = (
                entry.run_index if entry.run_index is not None else len(self.run_data.get(node.name, []))
            )
            current_try = f"{node.name}:{run_index}"
            if current_try == last_try:
                return self._result({"message": ENDLESS_LOOP, "name": "UserError"})
            if not self._queue.ensure_input_data(entry):
                last_try = current_try
                continue

            start_ms = self._clock()
            outcome = await self._execute(node, entry, run_index, executor)
            stop_error = self._finish(node, entry, source, run_index, outcome, start_ms)
            if stop_error is not None:
                return self._result(stop_error)
        return self._result(None)

    def _finish(
        self,
        node: PlanNode,
        entry: ExecuteData,
        source: list[SourceData | None] | None,
        run_index: int,
        outcome: _Outcome,
        start_ms: int,
    ) -> dict[str, Any] | None:
        """Record the run and queue the children; returns the error when the run must stop."""
        task: TaskData = {
            "startTime": outcome.start_ms if outcome.start_ms is not None else start_ms,
            "executionIndex": len(self._order),
            "source": list(source) if source is not None else [],
            "hints": [],
        }
        outputs = outcome.outputs
        if outcome.failure is None:
            if outputs is not None:
                assign_paired_items(outputs, entry.data)
                self._last_node = node.name
            outputs = self._always_output(node, outputs, entry)
            if outputs is None:
                # n8n's `return null`: the branch ends and the run is not recorded.
                return None
            task["executionStatus"] = "success"
        else:
            self._last_node = node.name
            task["executionStatus"] = "error"
            task["error"] = outcome.failure.to_error(node)
            if node.settings.on_error == "stopWorkflow":
                task["executionTime"] = self._duration(outcome, start_ms)
                self._record(node.name, run_index, task)
                # n8n puts the entry back so the run could be resumed from the failed node.
                self._queue.stack.appendleft(entry)
                error: dict[str, Any] = task["error"]
                return error
            # continueRegularOutput / continueErrorOutput: the input passes through unchanged.
            first = entry.data[0] if entry.data else None
            outputs = [first] if first is not None else []
        task["executionTime"] = self._duration(outcome, start_ms)
        normalize_item_errors(outputs)
        task["data"] = {"main": outputs}
        self._record(node.name, run_index, task)
        self._add_children(node, outputs, run_index)
        if not self._queue.stack and self._queue.waiting:
            self._queue.release_waiting()
        return None

    async def _execute(
        self, node: PlanNode, entry: ExecuteData, run_index: int, executor: NodeExecutor
    ) -> _Outcome:
        """Pinned data, disabled pass-through, the no-input rule, then the executor."""
        pinned = self.plan.pin_data.get(node.name)
        if pinned is not None and not node.disabled:
            return _Outcome([[{**item} for item in pinned]])
        if node.disabled:
            first = entry.data[0] if entry.data else None
            outputs: Outputs | None = [first] if first is not None else None
            return _Outcome(self._route_errors(node, outputs, entry))
        connection_input = self._connection_input(node, entry.data)
        if connection_input is None:
            return _Outcome(None)
        inputs = [list(items) if items is not None else [] for items in entry.data]
        if node.settings.execute_once:
            inputs = [items[:1] for items in inputs]
        while len(inputs) < node.input_count:
            inputs.append([])
        request = NodeRequest(
            node=node,
            inputs=inputs,
            run_index=run_index,
            source=list(entry.source) if entry.source is not None else [],
            connection_input=connection_input,
            state=dict(self.node_contexts.get(node.name, {})),
            execution=ExecutionState(
                plan=self.plan, run_data=self.run_data, node_contexts=self.node_contexts
            ),
        )
        result = await executor(request)
        if result.state is not None:
            self.node_contexts[node.name] = result.state
        if result.error is not None:
            return _Outcome(None, result.error, result.start_time_ms, result.execution_time_ms)
        outputs = [list(items) if items is not None else None for items in result.outputs or []]
        if result.outputs is None:
            outputs = None
        return _Outcome(
            self._route_errors(node, outputs, entry), None, result.start_time_ms, result.execution_time_ms
        )

    def _connection_input(self, node: PlanNode, data: list[list[Item] | None]) -> list[Item] | None:
        """n8n's connectionInputData; None means "no input items", and the node does not run."""
        if not needs_input(node):
            return []
        if not data:
            return None
        chosen = data[0]
        if not self._legacy:
            # v1 does not force parents to run, so take the first input that has items.
            chosen = next((items for items in data if items), chosen)
        return list(chosen) if chosen else None

    def _route_errors(self, node: PlanNode, outputs: Outputs | None, entry: ExecuteData) -> Outputs | None:
        if (
            outputs is None
            or node.settings.on_error != "continueErrorOutput"
            or node.error_output_index is None
        ):
            return outputs
        return route_error_items(outputs, node.error_output_index, entry.source, self.run_data)

    def _always_output(self, node: PlanNode, outputs: Outputs | None, entry: ExecuteData) -> Outputs | None:
        """`alwaysOutputData`: an empty first output becomes one empty item."""
        if not node.settings.always_output_data or (outputs and outputs[0]):
            return outputs
        out = list(outputs or [])
        if out:
            out[0] = [always_output_item(entry.data)]
        else:
            out.append([always_output_item(entry.data)])
        return out

    def _add_children(self, node: PlanNode, outputs: Outputs, run_index: int) -> None:
        """Queue the children of every output that has data (n8n's rules per execution order)."""
        pending: list[tuple[Edge, int]] = []
        for output_index, edges in enumerate(self._graph.by_source.get(node.name, [])):
            data = outputs[output_index] if output_index < len(outputs) else None
            for edge in edges:
                # Legacy order also hands empty output to secondary inputs, so a Merge can finish.
                if data is not None and (data or (edge.input_index > 0 and self._legacy)):
                    pending.append((edge, output_index))
        if not self._legacy:
            pending = js_sort(pending, self._compare_position)
        for edge, output_index in pending:
            self._queue.add_child(edge, output_index, node.name, outputs, run_index)

    def _compare_position(self, a: tuple[Edge, int], b: tuple[Edge, int]) -> int:
        """n8n's v1 comparator (entries are unshifted in turn, so the top-left one runs first)."""
        ax, ay = self.plan.nodes[a[0].node].position
        bx, by = self.plan.nodes[b[0].node].position
        if ay < by:
            return 1
        if ay > by:
            return -1
        if ax > bx:
            return -1
        return 0

    def _duration(self, outcome: _Outcome, start_ms: int) -> int:
        if outcome.duration_ms is not None:
            return outcome.duration_ms
        return max(0, self._clock() - start_ms)

    def _record(self, name: str, run_index: int, task: TaskData) -> None:
        runs = self.run_data.setdefault(name, [])
        if run_index < len(runs):
            runs[run_index].update(task)
        else:
            runs.append(task)
        self._order.append(name)

    def _result(self, error: dict[str, Any] | None) -> RunResult:
        return RunResult(
            status=RunStatus.ERROR if error is not None else RunStatus.SUCCESS,
            run_data=self.run_data,
            node_execution_order=list(self._order),
            last_node_executed=self._last_node,
            error=error,
            node_contexts=self.node_contexts,
        )


__all__ = ["ENDLESS_LOOP", "WorkflowRun"]
