"""Which active workflow's Webhook node answers `METHOD /webhook/<path>` (n8n's routing rules).

A static path matches as is; a path with `:name` segments matches under the node's webhook id
(`/webhook/<webhookId>/<path>`), as n8n's production URLs do, and fills `params`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from n8n_import.plan import Plan, PlanNode

WEBHOOK_TYPE = "n8n-nodes-base.webhook"


@dataclass(frozen=True)
class TriggerTarget:
    """A trigger node of an active workflow that an incoming request is routed to."""

    workflow_id: str
    plan: Plan
    node: PlanNode

    @property
    def options(self) -> dict[str, Any]:
        options = self.node.parameters.get("options") or {}
        return options if isinstance(options, dict) else {}


@dataclass(frozen=True)
class WebhookTarget(TriggerTarget):
    output_index: int
    params: dict[str, str] = field(default_factory=dict)


def node_methods(node: PlanNode) -> list[str]:
    """The node's HTTP methods, in output order (v2 may listen on several)."""
    if node.parameters.get("multipleMethods"):
        methods = node.parameters.get("httpMethod") or ["GET", "POST"]
        return [str(m).upper() for m in (methods if isinstance(methods, list) else [methods])]
    return [str(node.parameters.get("httpMethod") or "GET").upper()]


def segments(path: str) -> list[str]:
    return [part for part in path.strip("/").split("/") if part]


def _match(pattern: list[str], actual: list[str]) -> dict[str, str] | None:
    if len(pattern) != len(actual):
        return None
    params: dict[str, str] = {}
    for want, got in zip(pattern, actual, strict=True):
        if want.startswith(":"):
            params[want[1:]] = got
        elif want != got:
            return None
    return params


def find_webhook(plans: Iterable[tuple[str, Plan]], method: str, path: str) -> WebhookTarget | None:
    """The first active Webhook node listening on ``method`` and ``path``."""
    actual = segments(path)
    method = method.upper()
    for workflow_id, plan in plans:
        for node in plan.nodes.values():
            if node.type != WEBHOOK_TYPE or node.disabled:
                continue
            methods = node_methods(node)
            if method not in methods:
                continue
            pattern = segments(str(node.parameters.get("path") or node.webhook_id or ""))
            dynamic = any(part.startswith(":") for part in pattern)
            if dynamic and node.webhook_id:
                pattern = [node.webhook_id, *pattern]
            params = _match(pattern, actual)
            if params is not None:
                return WebhookTarget(workflow_id, plan, node, methods.index(method), params)
    return None
