"""The pure half of n8n's Chat Memory Manager (`memoryManager` 1, 1.1): which conversation (its
connected memory's session key) and what to do with it, per item.

    load    Get Many Messages: every message, simplified ({human, ai, system} per exchange) or as
            LangChain serializes them, grouped into one item ({messages, messagesCount}) or not
    insert  Insert Messages (or override the conversation with them)
    delete  Delete the last N messages, or all
"""

from __future__ import annotations

from typing import Any

from n8n_runtime.ai.instruction import AI_KEY, AiInstruction, ItemCall
from n8n_runtime.ai.prepare import _memory, _Scope
from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun

MEMORY_MANAGER = "@n8n/n8n-nodes-langchain.memoryManager"
# n8n's message types → the roles the memory store keeps (LangChain's type names).
_ROLES = {"ai": "ai", "system": "system", "user": "human"}


def _call(scope: _Scope, item: int) -> ItemCall:
    params, version = scope.run.params, float(scope.node.type_version)
    memory = _memory(scope, item)
    if memory is None:
        raise NodeError("Connect a memory (Simple Memory) over ai_memory", item_index=item)
    mode = params.get("mode", 0, "load")
    routing: dict[str, Any] = {"mode": mode, "version": version}
    if mode == "insert":
        values = params.get("messages.messageValues", item, []) or []
        routing["override"] = params.get("insertMode", item, "insert") == "override"
        routing["messages"] = [
            {"role": _ROLES.get(str(v.get("type", "system")), "system"), "content": str(v.get("message", ""))}
            for v in values
        ]
    elif mode == "delete":
        routing["all"] = params.get("deleteMode", item, "lastN") == "all"
        routing["count"] = int(params.get("lastMessagesCount", item, 2))
    else:
        options = params.get("options", item, {}) or {}
        group = options.get("groupMessages")
        routing["simplify"] = bool(params.get("simplifyOutput", item, True))
        # Grouping is on unless switched off; version 1 without the option does not group.
        routing["group"] = group is not False and not (group is None and version == 1)
    return ItemCall(item_index=item, memory=memory, routing=routing)


def run_memory_manager(run: NodeRun) -> NodeOutput:
    """Record each item's memory operation."""
    scope = _Scope(run)
    calls: list[ItemCall] = []
    for item in range(len(run.items)):
        try:
            calls.append(_call(scope, item))
        except Exception as error:  # noqa: BLE001 - every failure becomes that item's error
            calls.append(ItemCall(item_index=item, error=str(getattr(error, "message", None) or error)))
    instruction = AiInstruction(kind="memory_manager", type_version=float(run.node.type_version), items=calls)
    run.state[AI_KEY] = instruction.model_dump(mode="json")
    return [list(run.items)]


MEMORY_MANAGER_NODES: dict[str, Any] = {MEMORY_MANAGER: run_memory_manager}

__all__ = ["MEMORY_MANAGER_NODES", "run_memory_manager"]
