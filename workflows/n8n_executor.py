"""How the interpreter executes each node under Temporal, and the run state nodes share.

- Nodes that evaluate expressions or JavaScript run as local activities (a history marker per
  node at a few ms each).
- Expression-free list transforms and pass-throughs run inline (`n8n_runtime.inline`).
- HTTP Request is a heartbeating activity; Wait a timer or a signal; Execute Workflow a child
  workflow; Respond to Webhook hands its response to the waiting webhook route.

Failures (`workflows.retries`): Temporal retries infrastructure failures of every call without a
count limit; a node error fails the attempt at once and n8n's Retry On Fail runs here, around the
whole node (`RetryingExecutor`: maxTries, waitBetweenTries as a durable timer, without n8n's
5-try / 5-second caps), before onError.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.n8n_nodes import NodeActivities, NodeTaskInput
    from hive_core.approvals import node_gate_id
    from hive_core.temporal.search_attributes import HIVE_STATUS
    from n8n_import.plan import Plan, PlanNode
    from n8n_runtime.ai.instruction import AI_KEY
    from n8n_runtime.ai.respond_to_chat import CHAT_MESSAGE_KEY, ChatMessageOut
    from n8n_runtime.engine import LocalExecutor, NodeFailure, NodeRequest, NodeResult
    from n8n_runtime.engine.retry import RetryingExecutor
    from n8n_runtime.forms import form_timezone
    from n8n_runtime.inline import runs_inline
    from n8n_runtime.nodes.control.execute_workflow import SUBWORKFLOW_KEY
    from n8n_runtime.nodes.control.form_node import FORM_COMPLETION_KEY
    from n8n_runtime.nodes.control.respond_to_webhook import RESPONSE_KEY as WEBHOOK_RESPONSE_KEY
    from n8n_runtime.nodes.control.wait_node import RESUME_KEY
    from n8n_runtime.nodes.registry import NODE_FUNCTIONS
    from n8n_runtime.references import ALL, needs_map
    from workflows.ai_nodes import AiContext, run_ai_instruction, run_ai_node
    from workflows.approvals import ApprovalGates
    from workflows.n8n_models import (
        ExecutionStatus,
        FormStep,
        ResumeRequest,
        RunN8nInput,
        RunningNode,
        WebhookResponse,
    )
    from workflows.n8n_subworkflows import ChildRun, run_subworkflow
    from workflows.node_host_step import NodeHostExecutor
    from workflows.retries import (
        HEARTBEAT_TIMEOUT,
        PATCH,
        InfrastructureFailure,
        failure_message,
        infra_retry,
        is_node_error,
        legacy_node_retry,
    )

PURE_NODE_TIMEOUT = timedelta(minutes=10)
# Local activity results ride in one workflow-task completion (capped at 4 MB by gRPC): past
# this many bytes, a 1 ms timer ends the task so they are written out.
CHECKPOINT_BYTES = 1_000_000
HTTP_NODE_TYPE = "n8n-nodes-base.httpRequest"
# The HTTP Request node's own timeout defaults to 300 s; pagination may make many requests.
HTTP_NODE_TIMEOUT = timedelta(hours=1)


def now_ms() -> int:
    return int(workflow.now().timestamp() * 1000)


@dataclass
class RunState:
    """What the nodes of one run share beside the run data (n8n keeps it with the execution)."""

    status: ExecutionStatus = ExecutionStatus.RUNNING
    custom_data: dict[str, str] = field(default_factory=dict)
    static_data: dict[str, Any] = field(default_factory=dict)
    logs: list[dict[str, Any]] = field(default_factory=list)
    webhook_response: WebhookResponse | None = None
    # Set by the resume signal while a Wait node waits for its webhook.
    resume: ResumeRequest | None = None
    # Approval gates of the run (policy from the run input; decided by the update).
    approvals: ApprovalGates = field(default_factory=ApprovalGates)
    # The node being executed now (the `snapshot` query shows it; live updates read it).
    running_nodes: list[RunningNode] = field(default_factory=list)
    # The n8n form's current screen (Form pages and endings), for the form routes.
    form: FormStep | None = None
    # What Respond to Chat nodes sent into the chat session, in order (the chat session reads it).
    chat_messages: list[ChatMessageOut] = field(default_factory=list)


async def wait_for_resume(
    state: RunState, limit: dict[str, Any] | None
) -> list[list[dict[str, Any]] | None] | None:
    """Wait (durably) for the resume webhook; its request becomes the node's output."""
    state.status = ExecutionStatus.WAITING
    workflow.upsert_search_attributes([HIVE_STATUS.value_set("waiting")])
    timeout = None
    if limit is not None:
        ms = limit["ms"] if limit["kind"] == "delay" else limit["at_ms"] - now_ms()
        timeout = timedelta(milliseconds=max(0, int(ms)))
    try:
        await workflow.wait_condition(lambda: state.resume is not None, timeout=timeout)
    except TimeoutError:
        pass  # n8n: after the limit the run goes on with the node's input
    resumed, state.resume = state.resume, None
    state.status = ExecutionStatus.RUNNING
    workflow.upsert_search_attributes([HIVE_STATUS.value_set("running")])
    return [[{"json": resumed.json_data}]] if resumed is not None else None


class TemporalExecutor:
    """Executes scheduler requests under Temporal (see the module docstring)."""

    def __init__(self, state: RunState, plan: Plan, request: RunN8nInput, child: ChildRun) -> None:
        self._state = state
        self._child = child
        self._plan = plan
        self._request = request
        self._needs = needs_map(plan)
        self._plan_json = plan.model_dump_json()
        self._unflushed_bytes = 0
        self._seed = workflow.random().randint(0, 2**31 - 1)
        self._execution_id = workflow.info().workflow_id
        base = request.webhook_base_url
        self._resume_url = f"{base.rstrip('/')}/webhook-waiting/{self._execution_id}" if base else None
        self._inline = {name for name, node in plan.nodes.items() if runs_inline(node)}
        self._inline_executor = LocalExecutor(
            NODE_FUNCTIONS,
            extras_factory=lambda _: {"timezone": plan.settings.timezone, "execution_mode": request.mode},
        )
        # n8n's Retry On Fail over one attempt of the whole node (node errors only).
        self._retrying = RetryingExecutor(self._attempt, workflow.sleep)
        # Runs started before node errors were told apart retry them as Temporal attempts.
        self._retry_in_workflow = workflow.patched(PATCH)
        self._node_host = NodeHostExecutor(
            plan,
            state,
            self._visible_run_data,
            execution_id=self._execution_id,
            execution_mode=request.mode,
            resume_url=self._resume_url,
        )

    def _visible_run_data(self, request: NodeRequest) -> dict[str, list[dict[str, Any]]]:
        needed = self._needs.get(request.node.name, ALL)
        run_data = request.execution.run_data
        if needed is ALL:
            return dict(run_data)
        return {name: run_data[name] for name in needed if name in run_data}

    async def __call__(self, request: NodeRequest) -> NodeResult:
        node = request.node
        if self._state.approvals.needs_node_gate(node):
            assert node.approval is not None
            rejected = await self._state.approvals.wait(node_gate_id(node.name), node.name, node.approval)
            if rejected is not None:
                # The gate's refusal is the node's error: its On Error setting applies.
                return NodeResult(error=rejected, start_time_ms=now_ms())
        # Recorded for the `snapshot` query only: it never changes the commands the run issues.
        running = RunningNode(name=request.node.name, run_index=request.run_index, started_at=workflow.now())
        self._state.running_nodes.append(running)
        try:
            return await self._execute(request)
        finally:
            self._state.running_nodes.remove(running)

    async def _execute(self, request: NodeRequest) -> NodeResult:
        if self._retry_in_workflow or request.node.name in self._inline:
            try:
                return await self._retrying(request)
            except InfrastructureFailure as exc:
                return exc.result  # the node's whole time went on infrastructure retries
        return await self._attempt(request)

    async def _attempt(self, request: NodeRequest) -> NodeResult:
        """One try of the node (Retry On Fail may ask for more)."""
        node = request.node
        if node.runner == "node_host":
            return await self._node_host(request)
        if node.name in self._inline:
            return await self._inline_executor(request)
        state = self._state
        started = now_ms()
        task = NodeTaskInput.model_construct(
            plan_json=self._plan_json,
            node=node.name,
            inputs=request.inputs,
            run_index=request.run_index,
            source=request.source,
            connection_input=None
            if request.inputs and request.connection_input == request.inputs[0]
            else request.connection_input,
            state=request.state,
            run_data=self._visible_run_data(request),
            node_contexts=request.execution.node_contexts,
            execution_id=self._execution_id,
            execution_mode=self._request.mode,
            now_ms=started,
            random_seed=self._seed,
            custom_data=state.custom_data,
            static_data=state.static_data,
            resume_url=self._resume_url,
            retry_in_workflow=self._retry_in_workflow,
        )
        policy = infra_retry() if self._retry_in_workflow else legacy_node_retry(node)
        try:
            if node.type == HTTP_NODE_TYPE:
                output = await workflow.execute_activity_method(
                    NodeActivities.run_http_node,
                    task,
                    start_to_close_timeout=HTTP_NODE_TIMEOUT,
                    schedule_to_close_timeout=HTTP_NODE_TIMEOUT,
                    heartbeat_timeout=HEARTBEAT_TIMEOUT,
                    retry_policy=policy,
                    summary=node.name,
                )
            else:
                output = await workflow.execute_local_activity_method(
                    NodeActivities.run_pure_node,
                    task,
                    start_to_close_timeout=PURE_NODE_TIMEOUT,
                    schedule_to_close_timeout=PURE_NODE_TIMEOUT,
                    retry_policy=policy,
                    summary=node.name,
                )
        except ActivityError as exc:
            result = NodeResult(error=NodeFailure(failure_message(exc)), start_time_ms=started)
            if self._retry_in_workflow and not is_node_error(exc):
                raise InfrastructureFailure(result) from exc
            return result
        state.custom_data = output.custom_data
        state.static_data = output.static_data
        self._unflushed_bytes += output.output_bytes
        if self._unflushed_bytes > CHECKPOINT_BYTES:
            await workflow.sleep(timedelta(milliseconds=1), summary="checkpoint")
            self._unflushed_bytes = 0
        for line in output.logs:
            state.logs.append({"node": node.name, "run_index": request.run_index, "log": line})
        failure = output.error
        node_state = output.state
        outputs = output.outputs
        # The pure step's own time; a node that goes on in the workflow (sub-workflow, AI calls)
        # gets None: the scheduler's clock then measures the whole node, as n8n reports it.
        execution_time_ms: int | None = output.execution_time_ms
        if node_state and CHAT_MESSAGE_KEY in node_state and failure is None:
            node_state = dict(node_state)
            state.chat_messages.append(ChatMessageOut.model_validate(node_state.pop(CHAT_MESSAGE_KEY)))
        if node_state and RESUME_KEY in node_state and failure is None:
            node_state = dict(node_state)
            instruction = node_state.pop(RESUME_KEY)
            if instruction["kind"] == "webhook":
                outputs = await wait_for_resume(state, instruction.get("limit")) or outputs
            elif instruction["kind"] == "form":
                outputs = await self._wait_for_form(node, instruction) or outputs
            else:
                await _wait(node, instruction)
        if node_state and WEBHOOK_RESPONSE_KEY in node_state and failure is None:
            node_state = dict(node_state)
            response = node_state.pop(WEBHOOK_RESPONSE_KEY)
            if state.webhook_response is None:  # n8n: only the first response is sent
                state.webhook_response = WebhookResponse(**response)
        if node_state and FORM_COMPLETION_KEY in node_state and failure is None:
            node_state = dict(node_state)
            state.form = FormStep(
                step=(state.form.step if state.form else 0) + 1,
                node=node.name,
                completion=node_state.pop(FORM_COMPLETION_KEY),
                mode=self._form_mode,
                timezone=form_timezone(self._plan),
            )
        if node_state and SUBWORKFLOW_KEY in node_state and failure is None:
            node_state = dict(node_state)
            items, child_failure = await run_subworkflow(
                self._child,
                node,
                node_state.pop(SUBWORKFLOW_KEY),
                request.inputs[0] if request.inputs else [],
                request.run_index,
                self._request.approval,
            )
            if child_failure is not None:
                return NodeResult(error=child_failure, start_time_ms=started, state=node_state)
            outputs = [items or []]
            execution_time_ms = None
        if node_state and AI_KEY in node_state and failure is None:
            # AI roots: the pure step evaluated the parameters; the LLM and tool calls run here.
            node_state = dict(node_state)
            context = AiContext(
                node, self._plan, self._child, request.run_index, self._seed, self._request.approval
            )
            # Retry On Fail already wraps this attempt; runs started before retried the AI part alone.
            run_ai = run_ai_instruction if self._retry_in_workflow else run_ai_node
            outputs, ai_failure = await run_ai(context, node_state.pop(AI_KEY))
            if ai_failure is not None:
                return NodeResult(error=ai_failure, start_time_ms=started, state=node_state)
            execution_time_ms = None
        return NodeResult(
            outputs=outputs,
            error=NodeFailure(
                failure.message,
                description=failure.description,
                item_index=failure.item_index,
                name=failure.name,
                extra=failure.extra,
            )
            if failure
            else None,
            start_time_ms=started,
            execution_time_ms=execution_time_ms,
            state=node_state,
        )

    @property
    def _form_mode(self) -> str:
        return "test" if self._request.mode == "manual" else "production"

    async def _wait_for_form(
        self, node: PlanNode, instruction: dict[str, Any]
    ) -> list[list[dict[str, Any]] | None] | None:
        """A Form page: shown by the form routes until its submission resumes the run."""
        state = self._state
        state.form = FormStep(
            step=(state.form.step if state.form else 0) + 1,
            node=node.name,
            page=instruction["page"],
            waiting=True,
            mode=self._form_mode,
            timezone=form_timezone(self._plan),
        )
        outputs = await wait_for_resume(state, instruction.get("limit"))
        state.form = state.form.model_copy(update={"waiting": False})
        return outputs


async def _wait(node: PlanNode, instruction: dict[str, Any]) -> None:
    """The Wait node's pause: a durable Temporal timer, however long."""
    if instruction["kind"] == "delay":
        delay_ms = int(instruction["ms"])
    else:
        delay_ms = int(instruction["at_ms"]) - now_ms()
    if delay_ms > 0:
        await workflow.sleep(timedelta(milliseconds=delay_ms), summary=f"{node.name}: wait")
