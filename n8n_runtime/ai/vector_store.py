"""The pure half of n8n's vector store nodes: evaluate, don't call.

Simple Vector Store (`vectorStoreInMemory`, kept in Hive's database), Qdrant, Pinecone and
Supabase. For each input item it evaluates the store's parameters and its sub-nodes'
(Embeddings Ollama; for inserts the Default Data Loader and its text splitter) in the store's
item context, loads and splits the item's documents, and records a `VectorStoreInstruction`
under `AI_KEY`; the workflow embeds and stores or searches (`workflows/ai_vector_store.py`).
"""

from __future__ import annotations

import json
from typing import Any

from n8n_import._ai_checks import UPDATABLE_STORES  # the stores whose n8n node has "update"
from n8n_import.ai_models import model_node
from n8n_import.plan import Plan, PlanNode
from n8n_runtime.ai.binary_loader import all_input_keys, binary_documents
from n8n_runtime.ai.documents import load_documents
from n8n_runtime.ai.instruction import AI_KEY, ToolSpec
from n8n_runtime.ai.models import resolve_model
from n8n_runtime.ai.naming import tool_name_from_node
from n8n_runtime.ai.text_splitter import Document, Splitter, TextSplitter
from n8n_runtime.ai.token_splitter import TokenTextSplitter
from n8n_runtime.ai.vector_instruction import (
    DEFAULT_MEMORY_KEY,
    CredentialPointer,
    EmbeddingSpec,
    LoadedDocument,
    StoreKind,
    StoreTarget,
    VectorStoreCall,
    VectorStoreInstruction,
)
from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun, ParameterAccess
from n8n_runtime.nodes.files._binary import binary_handle
from n8n_runtime.params import ExpressionParameters

LANGCHAIN = "@n8n/n8n-nodes-langchain."
VECTOR_STORE = LANGCHAIN + "vectorStoreInMemory"
QDRANT_STORE = LANGCHAIN + "vectorStoreQdrant"
PINECONE_STORE = LANGCHAIN + "vectorStorePinecone"
SUPABASE_STORE = LANGCHAIN + "vectorStoreSupabase"
PGVECTOR_STORE = LANGCHAIN + "vectorStorePGVector"
CHROMA_STORE = LANGCHAIN + "vectorStoreChromaDB"
# Each vector database node: its kind, the parameter naming its collection, its credential type.
REMOTE_STORES: dict[str, tuple[StoreKind, str, str]] = {
    QDRANT_STORE: ("qdrant", "qdrantCollection", "qdrantApi"),
    PINECONE_STORE: ("pinecone", "pineconeIndex", "pineconeApi"),
    SUPABASE_STORE: ("supabase", "tableName", "supabaseApi"),
    PGVECTOR_STORE: ("pgvector", "tableName", "postgres"),
    # Or `chromaCloudApi`, chosen by the node's Authentication (see `_credential_type`).
    CHROMA_STORE: ("chroma", "chromaCollection", "chromaSelfHostedApi"),
}
# A collection parameter with a default in n8n (others must be given).
_COLLECTION_DEFAULTS = {PGVECTOR_STORE: "n8n_vectors"}
VECTOR_STORES = frozenset({VECTOR_STORE, *REMOTE_STORES})
RECURSIVE_SPLITTER = LANGCHAIN + "textSplitterRecursiveCharacterTextSplitter"
CHARACTER_SPLITTER = LANGCHAIN + "textSplitterCharacterTextSplitter"
TOKEN_SPLITTER = LANGCHAIN + "textSplitterTokenSplitter"
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


def _locator_value(value: Any) -> str:
    # A resource locator ({"__rl": true, "value": ...}) holds its value under "value".
    if isinstance(value, dict):
        value = value.get("value", "")
    return "" if value is None else str(value)


def _metadata_filter(params: ParameterAccess, item: int) -> dict[str, Any] | None:
    """n8n's getMetadataFiltersValues: metadata name/value pairs, else the raw filter JSON."""
    options = params.get("options", item, {}) or {}
    pairs = (options.get("metadata") or {}).get("metadataValues") or []
    if pairs:
        return {str(p.get("name", "")): p.get("value") for p in pairs if isinstance(p, dict)}
    return _json_option(options.get("searchFilterJson"), "Search Filter", item)


def _json_option(raw: Any, label: str, item: int) -> dict[str, Any] | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise NodeError(f"The '{label}' option is not valid JSON", item_index=item) from None
    if not isinstance(raw, dict):
        raise NodeError(f"The '{label}' option must be a JSON object", item_index=item)
    return raw


def _pg_options(options: dict[str, Any]) -> dict[str, Any]:
    """The PGVector node's options: distance strategy, column names, collection (n8n's defaults)."""
    collection = (options.get("collection") or {}).get("values") or {}
    pg: dict[str, Any] = {
        "distanceStrategy": options.get("distanceStrategy") or "cosine",
        "columns": dict((options.get("columnNames") or {}).get("values") or {}),
    }
    if collection.get("useCollection"):
        pg["collectionName"] = collection.get("collectionName") or "n8n"
        pg["collectionTableName"] = collection.get("collectionTableName") or "n8n_vector_collections"
    return pg


def _target(scope: _Scope, node: PlanNode, params: ParameterAccess, item: int) -> StoreTarget:
    """Which store the node reads or writes (collection, credential, namespace, filter)."""
    remote = REMOTE_STORES.get(node.type)
    if remote is None:
        return StoreTarget()
    kind, collection_param, credential_type = remote
    collection = _locator_value(params.get(collection_param, item, _COLLECTION_DEFAULTS.get(node.type, "")))
    if not collection:
        raise NodeError(f"The '{collection_param}' parameter is empty", item_index=item)
    options = params.get("options", item, {}) or {}
    credential_type = _credential_type(node, params, item, credential_type)
    ref = node.credentials.get(credential_type)
    target = StoreTarget(
        kind=kind,
        collection=collection,
        credential=CredentialPointer(type=credential_type, id=ref.id, name=ref.name)
        if ref
        else CredentialPointer(type=credential_type),
        filter=_metadata_filter(params, item),
    )
    if kind == "pinecone":
        namespace = options.get("pineconeNamespace")
        target.namespace = str(namespace) if namespace not in (None, "") else None
        target.clear_namespace = bool(options.get("clearNamespace", False))
    elif kind == "supabase":
        target.query_name = str(options.get("queryName") or "match_documents")
    elif kind == "qdrant":
        target.collection_config = _json_option(options.get("collectionConfig"), "Collection Config", item)
    elif kind == "pgvector":
        target.pg_options = _pg_options(options)
    elif kind == "chroma":
        target.clear_namespace = bool(options.get("clearCollection", False))
    return target


def _credential_type(node: PlanNode, params: ParameterAccess, item: int, default: str) -> str:
    """n8n's Chroma node: the credential the node holds, else its Authentication parameter."""
    if node.type != CHROMA_STORE:
        return default
    for credential_type in ("chromaCloudApi", "chromaSelfHostedApi"):
        if credential_type in node.credentials:
            return credential_type
    return str(params.get("authentication", item, default) or default)


def _splitter(scope: _Scope, loader: PlanNode, item: int) -> Splitter | None:
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
    if splitter.type == TOKEN_SPLITTER:
        return TokenTextSplitter(chunk_size=size, chunk_overlap=overlap)
    if splitter.type == CHARACTER_SPLITTER:
        separator = str(options.get("separator", item, "") or "")
        return TextSplitter(chunk_size=size, chunk_overlap=overlap, recursive=False, separator=separator)
    return TextSplitter(chunk_size=size, chunk_overlap=overlap)


def _metadata(options: dict[str, Any]) -> dict[str, Any]:
    values = (options.get("metadata") or {}).get("metadataValues") or []
    return {str(v.get("name", "")): v.get("value") for v in values if isinstance(v, dict)}


def _binary(scope: _Scope, loader: PlanNode, item: int) -> list[Document]:
    """The Default Data Loader on the item's files (n8n's N8nBinaryLoader, options prefix `options.`)."""
    params = scope.params_of(loader)
    options = params.get("options", item, {}) or {}
    specific = params.get("binaryMode", item, "allInputData") == "specificField"
    items = scope.run.items
    return binary_documents(
        items[item] if item < len(items) else {},
        item,
        binary_handle(scope.run),
        keys=[str(params.get("binaryDataKey", item, "data"))] if specific else all_input_keys(items),
        loader=str(params.get("loader", item, "auto") or "auto"),
        options=options,
        splitter=_splitter(scope, loader, item),
        metadata=_metadata(options),
    )


def _documents(scope: _Scope, item: int) -> list[LoadedDocument]:
    loaders = scope.subs(scope.run.node, "ai_document")
    if not loaders:
        raise NodeError("No document loader connected: connect a Default Data Loader", item_index=item)
    loader = loaders[0]
    params = scope.params_of(loader)
    if params.get("dataType", item, "json") == "binary":
        return [
            LoadedDocument(page_content=d.page_content, metadata=d.metadata)
            for d in _binary(scope, loader, item)
        ]
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


def _update_call(scope: _Scope, call: VectorStoreCall, item: int) -> VectorStoreCall:
    """n8n's update mode: the item itself is the one document (its N8nJsonLoader, no options)."""
    document_id = _locator_value(scope.run.params.get("id", item, ""))
    items = scope.run.items
    documents = load_documents(items[item].get("json", {}) if item < len(items) else {})
    if len(documents) != 1:
        raise NodeError("Single document per item expected", item_index=item)
    call.documents = [LoadedDocument(page_content=d.page_content, metadata=d.metadata) for d in documents]
    call.document_id = document_id
    return call


def _call(scope: _Scope, mode: str, item: int) -> VectorStoreCall:
    params = scope.run.params
    node = scope.run.node
    call = VectorStoreCall(
        item_index=item,
        embedding=_embedding(scope, item),
        memory_key=_memory_key(params, item) if node.type == VECTOR_STORE else DEFAULT_MEMORY_KEY,
        target=_target(scope, node, params, item),
    )
    if mode == "update":
        return _update_call(scope, call, item)
    if mode == "insert":
        call.documents = _documents(scope, item)
        # The Simple Vector Store's Clear Store, Pinecone's Clear Namespace: once, before the insert.
        call.clear_store = bool(params.get("clearStore", item, False)) or call.target.clear_namespace
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
    if mode == "update" and run.node.type not in UPDATABLE_STORES:
        raise NodeError("Update operation is not implemented for this Vector Store")
    if mode not in ("insert", "load", "update"):
        # The compiler rejects other modes; a mode set by an expression is caught here.
        raise NodeError(f'Operation mode "{mode}" is not supported (use insert, load or update)')
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


def store_search(
    run: NodeRun, store: PlanNode, item: int, *, top_k: int, include_metadata: bool = True
) -> VectorStoreCall:
    """A search of `store` (any vector store node) for item `item`, without its query yet.

    Evaluated in the calling root's item context (a retriever, a tool, an agent); the workflow
    embeds the query and searches (`workflows/ai_vector_store.py`).
    """
    scope = _Scope(run)
    params = scope.params_of(store)
    return VectorStoreCall(
        item_index=item,
        embedding=_embedding(scope, item, store),
        memory_key=_memory_key(params, item) if store.type == VECTOR_STORE else DEFAULT_MEMORY_KEY,
        target=_target(scope, store, params, item),
        top_k=top_k,
        include_metadata=include_metadata,
    )


def vector_store_tool(run: NodeRun, node: PlanNode, item: int) -> ToolSpec:
    """A vector store in retrieve-as-tool mode, evaluated in the agent's item context.

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
        memory_key=_memory_key(params, item) if node.type == VECTOR_STORE else DEFAULT_MEMORY_KEY,
        target=_target(scope, node, params, item),
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


VECTOR_STORE_NODES = dict.fromkeys(VECTOR_STORES, run_vector_store)

__all__ = [
    "REMOTE_STORES",
    "UPDATABLE_STORES",
    "VECTOR_STORE",
    "VECTOR_STORES",
    "VECTOR_STORE_NODES",
    "run_vector_store",
    "store_search",
    "vector_store_tool",
]
