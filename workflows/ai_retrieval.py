"""Retrieval over the Simple Vector Store under Temporal (workflow code): the Question and
Answer Chain and the Vector Store Question Answer Tool. The query is embedded and searched
(durable steps, `workflows/ai_vector_store.py`), then the model answers from the documents
joined by blank lines (LangChain's "stuff" documents chain)."""

from __future__ import annotations

from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from hive_core.ollama.types import ChatMessage
    from n8n_runtime.ai.instruction import ItemCall, ModelSpec, ToolSpec
    from n8n_runtime.ai.retrieval import TOOL_QA_SYSTEM_PROMPT
    from n8n_runtime.ai.vector_instruction import VectorStoreCall
    from workflows.ai_dispatch import activity_message
    from workflows.ai_llm import AiContext, AiItemError, complete
    from workflows.ai_vector_store import VectorStoreError, search_store

Item = dict[str, Any]


async def _context(ctx: AiContext, search: dict[str, Any], query: str) -> str:
    call = VectorStoreCall.model_validate(search).model_copy(update={"prompt": query})
    found = await search_store(ctx, call)
    return "\n\n".join(str(item["json"]["document"]["pageContent"]) for item in found)


async def _answer(ctx: AiContext, model: ModelSpec, system: str, query: str, label: str) -> str:
    messages = [ChatMessage(role="system", content=system), ChatMessage(role="user", content=query)]
    return await complete(ctx, model, messages, None, label)


async def retrieval_qa(ctx: AiContext, call: ItemCall) -> Item:
    """The Question and Answer Chain: `{response: {text}}`."""
    model = call.model
    assert model is not None  # the compiler requires a model
    routing = call.routing or {}
    try:
        context = await _context(ctx, routing["search"], call.prompt)
    except (VectorStoreError, ActivityError) as exc:
        raise AiItemError(str(exc) if isinstance(exc, VectorStoreError) else activity_message(exc)) from None
    template = str(routing.get("template", "")).replace("{context}", context)
    if model.chat:
        answer = await _answer(ctx, model, template.replace("{input}", call.prompt), call.prompt, model.node)
    else:
        # A text model gets one prompt; n8n adds the question unless the template is the user's.
        suffix = "" if routing.get("custom") else "\n\nQuestion: {input}\nAnswer:"
        prompt = (template + suffix).replace("{input}", call.prompt)
        answer = await complete(ctx, model, [ChatMessage(role="user", content=prompt)], None, model.node)
    return {"response": {"text": answer}}


async def run_vector_qa_tool(ctx: AiContext, tool: ToolSpec, arguments: Any) -> str:
    """One call of a Vector Store Question Answer Tool: the model's answer from the documents."""
    query = arguments.get("input") if isinstance(arguments, dict) else arguments
    if not isinstance(query, str) or not query or tool.qa_model is None:
        return 'There was an error: "Query must be of type string"'
    try:
        context = await _context(ctx, tool.vector_store or {}, query)
        system = TOOL_QA_SYSTEM_PROMPT.replace("{context}", context)
        return await _answer(ctx, tool.qa_model, system, query, f"tool {tool.name}")
    except (VectorStoreError, ActivityError, AiItemError) as exc:
        message = activity_message(exc) if isinstance(exc, ActivityError) else str(exc)
        return f'There was an error: "{message}"'


__all__ = ["retrieval_qa", "run_vector_qa_tool"]
