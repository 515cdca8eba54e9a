"""n8n nodes as activities: pure nodes (Set, If, Code, ...) and the HTTP Request node.

Pure nodes run as local activities: each result is recorded in history (a marker), so after a
worker dies no recorded node runs again, while a call costs a few milliseconds instead of the
~80 ms of a task-queue round trip. The HTTP Request node is a regular activity (it has effects;
it heartbeats every second, so a killed worker's call starts again elsewhere in seconds). A
node's own failure comes back as data (`NodeTaskOutput.error`) at once: the workflow applies
Retry On Fail (`workflows.retries`); only what is not the node's doing raises. The workflow
passes each node only the run data its expressions can read (`n8n_runtime.references`), so a
call's size does not grow with the run.

One V8 engine and one parsed plan per workflow run, kept in a small LRU cache: no JavaScript
state crosses runs, and the engine's start-up is paid once per run, not per node.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel, Field
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.heartbeat import heartbeating
from hive_core.binary_data import BinaryStore, ExecutionBinary
from hive_core.errors import HiveError, OperationalError
from hive_core.temporal_errors import to_application_error
from n8n_import.plan import Plan, PlanNode
from n8n_runtime.code_python import PYTHON_LANGUAGES, PythonPool
from n8n_runtime.engine import ExecutionState, LocalExecutor, NodeFailure, NodeRequest, NodeResult
from n8n_runtime.engine.expressions import ExpressionRuntime
from n8n_runtime.expressions import ExpressionEngine
from n8n_runtime.http import (
    CredentialResolver,
    CredentialSource,
    EngineExpressions,
    HttpTransportError,
    run_http_request,
    run_with_credentials,
)
from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._credentials import EXTRA as CREDENTIAL_EXTRA
from n8n_runtime.nodes.registry import NODE_FUNCTIONS

Item = dict[str, Any]

log = logging.getLogger("hive.nodes")

# Temporal refuses payloads over 2 MB (and a refused result would stall the run): a node whose
# output is larger fails with a clear error instead.
MAX_OUTPUT_BYTES = 1_500_000


class NodeFailureModel(BaseModel):
    message: str
    description: str | None = None
    item_index: int | None = None
    name: str = "NodeOperationError"
    # Where it happened (e.g. {"parameter": "assignments.assignments[0].value"}).
    extra: dict[str, Any] = Field(default_factory=dict)


class NodeTaskInput(BaseModel):
    # The plan as JSON text: parsed once per run by the worker (cached by run id), not
    # validated again for every node.
    plan_json: str
    node: str
    inputs: list[list[Item]]
    run_index: int
    source: list[dict[str, Any] | None]
    # None: the same items as inputs[0] (the usual case; not sent twice).
    connection_input: list[Item] | None = None
    state: dict[str, Any] = Field(default_factory=dict)
    # Only the nodes this node's expressions can read.
    run_data: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    node_contexts: dict[str, dict[str, Any]] = Field(default_factory=dict)
    execution_id: str
    execution_mode: str = "manual"
    resume_url: str | None = None
    now_ms: int
    random_seed: int = 0
    custom_data: dict[str, str] = Field(default_factory=dict)
    static_data: dict[str, Any] = Field(default_factory=dict)
    # True: node errors come back at once and the workflow retries them (Retry On Fail). False:
    # a run started before that, whose tries are this activity's Temporal attempts.
    retry_in_workflow: bool = False


class NodeTaskOutput(BaseModel):
    outputs: list[list[Item] | None] | None = None
    error: NodeFailureModel | None = None
    state: dict[str, Any] | None = None
    execution_time_ms: int = 0
    logs: list[Any] = Field(default_factory=list)
    custom_data: dict[str, str] = Field(default_factory=dict)
    static_data: dict[str, Any] = Field(default_factory=dict)
    # JSON size of `outputs`: the workflow checkpoints before big results pile up in one task.
    output_bytes: int = 0


def result_failed(result: NodeResult) -> bool:
    """n8n's retry rule: an error, or a first output item carrying `json.error`."""
    if result.error is not None:
        return True
    first = (result.outputs or [None])[0]
    if not first:
        return False
    json = first[0].get("json")
    return isinstance(json, dict) and json.get("error") not in (None, False)


def _failure(error: Exception) -> NodeFailure:
    if isinstance(error, NodeError):
        return NodeFailure(error.message, description=error.description, item_index=error.item_index)
    if isinstance(error, HiveError):
        return NodeFailure(error.message, name=error.type_name)
    return NodeFailure(str(error) or type(error).__name__, name=type(error).__name__)


class _Prepared:
    """One node run's runtime pieces, built from a task input."""

    def __init__(
        self,
        engine: ExpressionEngine,
        plan: Plan,
        task: NodeTaskInput,
        env: Mapping[str, str],
        variables: Mapping[str, str],
        files: FileAccess,
        python_pool: PythonPool | None = None,
    ) -> None:
        self.task = task
        # File nodes reach bytes through this handle (never through Temporal payloads).
        self.binary = ExecutionBinary(files.store, plan.workflow_id, task.execution_id)
        self.file_roots = files.roots
        self.node: PlanNode = plan.nodes[task.node]
        self.logs: list[Any] = []
        self.runtime = ExpressionRuntime(
            plan,
            engine=engine,
            clock=lambda: task.now_ms,
            execution_id=task.execution_id,
            execution_mode=task.execution_mode,
            random_seed=task.random_seed,
            resume_url=task.resume_url,
            env=env,
            variables=variables,
            python_pool=python_pool,
        )
        self.runtime.custom_data.update(task.custom_data)
        self.runtime.static_data = dict(task.static_data)
        connection_input = task.connection_input
        if connection_input is None:
            connection_input = task.inputs[0] if task.inputs else []
        self.request = NodeRequest(
            node=self.node,
            inputs=task.inputs,
            run_index=task.run_index,
            source=task.source,
            connection_input=connection_input,
            state=task.state,
            execution=ExecutionState(plan=plan, run_data=task.run_data, node_contexts=task.node_contexts),
        )
        self.started = time.perf_counter()

    def extras(self, request: NodeRequest) -> dict[str, Any]:
        return {
            **self.runtime.extras(request),
            "logs": self.logs,
            "now_ms": self.task.now_ms,
            "binary": self.binary,
            "file_roots": self.file_roots,
        }

    def node_run(self) -> NodeRun:
        return NodeRun(
            node=self.node,
            inputs=self.request.inputs,
            params=self.runtime.parameters(self.request),
            run_index=self.request.run_index,
            state=self.request.state,
            extras=self.extras(self.request),
        )

    def finish(self, result: NodeResult) -> NodeTaskOutput:
        """Retry per the node's settings (by raising), else the output for the workflow."""
        info = activity.info()
        settings = self.node.settings
        legacy = not self.task.retry_in_workflow
        if legacy and settings.retry_on_fail and result_failed(result) and info.attempt < settings.max_tries:
            # Temporal waits `wait_between_tries` and tries again (the node's retry policy).
            message = result.error.message if result.error else "node output carries an error"
            raise ApplicationError(f"node {self.node.name!r} failed: {message}", type="NodeRetry")
        size = len(json.dumps(result.outputs, default=str)) if result.outputs else 0
        if size > MAX_OUTPUT_BYTES:
            result = NodeResult(
                error=NodeFailure(
                    f"The output of node '{self.node.name}' is {size:,} bytes, over Hive's limit of "
                    f"{MAX_OUTPUT_BYTES:,} bytes per node run",
                    description="Split the items into batches (Loop Over Items) or keep fewer fields.",
                ),
                state=result.state,
            )
        failure = result.error
        elapsed_ms = round((time.perf_counter() - self.started) * 1000)
        log.debug(
            "ran node %r run %d of %s: %s in %d ms",
            self.node.name,
            self.task.run_index,
            info.workflow_id,
            "error" if failure else "ok",
            elapsed_ms,
        )
        return NodeTaskOutput.model_construct(
            outputs=result.outputs,
            error=NodeFailureModel(
                message=failure.message,
                description=failure.description,
                item_index=failure.item_index,
                name=failure.name,
                extra=dict(failure.extra),
            )
            if failure
            else None,
            state=result.state,
            execution_time_ms=elapsed_ms,
            logs=self.logs,
            custom_data=dict(self.runtime.custom_data),
            static_data=dict(self.runtime.static_data),
            output_bytes=size if failure is None else 0,
        )


def runs_python(node: PlanNode) -> bool:
    """True for a Code node (version 2+) whose language is Python."""
    return (
        node.type == "n8n-nodes-base.code"
        and node.type_version >= 2
        and node.parameters.get("language") in PYTHON_LANGUAGES
    )


class FileAccess:
    """The binary data store and the disk roots file nodes may read and write."""

    def __init__(self, store: BinaryStore | None = None, roots: list[Path] | None = None) -> None:
        self.store = store
        self.roots = list(roots or [])


class NodeActivities:
    def __init__(
        self,
        http: httpx.AsyncClient,
        credentials: CredentialSource,
        *,
        env: Mapping[str, str] | None = None,
        variables: Mapping[str, str] | None = None,
        max_runs: int = 16,
        files: FileAccess | None = None,
        python: PythonPool | None = None,
    ) -> None:
        self._http = http
        # Python Code nodes run in these interpreter processes (started on first use).
        self._python = python or PythonPool()
        self._files = files or FileAccess()
        self._credentials = credentials
        # `$env` / `$vars` of every expression run here (fixed for the worker's lifetime).
        self._env = dict(env or {})
        self._vars = dict(variables or {})
        # Per workflow run: its V8 engine and its parsed plan, least recently used first.
        self._runs: OrderedDict[str, tuple[ExpressionEngine, Plan]] = OrderedDict()
        self._max_runs = max_runs

    def _prepare(self, task: NodeTaskInput) -> _Prepared:
        info = activity.info()
        run_id = info.workflow_run_id or info.activity_id
        cached = self._runs.pop(run_id, None)
        if cached is None:
            cached = (ExpressionEngine(), Plan.model_validate_json(task.plan_json))
        self._runs[run_id] = cached
        while len(self._runs) > self._max_runs:
            _, (evicted, _plan) = self._runs.popitem(last=False)
            evicted.close()
        return _Prepared(cached[0], cached[1], task, self._env, self._vars, self._files, self._python)

    def close(self) -> None:
        for engine, _plan in self._runs.values():
            engine.close()
        self._runs.clear()
        self._python.close()

    @activity.defn(name="hive.n8n.run_pure_node")
    async def run_pure_node(self, task: NodeTaskInput) -> NodeTaskOutput:
        prepared = self._prepare(task)
        # Secret-using nodes (JWT, ...) get their credential here, inside the activity; only a
        # node that references credentials asks the store.
        references = prepared.node.credentials
        resolver = await self._credentials.for_node(references) if references else None

        def credential_data(node: PlanNode, credential_type: str) -> dict[str, str]:
            if resolver is None:
                raise NodeError(
                    f'Node "{node.name}" does not have any credentials set for "{credential_type}"'
                )
            ref = node.credentials[credential_type]
            return dict(resolver.resolve(credential_type, ref.id, ref.name).data)

        def extras(request: NodeRequest) -> dict[str, Any]:
            return {**prepared.extras(request), CREDENTIAL_EXTRA: credential_data}

        executor = LocalExecutor(
            NODE_FUNCTIONS, params_factory=prepared.runtime.parameters, extras_factory=extras
        )
        if runs_python(prepared.node):
            # A Python Code node waits on its interpreter process for up to its time limit (60 s
            # by default, against V8's 1 s): off the event loop, so the worker's other
            # activities and heartbeats go on meanwhile.
            result = await asyncio.to_thread(asyncio.run, executor(prepared.request))
            return prepared.finish(result)
        return prepared.finish(await executor(prepared.request))

    @activity.defn(name="hive.n8n.run_http_node")
    async def run_http_node(self, task: NodeTaskInput) -> NodeTaskOutput:
        prepared = self._prepare(task)
        run = prepared.node_run()

        async def call(credentials: CredentialResolver) -> NodeOutput:
            nonlocal run
            run = prepared.node_run()  # a fresh run if a 401 renewed an OAuth2 token
            return await run_http_request(
                run,
                self._http,
                credentials,
                expressions=EngineExpressions.for_request(prepared.runtime, prepared.request),
                heartbeat=activity.heartbeat,
            )

        try:
            # Credentials are resolved here, in the activity: only references travel in payloads.
            async with heartbeating():
                outputs = await run_with_credentials(self._credentials, prepared.node.credentials, call)
            result = NodeResult(outputs=outputs or None, state=run.state)
        except HttpTransportError as exc:
            # The target did not answer: the node's error (n8n retries it only with Retry On Fail).
            if not task.retry_in_workflow and activity.info().attempt < prepared.node.settings.max_tries:
                raise  # a run started before: Temporal retries with the node's policy
            result = NodeResult(error=_failure(exc.to_node_error()), state=run.state)
        except OperationalError as exc:
            # Hive's own infrastructure failed (e.g. the credential store): Temporal retries.
            raise to_application_error(exc) from exc
        except Exception as exc:  # n8n: whatever the node throws is the node's error
            result = NodeResult(error=_failure(exc), state=run.state)
        return prepared.finish(result)
