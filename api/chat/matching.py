"""Which active workflow's Chat Trigger answers `/webhook/<webhookId>/chat` (n8n's chat URL)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from api.webhooks.matching import TriggerTarget
from n8n_import.plan import Plan, PlanNode

CHAT_TRIGGER_TYPE = "@n8n/n8n-nodes-langchain.chatTrigger"


@dataclass(frozen=True)
class ChatTarget(TriggerTarget):
    @property
    def mode(self) -> str:
        """`hostedChat` (Hive serves the page) or `webhook` (an embedded widget calls it)."""
        return str(self.node.parameters.get("mode") or "hostedChat")

    @property
    def public(self) -> bool:
        return bool(self.node.parameters.get("public", False))

    @property
    def response_mode(self) -> str:
        """n8n's webhook description: `options.responseMode`, else streaming when the agent is
        available in n8n Chat (v1.2+), else `lastNode`."""
        mode = self.options.get("responseMode")
        if mode:
            return str(mode)
        if self.node.parameters.get("availableInChat") and self.node.type_version >= 1.2:
            return "streaming"
        return "lastNode"

    def memory(self) -> PlanNode | None:
        """The memory connected to the trigger (for loadPreviousSession "From Memory")."""
        names = self.node.sub_nodes.get("ai_memory", [])
        nodes = [
            self.plan.nodes[n] for n in names if n in self.plan.nodes and not self.plan.nodes[n].disabled
        ]
        return nodes[0] if nodes else None


def find_chat_trigger(plans: Iterable[tuple[str, Plan]], webhook_id: str) -> ChatTarget | None:
    """The first active Chat Trigger whose webhook id is ``webhook_id``."""
    for workflow_id, plan in plans:
        for node in plan.nodes.values():
            if node.type == CHAT_TRIGGER_TYPE and not node.disabled and node.webhook_id == webhook_id:
                return ChatTarget(workflow_id, plan, node)
    return None


__all__ = ["CHAT_TRIGGER_TYPE", "ChatTarget", "find_chat_trigger"]
