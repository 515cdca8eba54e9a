"""The Chat Memory Manager under Temporal (workflow code): the conversation is read, and
rewritten or appended to, by activities on the central worker (Hive's chat memory table)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.ai_support import (
        ChatMemoryActivities,
        MemoryAppendInput,
        MemoryLoadInput,
        MemoryMessage,
        MemoryReplaceInput,
    )
    from n8n_runtime.ai.instruction import ItemCall
    from workflows.ai_llm import AiContext
    from workflows.ai_structured_roots import Routed

Item = dict[str, Any]
MEMORY_TIMEOUT = timedelta(seconds=30)
# Everything a conversation holds (n8n's chatHistory.getMessages() is not windowed).
ALL_MESSAGES = 100_000
_CLASSES = {"human": "HumanMessage", "ai": "AIMessage", "system": "SystemMessage"}


def simplify(messages: list[MemoryMessage]) -> list[dict[str, str]]:
    """n8n's simplifyMessages: consecutive messages grouped until a type repeats."""
    groups: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for message in messages:
        if message.role in current:
            groups.append(current)
            current = {}
        current[message.role] = message.content
    if current:
        groups.append(current)
    return groups


def serialized(message: MemoryMessage) -> dict[str, Any]:
    """A message as LangChain's `toJSON()` writes it."""
    return {
        "lc": 1,
        "type": "constructor",
        "id": ["langchain_core", "messages", _CLASSES.get(message.role, "HumanMessage")],
        "kwargs": {"content": message.content, "additional_kwargs": {}, "response_metadata": {}},
    }


async def _load(ctx: AiContext, key: str, session: str) -> list[MemoryMessage]:
    loaded = await workflow.execute_activity_method(
        ChatMemoryActivities.load_memory,
        MemoryLoadInput(workflow_key=key, session_key=session, limit=ALL_MESSAGES),
        start_to_close_timeout=MEMORY_TIMEOUT,
        summary=f"{ctx.node.name}: load memory",
    )
    return list(loaded.messages)


async def _replace(ctx: AiContext, key: str, session: str, messages: list[MemoryMessage]) -> None:
    await workflow.execute_activity_method(
        ChatMemoryActivities.replace_memory,
        MemoryReplaceInput(workflow_key=key, session_key=session, messages=messages),
        start_to_close_timeout=MEMORY_TIMEOUT,
        summary=f"{ctx.node.name}: replace memory",
    )


async def manage_memory(ctx: AiContext, call: ItemCall) -> Routed:
    """One item's memory operation and its output items."""
    assert call.memory is not None
    key, session = ctx.plan.workflow_id or ctx.plan.name or "workflow", call.memory.session_key
    routing = call.routing or {}
    mode = routing.get("mode", "load")
    messages = await _load(ctx, key, session)
    paired = {"pairedItem": {"item": call.item_index}}
    if mode in ("insert", "delete"):
        if mode == "delete":
            keep = [] if routing.get("all") else messages
            count = int(routing.get("count", 2))
            if not routing.get("all") and len(messages) >= count:
                keep = messages[: len(messages) - count]
            messages = keep
            await _replace(ctx, key, session, messages)
        else:
            new = [MemoryMessage(**m) for m in routing.get("messages", [])]
            if routing.get("override"):
                messages = new
                await _replace(ctx, key, session, messages)
            else:
                info = workflow.info()
                await workflow.execute_activity_method(
                    ChatMemoryActivities.append_memory,
                    MemoryAppendInput(
                        workflow_key=key,
                        session_key=session,
                        messages=new,
                        write_id=f"{info.workflow_id}/{info.run_id}/{ctx.node.name}/{ctx.run_index}/{call.item_index}",
                    ),
                    start_to_close_timeout=MEMORY_TIMEOUT,
                    summary=f"{ctx.node.name}: insert messages",
                )
                messages = [*messages, *new]
        if routing.get("version", 1.1) == 1:  # version 1 answers with the whole conversation
            return Routed(items=[(0, {"json": serialized(m), **paired}) for m in messages])
        return Routed(items=[(0, {"json": {"success": True}, **paired})])
    output: list[dict[str, Any]] = (
        simplify(messages) if routing.get("simplify") else [serialized(m) for m in messages]
    )
    if routing.get("group"):
        output = [{"messages": output, "messagesCount": len(output)}]
    return Routed(items=[(0, {"json": entry, **paired}) for entry in output])


__all__ = ["manage_memory", "serialized", "simplify"]
