"""Build a `NodeRun` for one control node with literal parameters."""

from __future__ import annotations

from typing import Any, cast

from n8n_import.model import OnError
from n8n_import.plan import NodeSettings, PlanNode
from n8n_import.registry import get_spec
from n8n_runtime.nodes.base import Item, NodeOutput, NodeRun
from n8n_runtime.nodes.control import CONTROL_NODES
from n8n_runtime.params import ExpressionParameters


def items(*jsons: dict[str, Any]) -> list[Item]:
    """Items with the input lineage the scheduler stamps on them."""
    return [{"json": j, "pairedItem": {"item": i}} for i, j in enumerate(jsons)]


def make_run(
    node_type: str,
    version: float,
    parameters: dict[str, Any] | None = None,
    *inputs: list[Item],
    on_error: str = "stopWorkflow",
    state: dict[str, Any] | None = None,
    extras: dict[str, Any] | None = None,
) -> NodeRun:
    full_type = "n8n-nodes-base." + node_type
    spec = get_spec(full_type)
    assert spec is not None
    node = PlanNode(
        name=node_type.capitalize(),
        type=full_type,
        type_version=version,
        kind=spec.kind,
        parameters=parameters or {},
        settings=NodeSettings(on_error=cast(OnError, on_error)),
        input_count=max(1, len(inputs)),
    )
    return NodeRun(
        node=node,
        inputs=[list(i) for i in inputs] or [[]],
        params=ExpressionParameters(node),
        state=state if state is not None else {},
        extras=extras or {"timezone": "UTC"},
    )


def run_node(
    node_type: str, version: float, parameters: dict[str, Any] | None = None, *inputs: list[Item], **kw: Any
) -> list[list[Item]]:
    """Outputs of the node (an output without items, or n8n's null, is [])."""
    run = make_run(node_type, version, parameters, *inputs, **kw)
    output: NodeOutput = CONTROL_NODES["n8n-nodes-base." + node_type](run)
    return [items or [] for items in output]


def jsons(output: list[Item] | None) -> list[dict[str, Any]]:
    return [item["json"] for item in output or []]
