"""The pure half of n8n's Simple Vector Store (`vectorStoreInMemory`): evaluate, don't call.

For each input item it evaluates the store's parameters and its sub-nodes' (Embeddings
Ollama; for inserts the Default Data Loader and its text splitter) in the store's item
context, loads and splits the item's documents, and records a `VectorStoreInstruction` under
`AI_KEY`; the workflow embeds and stores or searches (`workflows/ai_vector_store.py`).
"""

from __future__ import annotations

from typing import Any

from n8n_import.ai_models import model_node
from n8n_import.plan import Plan, PlanNode
from n8n_runtime.ai.documents import load_documents
from n8n_runtime.ai.instruction import AI_KEY, ToolSpec
from n8n_runtime.ai.models import resolve_model
from n8n_runtime.ai.naming import tool_name_from_node
from n8n_runtime.ai.text_splitter import TextSplitter
from n8n_runtime.ai.vector_instruction import (
    DEFAULT_MEMORY_KEY,
    EmbeddingSpec,
    LoadedDocument,
    VectorStoreCall,
    VectorStoreInstruction,
)
from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun, ParameterAccess
from n8n_runtime.params import ExpressionParameters

LANGCHAIN = "@n8n/n8n-nodes-langchain."
VECTOR_STORE = LANGCHAIN + "vectorStoreInMemory"
RECURSIVE_SPLITTER = LANGCHAIN + "textSplitterRecursiveCharacterTextSplitter"
CHARACTER_SPLITTER = LANGCHAIN + "textSplitterCharacterTextSplitter"
# What the model passes to the tool (n8n's extra argument `input`).
_TOOL_INPUT = {
    "type": "object",
    "properties": {"input": {"type": "string", "description": "Query to search for. Required"}},
    "required": ["input"],
}
# The embeddings node shares the Ollama Model's `model` parameter and its default.
DEFAULT_EMBEDDING_MODEL = "llama3.2"


class _Scope:
    """The store's run: parameter access for any node of the plan, enabled sub-nodes."""

    def __init__(self, run: NodeRun) -> None:
        self.run = run
        self.plan: Plan = run.extras["execution"].plan

    def params_of(self, node: PlanNode) -> ParameterAccess:
        if isinstance(self.run.params, ExpressionParameters):
            return self.run.params.for_node(node)
        return ExpressionParameters(node)

    def subs(self, node: PlanNode, connection: str) -> list[PlanNode]:
        names = node.sub_nodes.get(connection, [])
        return [self.plan.nodes[n] for n in names if n in self.plan.nodes and not self.plan.nodes[n].disabled]


def _embedding(scope: _Scope, item: int, node: PlanNode | None = None) -> EmbeddingSpec:
    node = node or scope.run.node
    found = scope.subs(node, "ai_embedding")
    if not found:
        raise NodeError("No embeddings model connected: connect an Embeddings Ollama node", item_index=item)
    embeddings = found[0]
    params = scope.params_of(embeddings)
    route = embeddings.route or node.route
    if model_node(embeddings.type) is not None:  # a provider's embeddings, mapped by model_aliases
        model = resolve_model(scope.plan, embeddings, params, item).model
    else:
        model = str(params.get("model", item, DEFAULT_EMBEDDING_MODEL))
    return EmbeddingSpec(
        node=embeddings.name,
        model=model,
        agent=route.agent if route else None,
        capability=route.capability if route else None,
    )


def _memory_key(params: ParameterAccess, item: int) -> str:
    key = params.get("memoryKey", item, DEFAULT_MEMORY_KEY)
    if isinstance(key, dict):  # a resource locator ({"__rl": true, "value": ...}) in newer versions
        key = key.get("value", DEFAULT_MEMORY_KEY)
    if key is None or str(key) == "":
        raise NodeError("The 'Memory Key' parameter is empty", item_index=item)
    return str(key)


def _splitter(scope: _Scope, loader: PlanNode, item: int) -> TextSplitter | None:
    params = scope.params_of(loader)
    if loader.type_version >= 2 and params.get("textSplittingMode", item, "custom") == "simple":
        return TextSplitter(chunk_size=1000, chunk_overlap=200)  # n8n's "Simple" splitting
    splitters = scope.subs(loader, "ai_textSplitter")
    if not splitters:
        return None
    splitter = splitters[0]
    options = scope.params_of(splitter)
    size = int(options.get("chunkSize", item, 1000))
    overlap = int(options.get("chunkOverlap", item, 0))
    if splitter.type == CHARACTER_SPLITTER:
        separator = str(options.get("separator", item, "") or "")
        return TextSplitter(chunk_size=size, chunk_overlap=overlap, recursive=False, separator=separator)
    return TextSplitter(chunk_size=size, chunk_overlap=overlap)


def _metadata(options: dict[str, Any]) -> dict[str, Any]:
    values = (options.get("metadata") or {}).get("metadataValues") or []
    return {str(v.get("name", "")): v.get("value") for v in values if isinstance(v, dict)}


def _documents(scope: _Scope, item: int) -> list[LoadedDocument]:
    loaders = scope.subs(scope.run.node, "ai_document")
    if not loaders:
        raise NodeError("No document loader connected: connect a Default Data Loader", item_index=item)
    loader = loaders[0]
    params = scope.params_of(loader)
    if params.get("dataType", item, "json") != "json":
        raise NodeError("Binary data is not supported by the Default Data Loader in Hive", item_index=item)
    if params.get("jsonMode", item, "allInputData") == "expressionData":
        data = params.get("jsonData", item, "")
    else:
        items = scope.run.items
        data = items[item].get("json", {}) if item < len(items) else {}
    options = params.get("options", item, {}) or {}
    documents = load_documents(
        data,
        pointers=str(options.get("pointers", "") or ""),
        metadata=_metadata(options),
        splitter=_splitter(scope, loader, item),
    )
    return [LoadedDocument(page_content=d.page_content, metadata=d.metadata) for d in documents]


def _call(scope: _Scope, mode: str, item: int) -> VectorStoreCall:
    params = scope.run.params
    call = VectorStoreCall(
        item_index=item, embedding=_embedding(scope, item), memory_key=_memory_key(params, item)
    )
    if mode == "insert":
        call.documents = _documents(scope, item)
        call.clear_store = bool(params.get("clearStore", item, False))
        return call
    prompt = params.get("prompt", item, "")
    if prompt is None or str(prompt) == "":
        raise NodeError("The 'Prompt' parameter is empty", item_index=item)
    call.prompt = str(prompt)
    call.top_k = int(params.get("topK", item, 4))
    call.include_metadata = bool(params.get("includeDocumentMetadata", item, True))
    return call


def _message(error: Exception) -> str:
    message = getattr(error, "message", None)
    return message if isinstance(message, str) and message else str(error)


def run_vector_store(run: NodeRun) -> NodeOutput:
    """Record the store's instruction for every input item; pass the items on unchanged.

    An item whose parameters or documents fail is recorded with its error, so the workflow
    can apply the node's onError setting per item.
    """
    scope = _Scope(run)
    mode = run.params.get("mode", 0, "retrieve")
    if mode not in ("insert", "load"):
        # The compiler rejects other modes; a mode set by an expression is caught here.
        raise NodeError(f'Operation mode "{mode}" is not supported (use insert or load)')
    calls: list[VectorStoreCall] = []
    for item in range(len(run.items)):
        try:
            calls.append(_call(scope, mode, item))
        except Exception as error:  # noqa: BLE001 - every failure becomes that item's error
            calls.append(VectorStoreCall(item_index=item, error=_message(error)))
    instruction = VectorStoreInstruction(
        mode=mode,
        type_version=float(run.node.type_version),
        batch_size=max(1, int(run.params.get("embeddingBatchSize", 0, 200) or 200)),
        items=calls,
    )
    run.state[AI_KEY] = instruction.model_dump(mode="json")
    return [list(run.items)]


def vector_store_tool(run: NodeRun, node: PlanNode, item: int) -> ToolSpec:
    """A Simple Vector Store in retrieve-as-tool mode, evaluated in the agent's item context.

    The model calls it with `input` (the query); the workflow embeds the query and answers with
    the `topK` closest documents (`workflows/ai_vector_store.py`).
    """
    scope = _Scope(run)
    params = scope.params_of(node)
    # Up to version 1.2 the tool name is a parameter; later it is the node's name.
    explicit = params.get("toolName", item, None) if node.type_version < 1.3 else None
    search = VectorStoreCall(
        item_index=item,
        embedding=_embedding(scope, item, node),
        memory_key=_memory_key(params, item),
        top_k=int(params.get("topK", item, 4)),
        include_metadata=bool(params.get("includeDocumentMetadata", item, True)),
    )
    return ToolSpec(
        node=node.name,
        kind="vector_store",
        name=str(explicit) if explicit else tool_name_from_node(node.name),
        description=str(params.get("toolDescription", item, "") or ""),
        parameters=_TOOL_INPUT,
        vector_store=search.model_dump(mode="json"),
    )


VECTOR_STORE_NODES = {VECTOR_STORE: run_vector_store}

__all__ = ["VECTOR_STORE", "VECTOR_STORE_NODES", "run_vector_store", "vector_store_tool"]
