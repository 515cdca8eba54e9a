"""Builders for node-function tests: a NodeRun over literal parameters."""

from __future__ import annotations

from typing import Any

from n8n_import.plan import PlanNode
from n8n_import.registry import NodeKind
from n8n_runtime.nodes.base import Item, NodeRun
from n8n_runtime.nodes.data import DATA_NODES


class LiteralParams:
    """A ParameterAccess over literal values (``=text`` without ``{{`` is the text)."""

    def __init__(self, parameters: dict[str, Any]) -> None:
        self._parameters = parameters

    def raw(self, path: str, default: Any = None) -> Any:
        node: Any = self._parameters
        for key in path.split("."):
            if not isinstance(node, dict) or key not in node:
                return default
            node = node[key]
        return node

    def get(self, path: str, item_index: int = 0, default: Any = None) -> Any:
        return _literal(self.raw(path, default))


def _literal(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("=") and "{{" not in value:
        return value[1:]
    if isinstance(value, dict):
        return {k: _literal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_literal(v) for v in value]
    return value


def make_run(
    node_type: str,
    version: float,
    parameters: dict[str, Any],
    jsons: list[dict[str, Any]] | None = None,
    *,
    items: list[Item] | None = None,
    extras: dict[str, Any] | None = None,
    name: str = "Node",
) -> NodeRun:
    """A run of ``n8n-nodes-base.<node_type>`` over items built from ``jsons``."""
    node = PlanNode(
        name=name,
        type=f"n8n-nodes-base.{node_type}",
        type_version=version,
        kind=NodeKind.DATA,
        parameters=parameters,
    )
    inputs = items if items is not None else [{"json": j} for j in (jsons or [])]
    return NodeRun(node=node, inputs=[inputs], params=LiteralParams(parameters), extras=dict(extras or {}))


def execute(
    node_type: str,
    version: float,
    parameters: dict[str, Any],
    jsons: list[dict[str, Any]] | None = None,
    **kw: Any,
) -> list[Item]:
    """Run the node and return output 0."""
    run = make_run(node_type, version, parameters, jsons, **kw)
    output = DATA_NODES[f"n8n-nodes-base.{node_type}"](run)
    return output[0] or []


def jsons(items: list[Item]) -> list[dict[str, Any]]:
    """The json of each item."""
    return [item["json"] for item in items]
