"""Small n8n workflows for scheduler tests, run with the control nodes plus a fake Code node."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

from n8n_import.compiler import compile_export
from n8n_import.plan import Plan
from n8n_runtime.engine import LocalExecutor, RunResult, WorkflowRun
from n8n_runtime.nodes.base import NodeError, NodeFunction, NodeOutput, NodeRun
from n8n_runtime.nodes.control import CONTROL_NODES

CODE = "n8n-nodes-base.code"


def fake_code(run: NodeRun) -> NodeOutput:
    """Parameters drive it: `items` (json list) to emit, `fail` to raise, `echo` to pass input."""
    params = run.node.parameters
    if params.get("fail"):
        raise NodeError(str(params["fail"]), item_index=0)
    if params.get("echo"):
        return [[{"json": dict(item["json"])} for item in run.items]]
    return [[{"json": dict(j)} for j in params.get("items", [])]]


def node(
    name: str,
    short_type: str,
    version: float = 1,
    params: dict[str, Any] | None = None,
    position: tuple[float, float] = (0, 0),
    **settings: Any,
) -> dict[str, Any]:
    return {
        "name": name,
        "type": "n8n-nodes-base." + short_type,
        "typeVersion": version,
        "parameters": params or {},
        "position": list(position),
        **settings,
    }


def workflow(
    nodes: list[dict[str, Any]],
    edges: Sequence[tuple[Any, ...]],
    *,
    order: str = "v1",
    pin_data: dict[str, list[dict[str, Any]]] | None = None,
) -> Plan:
    connections: dict[str, Any] = {}
    for edge in edges:
        source, target, output, input_index = (*edge, 0, 0)[:4]
        slots = connections.setdefault(source, {"main": []})["main"]
        while len(slots) <= output:
            slots.append([])
        slots[output].append({"node": target, "type": "main", "index": input_index})
    data: dict[str, Any] = {"nodes": nodes, "connections": connections, "settings": {"executionOrder": order}}
    if pin_data:
        data["pinData"] = pin_data
    return compile_export(data)[0]


class Counting:
    """Wraps node functions to count how often each node ran."""

    def __init__(self, functions: dict[str, NodeFunction]) -> None:
        self.calls: dict[str, int] = {}
        self.functions = {t: self._wrap(f) for t, f in functions.items()}

    def _wrap(self, function: NodeFunction) -> NodeFunction:
        def wrapped(run: NodeRun) -> NodeOutput:
            self.calls[run.node.name] = self.calls.get(run.node.name, 0) + 1
            return function(run)

        return wrapped


async def run(
    plan: Plan,
    *,
    functions: dict[str, NodeFunction] | None = None,
    clock: Callable[[], int] | None = None,
    **kwargs: Any,
) -> RunResult:
    table = functions if functions is not None else {**CONTROL_NODES, CODE: fake_code}
    ticks = itertools.count(1000, 5)
    return await WorkflowRun(plan, clock=clock or (lambda: next(ticks)), **kwargs).run(LocalExecutor(table))


def output(result: RunResult, name: str, run_index: int = 0, index: int = 0) -> list[dict[str, Any]] | None:
    main = result.run_data[name][run_index]["data"]["main"]
    items = main[index] if index < len(main) else None
    return None if items is None else [item["json"] for item in items]
