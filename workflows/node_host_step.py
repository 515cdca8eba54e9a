"""A node-host step: one n8n node run by n8n's own code, as a regular activity on the node host's queue.

The node host (node_host/, Node.js) takes the node with the run data its expressions may read
and returns n8n items or the node's error as data (hive_core.node_host.contract). The
interpreter keeps everything around the node, as for native nodes: n8n's Retry On Fail (here, as
workflow timers between attempts), onError and error outputs, paired items, executeOnce and
alwaysOutputData (the scheduler).

Infrastructure failures (the node host killed mid-node: heartbeat timeout; a credential store
down) are retried by Temporal without a count limit. When no node host polls the queue, the
activity's schedule-to-start timeout fires every `plan.node_host_wait_notice_s`: the run logs that it is
waiting for a node host and schedules the node again, so it waits visibly instead of failing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, TimeoutError, TimeoutType

with workflow.unsafe.imports_passed_through():
    from hive_core.node_host.contract import (
        ACTIVITY_NAME,
        POLL_ACTIVITY_NAME,
        NodeHostResult,
        NodeHostTask,
        WireCredentialRef,
        WireNode,
        WireWorkflow,
    )
    from n8n_import.plan import Plan, PlanNode
    from n8n_runtime.engine import NodeFailure, NodeRequest, NodeResult

if TYPE_CHECKING:
    from workflows.n8n_executor import RunState

# n8n's own node timeouts are minutes at most (HTTP Request 300 s); pagination may be longer.
NODE_HOST_TIMEOUT = timedelta(hours=1)
# The node host heartbeats every second: 10 s without one means it is gone.
NODE_HOST_HEARTBEAT_TIMEOUT = timedelta(seconds=10)
INFRASTRUCTURE_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=0,
    non_retryable_error_types=["NodeHostContractMismatch"],
)


def wire_connections(plan: Plan) -> dict[str, Any]:
    """The plan's main connections in n8n's IConnections shape (what n8n walks for `$('X')`)."""
    connections: dict[str, Any] = {}
    for name, node in plan.nodes.items():
        if any(node.main_outputs):
            connections[name] = {
                "main": [
                    [{"node": edge.node, "type": "main", "index": edge.input_index} for edge in edges]
                    for edges in node.main_outputs
                ]
            }
    return connections


def wire_node(node: PlanNode, *, target: bool, with_parameters: bool = True) -> WireNode:
    """A plan node as n8n's INode; only the node that runs carries its onError setting."""
    return WireNode(
        name=node.name,
        id=node.id,
        type=node.type,
        typeVersion=float(node.type_version),
        parameters=node.parameters if target or with_parameters else {},
        credentials={k: WireCredentialRef(id=v.id, name=v.name) for k, v in node.credentials.items()},
        onError=node.settings.on_error if target else "stopWorkflow",
        webhookId=node.webhook_id,
        disabled=False if target else node.disabled,
    )


def build_task(
    plan: Plan,
    request: NodeRequest,
    *,
    run_data: dict[str, list[dict[str, Any]]],
    static_data: dict[str, Any],
    execution_id: str,
    execution_mode: str,
    resume_url: str | None,
) -> NodeHostTask:
    """The activity input for one run of `request.node` (no secrets: credential references only)."""
    node = request.node
    settings: dict[str, Any] = {}
    if plan.settings.timezone:
        settings["timezone"] = plan.settings.timezone
    return NodeHostTask(
        execution_id=execution_id,
        execution_mode=execution_mode,
        workflow=WireWorkflow(
            id=plan.workflow_id,
            name=plan.name,
            # Every node (so `$('X')` and paired items find them), but parameters only of those
            # the node's expressions may read: the activity input stays small in history.
            nodes=[
                wire_node(n, target=n.name == node.name, with_parameters=n.name in run_data)
                for n in plan.nodes.values()
            ],
            connections=wire_connections(plan),
            settings=settings,
            static_data=static_data,
        ),
        node=node.name,
        run_index=request.run_index,
        inputs=list(request.inputs),
        source=list(request.source),
        run_data=run_data,
        resume_url=resume_url,
    )


def to_node_result(result: NodeHostResult, started_ms: int) -> NodeResult:
    """The node host's answer as the scheduler's NodeResult."""
    if result.error is not None:
        error = result.error
        extra = dict(error.extra)
        if error.http_code is not None:
            extra["httpCode"] = error.http_code
        failure = NodeFailure(
            error.message,
            description=error.description,
            item_index=error.item_index,
            name=error.name,
            extra=extra,
        )
        return NodeResult(error=failure, start_time_ms=started_ms)
    return NodeResult(
        outputs=result.outputs,
        start_time_ms=started_ms,
        execution_time_ms=round(result.execution_time_ms),
    )


@dataclass
class NodeHostCall:
    """One attempt of a node-host step (the scheduler's retry wrapper calls it per attempt)."""

    plan: Plan
    task: NodeHostTask
    logs: list[dict[str, Any]]
    # POLL_ACTIVITY_NAME: run a polling trigger's `poll()` instead (workflows.poll_trigger);
    # the webhook trigger activities return subclasses of NodeHostResult (workflows.webhook_trigger).
    activity: str = ACTIVITY_NAME
    result_type: type[NodeHostResult] = NodeHostResult
    label: str = ""

    async def run(self) -> NodeHostResult:
        """Run the activity, waiting (and saying so) while no node host polls the queue."""
        node = self.task.node
        notice = timedelta(seconds=self.plan.node_host_wait_notice_s)
        poll = "poll, " if self.activity == POLL_ACTIVITY_NAME else self.label
        waited = timedelta(0)
        while True:
            try:
                result: NodeHostResult = await workflow.execute_activity(
                    self.activity,
                    self.task,
                    result_type=self.result_type,
                    task_queue=self.plan.node_host_queue,
                    start_to_close_timeout=NODE_HOST_TIMEOUT,
                    schedule_to_start_timeout=notice,
                    heartbeat_timeout=NODE_HOST_HEARTBEAT_TIMEOUT,
                    retry_policy=INFRASTRUCTURE_RETRY,
                    summary=f"{node} ({poll}n8n node host)",
                )
                return result
            except ActivityError as exc:
                cause = exc.cause
                if isinstance(cause, TimeoutError) and cause.type is TimeoutType.SCHEDULE_TO_START:
                    waited += notice
                    message = (
                        f"waiting for an n8n node host on task queue {self.plan.node_host_queue!r}: "
                        f"none has taken node {node!r} for {int(waited.total_seconds())} s "
                        "(start one with `hive node-host`, or `hive up` with Node.js >= 20)"
                    )
                    workflow.logger.warning(message)
                    self.logs.append({"node": node, "run_index": self.task.run_index, "log": message})
                    continue
                raise


class NodeHostExecutor:
    """Executes one attempt of a node-host step; the interpreter wraps it in n8n's Retry On Fail."""

    def __init__(
        self,
        plan: Plan,
        state: RunState,
        visible_run_data: Callable[[NodeRequest], dict[str, list[dict[str, Any]]]],
        *,
        execution_id: str,
        execution_mode: str,
        resume_url: str | None,
    ) -> None:
        self._plan = plan
        self._state = state
        self._visible_run_data = visible_run_data
        self._execution_id = execution_id
        self._execution_mode = execution_mode
        self._resume_url = resume_url

    async def __call__(self, request: NodeRequest) -> NodeResult:
        started_ms = int(workflow.now().timestamp() * 1000)
        task = build_task(
            self._plan,
            request,
            run_data=self._visible_run_data(request),
            static_data=self._state.static_data,
            execution_id=self._execution_id,
            execution_mode=self._execution_mode,
            resume_url=self._resume_url,
        )
        try:
            result = await NodeHostCall(self._plan, task, self._state.logs).run()
        except ActivityError as exc:
            cause = exc.cause
            message = cause.message if isinstance(cause, ApplicationError) else str(cause or exc)
            return NodeResult(error=NodeFailure(message, name="NodeHostError"), start_time_ms=started_ms)
        if result.static_data is not None:
            self._state.static_data = result.static_data
        return to_node_result(result, started_ms)


__all__ = [
    "NODE_HOST_HEARTBEAT_TIMEOUT",
    "NodeHostCall",
    "NodeHostExecutor",
    "build_task",
    "to_node_result",
    "wire_connections",
    "wire_node",
]
