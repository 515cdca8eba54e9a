"""ExpressionParameters (literal fast path, batching, lazy errors), LocalExecutor and retries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from n8n_import.plan import NodeSettings, PlanNode
from n8n_import.registry import NodeKind
from n8n_runtime.engine import ExecutionState, LocalExecutor, NodeFailure, NodeRequest, NodeResult
from n8n_runtime.engine.expressions import ExpressionRuntime
from n8n_runtime.engine.retry import RetryingExecutor
from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.registry import NODE_FUNCTIONS
from n8n_runtime.params import ExpressionParameters
from tests.n8n_runtime.engine.helpers import node, workflow


def _node(parameters: dict[str, Any], **settings: Any) -> PlanNode:
    return PlanNode(
        name="N",
        type="n8n-nodes-base.noOp",
        type_version=1,
        kind=NodeKind.DATA,
        parameters=parameters,
        settings=NodeSettings(**settings),
    )


class _Resolver:
    """Counts batch calls; `=fail` fails for item 1 only."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[int]]] = []

    def resolve_each(self, value: Any, path: str, item_indices: Sequence[int]) -> list[Any]:
        indices = list(item_indices)
        self.calls.append((path, indices))
        return [ValueError("bad item") if value == "=fail" and i == 1 else f"{value}#{i}" for i in indices]


def test_literal_parameters_are_copies() -> None:
    params = ExpressionParameters(_node({"options": {"a": [1]}}))
    got = params.get("options", 0, {})
    got["a"].append(2)
    assert params.get("options") == {"a": [1]}
    assert params.get("missing.path", 0, "fallback") == "fallback"
    assert params.raw("options.a") == [1]


def test_paths_with_indexes() -> None:
    params = ExpressionParameters(_node({"rules": {"values": [{"x": 1}, {"x": 2}]}}))
    assert params.get("rules.values[1].x") == 2
    assert params.get("rules.values[5].x", 0, None) is None


def test_expressions_resolve_once_per_path_for_all_items() -> None:
    resolver = _Resolver()
    params = ExpressionParameters(_node({"v": "={{ 1 }}"}), resolver, item_count=3)
    assert [params.get("v", i) for i in range(3)] == ["={{ 1 }}#0", "={{ 1 }}#1", "={{ 1 }}#2"]
    assert resolver.calls == [("v", [0, 1, 2])]


def test_a_failed_item_raises_only_when_asked_for() -> None:
    params = ExpressionParameters(_node({"v": "=fail"}), _Resolver(), item_count=2)
    assert params.get("v", 0) == "=fail#0"
    with pytest.raises(ValueError, match="bad item"):
        params.get("v", 1)


def test_without_an_engine_only_literal_templates_resolve() -> None:
    params = ExpressionParameters(_node({"a": "=plain", "b": "={{ $json.x }}"}))
    assert params.get("a") == "plain"
    with pytest.raises(NodeError, match="Cannot evaluate the expression in parameter 'b'"):
        params.get("b")


def _request(plan_node: PlanNode, items: list[dict[str, Any]] | None = None) -> NodeRequest:
    plan = workflow([node("T", "manualTrigger")], [])
    return NodeRequest(
        node=plan_node,
        inputs=[items or [{"json": {}}]],
        run_index=0,
        source=[],
        connection_input=items or [{"json": {}}],
        state={},
        execution=ExecutionState(plan=plan, run_data={}, node_contexts={}),
    )


async def test_local_executor_maps_outcomes() -> None:
    def boom(run: NodeRun) -> NodeOutput:
        raise NodeError("nope", description="why", item_index=2)

    def crash(run: NodeRun) -> NodeOutput:
        raise KeyError("x")

    def nothing(run: NodeRun) -> NodeOutput:
        run.state["seen"] = True
        return []

    executor = LocalExecutor({"t.boom": boom, "t.crash": crash, "t.none": nothing})
    failed = await executor(_request(_node({}).model_copy(update={"type": "t.boom"})))
    assert failed.error == NodeFailure("nope", description="why", item_index=2)
    crashed = await executor(_request(_node({}).model_copy(update={"type": "t.crash"})))
    assert crashed.error is not None and crashed.error.name == "KeyError"
    empty = await executor(_request(_node({}).model_copy(update={"type": "t.none"})))
    assert empty.outputs is None and empty.error is None and empty.state == {"seen": True}
    unknown = await executor(_request(_node({}).model_copy(update={"type": "t.unknown"})))
    assert unknown.error is not None and "Unsupported node type" in unknown.error.message


async def test_runtime_sorts_with_code_on_the_runs_engine() -> None:
    sort = PlanNode(
        name="Sort",
        type="n8n-nodes-base.sort",
        type_version=1,
        kind=NodeKind.DATA,
        parameters={"type": "code", "code": "return b.json.n - a.json.n"},
    )
    request = _request(sort, [{"json": {"n": 1}}, {"json": {"n": 3}}, {"json": {"n": 2}}])
    runtime = ExpressionRuntime(request.execution.plan)
    try:
        assert callable(runtime.extras(request)["sort_by_code"])
        executor = LocalExecutor(
            NODE_FUNCTIONS, params_factory=runtime.parameters, extras_factory=runtime.extras
        )
        result = await executor(request)
    finally:
        runtime.close()
    assert result.error is None and result.outputs is not None
    assert [(i["json"]["n"], i["pairedItem"]) for i in result.outputs[0] or []] == [
        (3, {"item": 1}),
        (2, {"item": 2}),
        (1, {"item": 0}),
    ]


class _Flaky:
    def __init__(self, results: list[NodeResult]) -> None:
        self.results = results
        self.calls = 0

    async def __call__(self, request: NodeRequest) -> NodeResult:
        self.calls += 1
        return self.results.pop(0)


async def test_retrying_executor_follows_node_settings() -> None:
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)

    error = NodeResult(error=NodeFailure("x"))
    error_item = NodeResult(outputs=[[{"json": {"error": "x"}}]])
    ok = NodeResult(outputs=[[{"json": {}}]])
    flaky = _Flaky([error, error_item, ok])
    retried = _node({}, retry_on_fail=True, max_tries=3, wait_between_tries_ms=250)
    assert await RetryingExecutor(flaky, sleep)(_request(retried)) is ok
    assert flaky.calls == 3 and pauses == [0.25, 0.25]
    once = _Flaky([error, ok])
    assert await RetryingExecutor(once, sleep)(_request(_node({}))) is error
