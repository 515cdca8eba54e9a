"""Webhook triggers of services on the node host: which nodes, their URLs, (un)registering them.

A node-host trigger whose n8n description has `webhooks` (Telegram, GitHub, Typeform...) is
served at n8n's production URL `{public URL}/webhook/{webhookId}/{path}` (or
`/webhook/{workflow id}/{node name}/{path}` for a node without a webhook id, as n8n's
NodeHelpers.getNodeWebhookPath builds it). Activating its workflow runs the node's own
`webhookMethods` (checkExists, create) through `WebhookSetupWorkflow`; a refusal is a
`WebhookRegistrationError` (409) naming the node and the service's message, and what was
registered before it is unregistered again, so no workflow is left half active. Deactivating
runs `delete` (a refusal is logged, as n8n goes on deactivating).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal
from urllib.parse import quote

from temporalio.client import Client, WorkflowFailureError
from temporalio.service import RPCError

from hive_core.errors import ConflictError, EngineUnavailableError
from n8n_import.node_catalog import load_catalog
from n8n_import.plan import Plan, PlanNode
from workflows.webhook_trigger import WebhookSetupInput, WebhookSetupWorkflow

log = logging.getLogger(__name__)

# How long activation waits for a node host to register a webhook.
SETUP_TIMEOUT = timedelta(seconds=90)


class WebhookRegistrationError(ConflictError):
    """The service refused to register the trigger's webhook: the workflow stays inactive."""


def is_service_webhook(node: PlanNode) -> bool:
    """A node-host trigger served by webhooks (its catalog entry says `webhook`, not `polling`)."""
    if node.runner != "node_host" or node.disabled:
        return False
    entry = load_catalog().get(node.type)
    return entry is not None and entry.trigger and entry.webhook and not entry.poll


def service_webhook_nodes(plan: Plan) -> list[PlanNode]:
    return [node for node in plan.nodes.values() if is_service_webhook(node)]


def path_prefix(workflow_id: str, node: PlanNode) -> list[str]:
    """The first segments of the node's webhook paths (n8n's getNodeWebhookPath)."""
    if node.webhook_id:
        return [node.webhook_id]
    return [workflow_id, quote(node.name.lower(), safe="")]


@dataclass(frozen=True)
class ServiceWebhookTarget:
    workflow_id: str
    plan: Plan
    node: PlanNode


def find_service_webhook(plans: Iterable[tuple[str, Plan]], path: str) -> ServiceWebhookTarget | None:
    """The active service trigger whose webhook paths start like ``path``; the node host then
    matches the method and the rest of the path against the node's own webhook descriptions."""
    segments = [part for part in path.strip("/").split("/") if part]
    for workflow_id, plan in plans:
        for node in service_webhook_nodes(plan):
            prefix = path_prefix(workflow_id, node)
            if segments[: len(prefix)] == prefix:
                return ServiceWebhookTarget(workflow_id, plan, node)
    return None


async def _setup(
    client: Client,
    task_queue: str,
    workflow_id: str,
    plan: Plan,
    node: PlanNode,
    action: Literal["create", "delete"],
    activation: Literal["activate", "init", "update"],
    webhook_base_url: str,
) -> str | None:
    """Run one node's registration; the service's error message, or None when it went through."""
    request = WebhookSetupInput(
        plan=plan,
        workflow_id=workflow_id,
        node=node.name,
        action=action,
        activation=activation,
        webhook_base_url=webhook_base_url,
    )
    try:
        result = await client.execute_workflow(
            WebhookSetupWorkflow.run,
            request,
            id=f"hive-webhook-setup-{workflow_id}-{uuid.uuid4().hex[:12]}",
            task_queue=task_queue,
            execution_timeout=SETUP_TIMEOUT,
        )
    except WorkflowFailureError as exc:
        cause = exc.cause
        return f"no n8n node host answered within {SETUP_TIMEOUT.seconds} s ({cause or exc})"
    except RPCError as exc:
        raise EngineUnavailableError(f"cannot register webhooks through Temporal: {exc}") from exc
    if result.error is None:
        return None
    return result.error.message + (f" ({result.error.description})" if result.error.description else "")


async def register_webhooks(
    client: Client,
    task_queue: str,
    workflow_id: str,
    plan: Plan,
    webhook_base_url: str,
    activation: Literal["activate", "init", "update"] = "activate",
) -> list[str]:
    """Register every service webhook of ``plan``; the names of the nodes registered.

    Raises:
        WebhookRegistrationError: a node's service refused (every node is unregistered again).
    """
    done: list[PlanNode] = []
    for node in service_webhook_nodes(plan):
        error = await _setup(
            client, task_queue, workflow_id, plan, node, "create", activation, webhook_base_url
        )
        if error is not None:
            await unregister_webhooks(
                client, task_queue, workflow_id, plan, webhook_base_url, nodes=[*done, node]
            )
            raise WebhookRegistrationError(
                f'Workflow could not be activated: node "{node.name}" ({node.type}) could not register '
                f"its webhook: {error}",
                node=node.name,
                workflow_id=workflow_id,
            )
        done.append(node)
    return [node.name for node in done]


async def unregister_webhooks(
    client: Client,
    task_queue: str,
    workflow_id: str,
    plan: Plan,
    webhook_base_url: str,
    *,
    nodes: Sequence[PlanNode] | None = None,
) -> list[str]:
    """Run `delete` for each service webhook node; returns the nodes whose service refused."""
    refused: list[str] = []
    for node in service_webhook_nodes(plan) if nodes is None else nodes:
        error = await _setup(
            client, task_queue, workflow_id, plan, node, "delete", "update", webhook_base_url
        )
        if error is not None:
            log.warning(
                "unregistering the webhook of %r (workflow %s) failed: %s", node.name, workflow_id, error
            )
            refused.append(node.name)
    return refused


__all__ = [
    "ServiceWebhookTarget",
    "WebhookRegistrationError",
    "find_service_webhook",
    "is_service_webhook",
    "path_prefix",
    "register_webhooks",
    "service_webhook_nodes",
    "unregister_webhooks",
]
