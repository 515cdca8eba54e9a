"""The generic interpreter: one Temporal workflow runs any compiled n8n plan.

The pure scheduler (`n8n_runtime.engine.WorkflowRun`) decides what runs next with n8n's
semantics; `workflows.n8n_executor` executes each node under Temporal. This module holds the
workflow itself: its input, result, query, signal and update.
"""

from __future__ import annotations

from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from hive_core.approvals import WORKFLOW_GATE_ID, ApprovalDecision, ApprovalGate
    from hive_core.temporal.search_attributes import HIVE_STATUS, HIVE_WORKFLOW
    from n8n_import.plan import Plan
    from n8n_runtime.ai.respond_to_chat import ChatMessageOut
    from n8n_runtime.engine import RunStatus, WorkflowRun
    from n8n_runtime.schedule_item import SCHEDULE_TYPES, schedule_item
    from workflows.n8n_executor import RunState, TemporalExecutor, now_ms
    from workflows.n8n_models import (
        ExecutionStatus,
        FormStep,
        FormStepRequest,
        N8nRunSnapshot,
        ResumeRequest,
        RunN8nInput,
        WebhookResponse,
    )
    from workflows.n8n_subworkflows import start_error_workflow

# Below Temporal's 2 MB payload limit, with room for the envelope.
RESULT_LIMIT_BYTES = 1_800_000


@workflow.defn
class N8nWorkflow:
    """Runs one n8n workflow; `snapshot` shows its per-node history at any time."""

    def __init__(self) -> None:
        self._run: WorkflowRun | None = None
        self._started = workflow.now()
        self._state = RunState()
        self._result: N8nRunSnapshot | None = None
        # Set when the workflow-level approval gate refused the run (no node ran).
        self._gate_error: dict[str, Any] | None = None

    @workflow.run
    async def run(self, request: RunN8nInput) -> N8nRunSnapshot:
        plan = request.plan
        workflow.upsert_search_attributes(
            [
                HIVE_WORKFLOW.value_set(plan.name or plan.workflow_id or "unnamed"),
                HIVE_STATUS.value_set("running"),
            ]
        )
        self._state.static_data = dict(plan.static_data or {})
        self._state.approvals.policy = request.approval
        trigger_items = request.trigger_items
        start = plan.nodes.get(request.start_node or "")
        if trigger_items is None and start is not None and start.type in SCHEDULE_TYPES:
            # A schedule firing: the trigger's item describes the fire time, as in n8n.
            trigger_items = [schedule_item(start.type, workflow.now(), plan.settings.timezone)]
        self._run = WorkflowRun(
            plan,
            trigger_items=trigger_items,
            clock=now_ms,
            start_node=request.start_node,
            trigger_output=request.trigger_output,
            max_node_runs=request.max_node_runs,
            resume=request.resume_from,
        )
        executor = TemporalExecutor(self._state, plan, request, N8nWorkflow.run)
        self._gate_error = await self._workflow_gate(plan)
        if self._gate_error is None:
            result = await self._run.run(executor)
            status = ExecutionStatus.SUCCESS if result.status is RunStatus.SUCCESS else ExecutionStatus.ERROR
        else:
            status = ExecutionStatus.ERROR
        self._state.status = status
        workflow.upsert_search_attributes([HIVE_STATUS.value_set(status.value)])
        self._result = self.snapshot().fit_payload(RESULT_LIMIT_BYTES)
        if status is ExecutionStatus.ERROR:
            await start_error_workflow(N8nWorkflow.run, plan, self._result, request.approval)
        return self._result

    async def _workflow_gate(self, plan: Plan) -> dict[str, Any] | None:
        """A workflow marked for approval waits before any node runs; the run's error if refused."""
        gates = self._state.approvals
        if not gates.needs_workflow_gate(plan.approval):
            return None
        assert plan.approval is not None
        refusal = await gates.wait(WORKFLOW_GATE_ID, None, plan.approval)
        if refusal is None:
            return None
        return {**refusal.extra, "message": refusal.message, "name": refusal.name}

    @workflow.update
    def decide_approval(self, decision: ApprovalDecision) -> ApprovalGate:
        """An approver approves or rejects a pending gate; returns the decided gate."""
        return self._state.approvals.decide(decision)

    @decide_approval.validator
    def _validate_decision(self, decision: ApprovalDecision) -> None:
        # Unknown or already decided gates are refused before anything is written to history.
        self._state.approvals.validate(decision)

    @workflow.query
    def approvals(self) -> list[ApprovalGate]:
        """The run's approval gates, pending and decided."""
        return self._state.approvals.records()

    @workflow.signal
    def resume_wait(self, request: ResumeRequest) -> None:
        """The resume webhook of a waiting Wait node was called."""
        if self._state.status is ExecutionStatus.WAITING and self._state.resume is None:
            self._state.resume = request

    @workflow.update
    async def webhook_response(self) -> WebhookResponse:
        """Wait for a Respond to Webhook node (or the end of the run, then `responded=False`)."""
        await workflow.wait_condition(
            lambda: self._state.webhook_response is not None or self._result is not None
        )
        return self._state.webhook_response or WebhookResponse(responded=False)

    @workflow.update
    async def form_step(self, request: FormStepRequest) -> FormStep:
        """Submit the waiting Form page (if given), then wait for the form's next screen or the
        end of the run: what the browser is shown next."""
        if request.submission is not None:
            self._state.resume = ResumeRequest(json_data=request.submission)
        await workflow.wait_condition(
            lambda: (
                self._result is not None
                or (self._state.form is not None and self._state.form.step > request.after_step)
            )
        )
        return self.form_state()

    @form_step.validator
    def _validate_form_step(self, request: FormStepRequest) -> None:
        # A page submitted twice (a double click, a stale tab) is refused before history.
        form = self._state.form
        if request.submission is not None and not (
            form is not None
            and form.waiting
            and form.step == request.after_step
            and self._state.resume is None
        ):
            raise ValueError("This form page is not waiting for a submission (already submitted?)")

    @workflow.query
    def form_state(self) -> FormStep:
        """The form's current screen (step 0 and no page before the first Form node)."""
        form = self._state.form or FormStep()
        if self._result is not None:
            return form.model_copy(update={"finished": True, "status": self._result.status, "waiting": False})
        return form

    @workflow.query
    def chat_messages(self) -> list[ChatMessageOut]:
        """What Respond to Chat nodes sent into the chat session so far, in order."""
        return list(self._state.chat_messages)

    @workflow.query
    def snapshot(self) -> N8nRunSnapshot:
        """n8n-shaped run data so far (final once the run ended)."""
        if self._result is not None:
            return self._result
        run = self._run
        return N8nRunSnapshot(
            status=ExecutionStatus.WAITING if self._state.approvals.pending() else self._state.status,
            started_at=self._started,
            stopped_at=workflow.now()
            if self._state.status in (ExecutionStatus.SUCCESS, ExecutionStatus.ERROR)
            else None,
            run_data=run.run_data if run else {},
            last_node_executed=run.last_node_executed if run else None,
            node_execution_order=run.node_execution_order if run else [],
            error=self._gate_error or (run_error(run) if run else None),
            logs=self._state.logs,
            # A failed run keeps what it had left to do, so it can be retried from the failed node.
            pending_work=run.pending_work() if run and self._state.status is ExecutionStatus.ERROR else None,
            running_nodes=list(self._state.running_nodes),
            approvals=self._state.approvals.records(),
        )


def run_error(run: WorkflowRun) -> dict[str, Any] | None:
    """The error of the failed node, as the scheduler recorded it."""
    if run.last_node_executed is None:
        return None
    tasks = run.run_data.get(run.last_node_executed) or []
    if tasks and tasks[-1].get("executionStatus") == "error":
        error: dict[str, Any] = tasks[-1].get("error") or {}
        return error
    return None
