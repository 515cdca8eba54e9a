"""n8n's vector stores under Temporal: embed on an agent, store and search centrally.

Workflow code (deterministic, no I/O). The store's pure step already loaded and split the
documents into a `VectorStoreInstruction`; here every embedding goes through
`workflows.ai_dispatch.embed` (an activity on the embedding model's, a pinned agent's or a
capability's queue) and the store is written and searched by activities on the central
worker (`activities/ai_vector_store.py`), each a durable step.

- insert, typeVersion 1: per item, embed its documents and store them (Clear Store empties
  the store first, per item, as n8n does).
- insert, typeVersion ≥ 1.1: all items' documents in batches of `embeddingBatchSize`, with
  the memory key and Clear Store of the first item; the store is emptied once.
- update: per item, embed its one document and store it under the item's id (an upsert).
- load: per item, embed the prompt and output the `topK` closest documents with their scores.
- retrieve-as-tool: an agent's tool call embeds the model's `input` and answers with the
  closest documents as JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.ai_vector_store import (
        EmbeddedDocument,
        VectorInsertInput,
        VectorSearchInput,
        VectorStoreActivities,
    )
    from hive_core.ollama.types import EmbedRequest
    from n8n_runtime.ai.instruction import ToolSpec
    from n8n_runtime.ai.vector_instruction import (
        EmbeddingSpec,
        LoadedDocument,
        VectorStoreCall,
        VectorStoreInstruction,
    )
    from n8n_runtime.engine import NodeFailure
    from workflows.ai_dispatch import AiRoute, activity_message, embed
    from workflows.retries import HEARTBEAT_TIMEOUT, infra_retry

if TYPE_CHECKING:
    from workflows.ai_llm import AiContext

Item = dict[str, Any]
STORE_TIMEOUT = timedelta(seconds=60)
# Attempts per embedding call before the node (or item) fails.
EMBED_ATTEMPTS = 3
# Batch keys are stored in a 255-character column.
_BATCH_KEY_LENGTH = 255


class VectorStoreError(Exception):
    """One item's (or batch's) store work failed; the message names what went wrong."""


def _store_key(ctx: AiContext) -> str:
    # n8n keys a store by workflow id and memory key; a workflow without an id by its name.
    return ctx.plan.workflow_id or ctx.plan.name or "workflow"


def _batch_key(ctx: AiContext, batch: str) -> str:
    info = workflow.info()
    return f"{info.run_id}:{ctx.run_index}:{batch}:{ctx.node.name}"[:_BATCH_KEY_LENGTH]


async def _embed(ctx: AiContext, spec: EmbeddingSpec, texts: list[str], label: str) -> list[list[float]]:
    if not texts:
        return []
    request = EmbedRequest(model=spec.model, input=texts)
    try:
        result = await embed(
            request,
            AiRoute(agent=spec.agent, capability=spec.capability),
            summary=f"{ctx.node.name}: {spec.node} {label}",
            attempts=EMBED_ATTEMPTS,
        )
    except ApplicationError as exc:
        raise VectorStoreError(exc.message) from None
    if len(result.embeddings) != len(texts):
        raise VectorStoreError(
            f"the embedding model {spec.model!r} returned {len(result.embeddings)} vectors "
            f"for {len(texts)} texts"
        )
    return result.embeddings


async def _store(
    ctx: AiContext,
    call: VectorStoreCall,
    documents: list[LoadedDocument],
    clear: bool,
    batch: str,
    ids: list[str] | None = None,
) -> None:
    assert call.embedding is not None
    vectors = await _embed(ctx, call.embedding, [d.page_content for d in documents], f"batch {batch}")
    await workflow.execute_activity_method(
        VectorStoreActivities.insert_documents,
        VectorInsertInput(
            workflow_key=_store_key(ctx),
            memory_key=call.memory_key,
            batch_key=_batch_key(ctx, batch),
            documents=[
                EmbeddedDocument(page_content=d.page_content, metadata=d.metadata, embedding=v)
                for d, v in zip(documents, vectors, strict=True)
            ],
            clear=clear,
            target=call.target,
            ids=ids,
        ),
        start_to_close_timeout=STORE_TIMEOUT,
        schedule_to_close_timeout=STORE_TIMEOUT,
        heartbeat_timeout=HEARTBEAT_TIMEOUT,
        retry_policy=infra_retry(),
        summary=f"{ctx.node.name}: insert {len(documents)} documents",
    )


def _serialized(call: VectorStoreCall) -> list[Item]:
    return [
        {
            "json": {"metadata": d.metadata, "pageContent": d.page_content},
            "pairedItem": {"item": call.item_index},
        }
        for d in call.documents
    ]


async def _search(ctx: AiContext, call: VectorStoreCall) -> list[Item]:
    assert call.embedding is not None
    [vector] = await _embed(ctx, call.embedding, [call.prompt], "query")
    found = await workflow.execute_activity_method(
        VectorStoreActivities.search_documents,
        VectorSearchInput(
            workflow_key=_store_key(ctx),
            memory_key=call.memory_key,
            embedding=vector,
            top_k=call.top_k,
            target=call.target,
        ),
        start_to_close_timeout=STORE_TIMEOUT,
        schedule_to_close_timeout=STORE_TIMEOUT,
        heartbeat_timeout=HEARTBEAT_TIMEOUT,
        retry_policy=infra_retry(),
        summary=f"{ctx.node.name}: search",
    )
    items: list[Item] = []
    for match in found.matches:
        document: dict[str, Any] = {"pageContent": match.page_content}
        if call.include_metadata:
            document["metadata"] = match.metadata
        items.append(
            {"json": {"document": document, "score": match.score}, "pairedItem": {"item": call.item_index}}
        )
    return items


class _Outcome:
    """Output items in order, or the node's failure (onError decides per failed item)."""

    def __init__(self, ctx: AiContext) -> None:
        self.continue_on_fail = ctx.node.settings.on_error != "stopWorkflow"
        self.items: list[Item] = []
        self.failure: NodeFailure | None = None

    def fail(self, message: str, item_index: int) -> bool:
        """Record a failure; True when the node must stop."""
        if not self.continue_on_fail:
            self.failure = NodeFailure(message, item_index=item_index)
            return True
        self.items.append({"json": {"error": message}, "pairedItem": {"item": item_index}})
        return False


async def _guarded(outcome: _Outcome, item_index: int, step: Awaitable[list[Item]]) -> list[Item] | None:
    try:
        return list(await step)
    except (VectorStoreError, ActivityError) as exc:
        message = str(exc) if isinstance(exc, VectorStoreError) else activity_message(exc)
        outcome.fail(message, item_index)
        return None


async def _per_item(
    instruction: VectorStoreInstruction,
    outcome: _Outcome,
    step: Callable[[VectorStoreCall], Awaitable[list[Item]]],
) -> None:
    """`step` for each item in turn, its output items in order (onError per failed item)."""
    for call in instruction.items:
        if call.error is not None:
            if outcome.fail(call.error, call.item_index):
                return
            continue
        items = await _guarded(outcome, call.item_index, step(call))
        if outcome.failure is not None:
            return
        outcome.items.extend(items or [])


async def _insert_per_item(ctx: AiContext, instruction: VectorStoreInstruction, outcome: _Outcome) -> None:
    async def step(call: VectorStoreCall) -> list[Item]:
        await _store(ctx, call, call.documents, call.clear_store, f"item {call.item_index}")
        return _serialized(call)

    await _per_item(instruction, outcome, step)


async def _update_per_item(ctx: AiContext, instruction: VectorStoreInstruction, outcome: _Outcome) -> None:
    """n8n's update mode: each item's one document replaces the row with the item's id."""

    async def step(call: VectorStoreCall) -> list[Item]:
        await _store(ctx, call, call.documents, False, f"update {call.item_index}", [call.document_id or ""])
        return _serialized(call)

    await _per_item(instruction, outcome, step)


async def _insert_batched(ctx: AiContext, instruction: VectorStoreInstruction, outcome: _Outcome) -> None:
    good: list[VectorStoreCall] = []
    for call in instruction.items:
        if call.error is not None:
            if outcome.fail(call.error, call.item_index):
                return
            continue
        good.append(call)
        outcome.items.extend(_serialized(call))
    if not good:
        return
    first = good[0]  # n8n reads the memory key and Clear Store of item 0 for the batches
    documents = [d for call in good for d in call.documents]
    size = instruction.batch_size
    for start in range(0, len(documents), size):

        async def step(start: int = start) -> list[Item]:
            await _store(
                ctx, first, documents[start : start + size], first.clear_store and start == 0, str(start)
            )
            return []

        await _guarded(outcome, first.item_index, step())
        if outcome.failure is not None:
            return


async def _load(ctx: AiContext, instruction: VectorStoreInstruction, outcome: _Outcome) -> None:
    await _per_item(instruction, outcome, lambda call: _search(ctx, call))


async def run_vector_tool(ctx: AiContext, tool: ToolSpec, arguments: dict[str, Any]) -> str:
    """One call of a store used as an agent's tool: the closest documents, as JSON text.

    Each document is `{"pageContent", "metadata"}` (metadata left out when Include Metadata is
    off), one per line, as n8n hands the tool's text blocks to the model. A failure answers
    the model with the error text, as for every tool.
    """
    query = arguments.get("input") if isinstance(arguments, dict) else arguments
    if not isinstance(query, str) or not query:
        return 'There was an error: "Query must be of type string"'
    call = VectorStoreCall.model_validate(tool.vector_store or {}).model_copy(update={"prompt": query})
    try:
        found = await _search(ctx, call)
    except (VectorStoreError, ActivityError) as exc:
        message = str(exc) if isinstance(exc, VectorStoreError) else activity_message(exc)
        return f'There was an error: "{message}"'
    return "\n".join(json.dumps(item["json"]["document"]) for item in found)


async def run_vector_store(
    ctx: AiContext, instruction_data: dict[str, Any]
) -> tuple[list[list[Item] | None] | None, NodeFailure | None]:
    """Run the store's instruction: the node's outputs, or its failure."""
    instruction = VectorStoreInstruction.model_validate(instruction_data)
    outcome = _Outcome(ctx)
    if instruction.mode == "load":
        await _load(ctx, instruction, outcome)
    elif instruction.mode == "update":
        await _update_per_item(ctx, instruction, outcome)
    elif instruction.type_version < 1.1:
        await _insert_per_item(ctx, instruction, outcome)
    else:
        await _insert_batched(ctx, instruction, outcome)
    if outcome.failure is not None:
        return None, outcome.failure
    return [outcome.items], None


# The store's search, for the retrieval roots and tools (workflows/ai_retrieval.py).
search_store = _search

__all__ = ["STORE_TIMEOUT", "VectorStoreError", "run_vector_store", "run_vector_tool", "search_store"]
