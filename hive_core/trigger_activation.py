"""Activating a workflow's node-host triggers, for the API and `hive workflows import --activate`.

Webhook triggers of services get their webhooks registered with their services
(hive_core.service_webhooks); triggers that keep a connection open get a listening workflow
(hive_core.trigger_listeners). Deactivation undoes both. Schedules (Schedule Trigger, Cron,
polling triggers) are synced separately (hive_core.schedules).
"""

from __future__ import annotations

from typing import Literal

from temporalio.client import Client

from hive_core.approvals.models import ApprovalPolicy
from hive_core.service_webhooks import register_webhooks, service_webhook_nodes, unregister_webhooks
from hive_core.trigger_listeners import listener_nodes, start_listeners, stop_listeners
from n8n_import.plan import Plan

Activation = Literal["activate", "init", "update"]


class TriggerActivation:
    """Registers/starts and unregisters/stops the node-host triggers of stored workflows."""

    def __init__(self, client: Client, task_queue: str, public_url: str, approval: ApprovalPolicy) -> None:
        self._client = client
        self._task_queue = task_queue
        self._webhook_base = f"{public_url.rstrip('/')}/webhook"
        self._approval = approval

    async def activate(self, workflow_id: str, plan: Plan, activation: Activation = "activate") -> None:
        """Raises WebhookRegistrationError (409) naming the node when its service refuses;
        then nothing of this workflow stays registered."""
        if service_webhook_nodes(plan):
            await register_webhooks(
                self._client, self._task_queue, workflow_id, plan, self._webhook_base, activation
            )
        if listener_nodes(plan):
            try:
                await start_listeners(self._client, self._task_queue, workflow_id, plan, self._approval)
            except Exception:
                await unregister_webhooks(
                    self._client, self._task_queue, workflow_id, plan, self._webhook_base
                )
                raise

    async def deactivate(self, workflow_id: str, plan: Plan) -> None:
        if listener_nodes(plan):
            await stop_listeners(self._client, workflow_id, plan)
        if service_webhook_nodes(plan):
            await unregister_webhooks(self._client, self._task_queue, workflow_id, plan, self._webhook_base)


__all__ = ["Activation", "TriggerActivation"]
