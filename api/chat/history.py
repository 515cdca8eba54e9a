"""`loadPreviousSession` "From Memory": the conversation of the trigger's memory, as the widget
expects it (LangChain's serialized messages, `{"data": [...]}`).

n8n answers with every message of the memory's chat history (not just its window), each as
LangChain's `message.toJSON()`: `{lc, type: "constructor", id: [..., "HumanMessage"], kwargs}`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.chat.matching import ChatTarget
from hive_core.db.chat_memory import recent_messages
from n8n_import.plan import PlanNode
from n8n_runtime.ai import memory_stores
from n8n_runtime.ai.instruction import MemorySpec
from n8n_runtime.ai.memory import StoredMessage
from n8n_runtime.ai.prepare import memory_spec
from n8n_runtime.expressions import ExpressionContext, ExpressionEngine
from n8n_runtime.http import CredentialResolver
from n8n_runtime.params import ExpressionParameters

# Hive's own chat memory reads by window; a conversation longer than this shows its recent part.
HISTORY_LIMIT = 10_000
_CLASSES = {"human": "HumanMessage", "ai": "AIMessage", "system": "SystemMessage"}


def lc_json(message: StoredMessage) -> dict[str, Any]:
    """LangChain's `toJSON()` of one message."""
    name = _CLASSES.get(message.role, "HumanMessage")
    kwargs: dict[str, Any] = {"content": message.content, "additional_kwargs": {}, "response_metadata": {}}
    if name == "AIMessage":
        kwargs |= {"tool_calls": [], "invalid_tool_calls": []}
    return {"lc": 1, "type": "constructor", "id": ["langchain_core", "messages", name], "kwargs": kwargs}


def _evaluated_spec(memory: PlanNode, body: dict[str, Any]) -> MemorySpec:
    # The memory's parameters see the request body as `$json`, as in n8n's webhook context.
    items = [{"json": body}]
    engine = ExpressionEngine()
    try:
        context = ExpressionContext(
            node_name=memory.name,
            node_type=memory.type,
            node_version=memory.type_version,
            node_parameters=memory.parameters,
            inputs=[items],
        )
        resolved = engine.resolve_parameters(memory.parameters, context)
    finally:
        engine.close()
    literal = memory.model_copy(update={"parameters": resolved})
    return memory_spec(literal, ExpressionParameters(literal), items, 0)


async def previous_session(
    target: ChatTarget, body: dict[str, Any], session: AsyncSession, credentials: CredentialResolver
) -> list[dict[str, Any]]:
    """The messages of the session ``body["sessionId"]`` names, oldest first."""
    memory = target.memory()
    if memory is None:
        return []
    spec = await asyncio.to_thread(_evaluated_spec, memory, body)
    if spec.kind == "window":
        key = target.plan.workflow_id or target.plan.name or "workflow"
        rows = await recent_messages(session, key, spec.session_key, HISTORY_LIMIT)
        messages = [StoredMessage(role=role, content=content) for role, content in rows]
    else:
        ref = spec.credentials.get(spec.kind) or {}
        data = credentials.resolve(spec.kind, ref.get("id"), ref.get("name")).data
        if spec.kind == "postgres":
            messages = await memory_stores.postgres_load(data, spec.table, spec.session_key, None)
        else:
            messages = await memory_stores.redis_load(data, spec.session_key, None)
    return [lc_json(m) for m in messages]


__all__ = ["lc_json", "previous_session"]
