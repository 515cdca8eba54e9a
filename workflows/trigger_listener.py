"""Triggers that keep a connection open (Email Trigger (IMAP), MQTT, RabbitMQ...): one listening
workflow per active trigger node, running n8n's own `trigger()` on the node host.

Each session is one heartbeating node-host activity (`LISTEN_ACTIVITY_NAME`) that returns the
trigger's emits once it went quiet (or its session ended); each emit starts an ordinary n8n run
with its items as the trigger's output (a child left running on its own, ABANDON), under the
execution id its files were stored with. The node's static data (the IMAP trigger's
`lastMessageUid`) is loaded before and saved after each session, so a new session (or a node
host killed mid-session: the activity retries elsewhere) goes on where the last one stopped.
A trigger error (n8n's `emitError`) is logged and the trigger is opened again after a growing
pause, as n8n's ActiveWorkflowManager re-activates a failed trigger. Cancelling the workflow
(deactivation) cancels the session, which closes the trigger's connection.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, Field
from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from hive_core.approvals.models import ApprovalPolicy
    from hive_core.node_host.contract import (
        LISTEN_ACTIVITY_NAME,
        TriggerListenResult,
        TriggerListenTask,
    )
    from n8n_import.plan import Plan
    from workflows.n8n_models import RunN8nInput
    from workflows.n8n_run import N8nWorkflow
    from workflows.node_host_step import NODE_HOST_HEARTBEAT_TIMEOUT
    from workflows.trigger_support import TriggerNodeState, trigger_plan_node, trigger_wire_workflow

# n8n's re-activation backoff after a trigger error: 1 s doubling, at most 5 minutes here.
ERROR_BACKOFF_MIN = timedelta(seconds=1)
ERROR_BACKOFF_MAX = timedelta(minutes=5)
# Keep the history short: a fresh run of the workflow after this many sessions.
SESSIONS_PER_RUN = 100
RECENT_RUNS = 20


class TriggerListenerInput(BaseModel):
    plan: Plan
    workflow_id: str
    node: str
    approval: ApprovalPolicy = Field(default_factory=ApprovalPolicy)
    max_session_s: float = 3600
    quiet_ms: int = 1000
    # `activate` on the first session after activation; later sessions re-open (`init`).
    activation: Literal["activate", "init", "update"] = "activate"
    # Carried over continue-as-new.
    runs_started: int = 0


class TriggerListenerStatus(BaseModel):
    runs_started: int
    sessions: int
    last_error: str | None = None
    # The ids of the latest runs it started (newest last, at most RECENT_RUNS).
    recent_runs: list[str] = Field(default_factory=list)


@workflow.defn
class TriggerListenerWorkflow:
    def __init__(self) -> None:
        self._status = TriggerListenerStatus(runs_started=0, sessions=0)

    @workflow.query
    def status(self) -> TriggerListenerStatus:
        """Runs started and sessions held so far (for tests and operators)."""
        return self._status

    @workflow.run
    async def run(self, request: TriggerListenerInput) -> None:
        plan, node = request.plan, trigger_plan_node(request.plan, request.node)
        state = TriggerNodeState(request.workflow_id, node.name)
        self._status.runs_started = request.runs_started
        backoff = ERROR_BACKOFF_MIN
        activation: Literal["activate", "init", "update"] = request.activation
        for _ in range(SESSIONS_PER_RUN):
            task = TriggerListenTask(
                execution_id=f"trigger-{workflow.uuid4().hex}",
                execution_mode="trigger",
                workflow=trigger_wire_workflow(plan, request.workflow_id, node, await state.load(plan)),
                node=node.name,
                activation=activation,
                max_session_s=request.max_session_s,
                quiet_ms=request.quiet_ms,
            )
            result = await workflow.execute_activity(
                LISTEN_ACTIVITY_NAME,
                task,
                result_type=TriggerListenResult,
                task_queue=plan.node_host_queue,
                start_to_close_timeout=timedelta(seconds=request.max_session_s + 120),
                heartbeat_timeout=NODE_HOST_HEARTBEAT_TIMEOUT,
                retry_policy=RetryPolicy(maximum_interval=timedelta(seconds=30), maximum_attempts=0),
                summary=f"{node.name} (listening, n8n node host)",
            )
            activation = "init"
            self._status.sessions += 1
            await state.save(result)
            for emit in result.emits:
                output, items = next(
                    ((i, out) for i, out in enumerate(emit.outputs) if out), (0, list[dict[str, object]]())
                )
                await workflow.start_child_workflow(
                    N8nWorkflow.run,
                    RunN8nInput(
                        plan=plan,
                        trigger_items=items,
                        start_node=node.name,
                        trigger_output=output,
                        mode="trigger",
                        approval=request.approval,
                    ),
                    id=emit.execution_id,
                    parent_close_policy=ParentClosePolicy.ABANDON,
                )
                self._status.runs_started += 1
                self._status.recent_runs = [*self._status.recent_runs, emit.execution_id][-RECENT_RUNS:]
            if result.error is not None:
                self._status.last_error = result.error.message
                workflow.logger.warning(
                    "trigger %r of workflow %s failed: %s; opening it again in %s",
                    node.name,
                    request.workflow_id,
                    result.error.message,
                    backoff,
                )
                await workflow.sleep(backoff)
                backoff = min(backoff * 2, ERROR_BACKOFF_MAX)
            else:
                backoff = ERROR_BACKOFF_MIN
        workflow.continue_as_new(
            request.model_copy(update={"activation": "init", "runs_started": self._status.runs_started})
        )


__all__ = ["TriggerListenerInput", "TriggerListenerStatus", "TriggerListenerWorkflow"]
