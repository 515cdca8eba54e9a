"""Expressions for the nodes of one run: builds the engine's `ExpressionContext` from a request.

`ExpressionRuntime` owns the per-run state n8n keeps next to the run data (`$execution.customData`,
workflow static data) and one `ExpressionEngine` (one V8 context per run). Use its `parameters`
as the executor's params factory and its `extras` for the Code node runner.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from hive_core.binary_data import ExecutionBinary
from n8n_import.plan import Plan
from n8n_runtime.code_binary import load_inputs, store_outputs, uses_binary
from n8n_runtime.code_node import run_code, sort_items
from n8n_runtime.code_python import PythonPool, run_python_code
from n8n_runtime.engine.graph import ConnectionIndex
from n8n_runtime.engine.types import NodeRequest
from n8n_runtime.expressions import DEFAULT_TIMEZONE, ExpressionContext, ExpressionEngine
from n8n_runtime.nodes.base import Item, NodeRun
from n8n_runtime.params import ExpressionParameters

CodeRunner = Callable[[NodeRun, str, str], tuple[list[Item], list[Any]]]


class ExpressionRuntime:
    """Expression evaluation (and Code node JavaScript) for one workflow run."""

    def __init__(
        self,
        plan: Plan,
        *,
        engine: ExpressionEngine | None = None,
        clock: Callable[[], int] = lambda: 0,
        execution_id: str = "",
        execution_mode: str = "manual",
        random_seed: int = 0,
        resume_url: str | None = None,
        env: Mapping[str, str] | None = None,
        variables: Mapping[str, Any] | None = None,
        python_pool: PythonPool | None = None,
    ) -> None:
        """Args:
        plan: the running plan.
        engine: the V8 engine to use (a new one by default; close it with `close()`).
        clock: workflow time in ms (`$now`, `Date.now()`).
        execution_id / execution_mode: what `$execution` reports.
        random_seed: seed of `Math.random` (deterministic replays).
        python_pool: the interpreters of Python Code nodes (none: they fail with a clear error).
        """
        self._plan = plan
        self._own_engine = engine is None
        self.engine = engine if engine is not None else ExpressionEngine()
        self._clock = clock
        self._execution_id = execution_id
        self._execution_mode = execution_mode
        self._seed = random_seed
        self._resume_url = resume_url
        self._env = dict(env or {})
        self._vars = dict(variables or {})
        self._python_pool = python_pool
        self._graph = ConnectionIndex(plan)
        self._output_index: dict[str, dict[str, int]] = {}
        self.custom_data: dict[str, str] = {}
        self.static_data: dict[str, Any] = dict(plan.static_data or {})
        self._workflow_nodes = {
            name: {"type": node.type, "typeVersion": node.type_version, "parameters": node.parameters}
            for name, node in plan.nodes.items()
        }
        self._last: tuple[NodeRequest, ExpressionContext] | None = None

    def close(self) -> None:
        """Release the engine if this runtime created it."""
        if self._own_engine:
            self.engine.close()

    def context(self, request: NodeRequest) -> ExpressionContext:
        """The engine context of one node run (cached: the engine pushes data once per context)."""
        if self._last is not None and self._last[0] is request:
            return self._last[1]
        node = request.node
        inputs = [list(items) for items in request.inputs]
        if inputs and not inputs[0] and request.connection_input:
            # v1 order reads expressions from the first input that has items.
            inputs[0] = list(request.connection_input)
        context = ExpressionContext(
            node_name=node.name,
            node_type=node.type,
            node_version=node.type_version,
            node_parameters=node.parameters,
            inputs=inputs,
            run_data=request.execution.run_data,
            source=request.source,
            run_index=request.run_index,
            workflow={"id": self._plan.workflow_id or "", "name": self._plan.name, "active": False},
            execution_id=self._execution_id,
            execution_mode=self._execution_mode,
            resume_url=self._resume_url,
            # n8n's form pages wait at `/form-waiting/<id>`, beside the webhook's resume URL.
            resume_form_url=self._resume_url.replace("/webhook-waiting/", "/form-waiting/", 1)
            if self._resume_url
            else None,
            env=self._env,
            vars=self._vars,
            now_ms=self._clock(),
            timezone=self._plan.settings.timezone or DEFAULT_TIMEZONE,
            random_seed=self._seed,
            workflow_nodes=self._workflow_nodes,
            node_context=request.execution.node_contexts,
            output_index=self._outputs_towards(node.name),
            custom_data=self.custom_data,
            static_data=self.static_data,
            node_id=node.id,
            webhook_id=node.webhook_id,
        )
        self._last = (request, context)
        return context

    def parameters(self, request: NodeRequest) -> ExpressionParameters:
        """The node's `ParameterAccess` (pass as `LocalExecutor(params_factory=...)`)."""
        context = self.context(request)
        resolver = _EngineResolver(self.engine, context)
        return ExpressionParameters(request.node, resolver, item_count=len(context.input_items))

    def extras(self, request: NodeRequest) -> dict[str, Any]:
        """Hooks for nodes that run JavaScript (pass as `LocalExecutor(extras_factory=...)`):
        `code_runner` (Code / Function nodes), `python_runner` (Python Code nodes) and
        `sort_by_code` (the Sort node's code mode)."""
        context = self.context(request)

        def code_runner(run: NodeRun, code: str, mode: str) -> tuple[list[Item], list[Any]]:
            kind = mode if mode in ("function", "functionItem") else "code"
            node_mode = "runOnceForEachItem" if mode in ("functionItem", "runOnceForEachItem") else mode
            continue_on_fail = run.node.settings.on_error != "stopWorkflow"
            binary = run.extras.get("binary")
            code_context = context
            if isinstance(binary, ExecutionBinary) and uses_binary(code):
                code_context = load_inputs(context, binary)
            items, logs = run_code(
                self.engine, code_context, code, mode=node_mode, kind=kind, continue_on_fail=continue_on_fail
            )
            if isinstance(binary, ExecutionBinary):
                items = store_outputs(items, binary)
            return items, list(logs)

        def sort_by_code(code: str, items: list[Item]) -> list[Item]:
            return sort_items(code, items, engine=self.engine, ctx=context)

        def python_runner(run: NodeRun, code: str, mode: str, language: str) -> tuple[list[Item], list[Any]]:
            if self._python_pool is None:
                raise ValueError("Python Code nodes need the worker's Python interpreter pool")
            continue_on_fail = run.node.settings.on_error != "stopWorkflow"
            items, logs = run_python_code(
                self._python_pool,
                context,
                code,
                mode=mode,
                language=language,
                continue_on_fail=continue_on_fail,
            )
            return items, list(logs)

        return {
            "code_runner": code_runner,
            "python_runner": python_runner,
            "sort_by_code": sort_by_code,
            # `$execution.customData` (Execution Data writes it) and the run's random seed
            # (Debug Helper's random data, Crypto's generate: repeatable on replay).
            "custom_data": self.custom_data,
            "random_seed": self._seed,
        }

    def _outputs_towards(self, name: str) -> dict[str, int]:
        """For each ancestor, the output on the path to `name` (n8n's getNodeConnectionIndexes)."""
        cached = self._output_index.get(name)
        if cached is not None:
            return cached
        result: dict[str, int] = {}
        seen: set[str] = set()
        queue = deque([name])
        while queue:
            current = queue.popleft()
            if current in seen:
                continue
            seen.add(current)
            for slot in self._graph.by_dest.get(current, ()):
                for source in slot:
                    result.setdefault(source.node, source.output_index)
                    if source.node not in seen:
                        queue.append(source.node)
        self._output_index[name] = result
        return result


class _EngineResolver:
    """`ParameterResolver` over the engine: one batch call per parameter path."""

    def __init__(self, engine: ExpressionEngine, context: ExpressionContext) -> None:
        self._engine = engine
        self._context = context

    def resolve_each(self, value: Any, path: str, item_indices: Sequence[int]) -> list[Any]:
        previous = self._context.parameter_path
        self._context.parameter_path = path
        try:
            return self._engine.resolve_parameters_each(value, self._context, list(item_indices))
        finally:
            self._context.parameter_path = previous


__all__ = ["CodeRunner", "ExpressionRuntime"]
