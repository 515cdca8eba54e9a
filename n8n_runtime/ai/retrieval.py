"""The pure half of retrieval over the Simple Vector Store: the Question and Answer Chain
(`chainRetrievalQa` with a Vector Store Retriever) and the Vector Store Question Answer Tool.

    chainRetrievalQa ─ai_retriever─ retrieverVectorStore ─ai_vectorStore─ vectorStoreInMemory (retrieve)
    agent ─ai_tool─ toolVectorStore ─ai_vectorStore─ vectorStoreInMemory (retrieve), ─ai_languageModel─ model

Each evaluates the store's search (embeddings, memory key, topK) in the root's item context;
the workflow embeds the query, searches, and asks the model with n8n's / LangChain's prompt
(`workflows/ai_retrieval.py`).
"""

from __future__ import annotations

from typing import Any

from n8n_import.plan import PlanNode
from n8n_runtime.ai import vector_store
from n8n_runtime.ai.instruction import AI_KEY, AiInstruction, ItemCall, ToolSpec
from n8n_runtime.ai.naming import tool_name_from_node
from n8n_runtime.ai.prepare import _chat_input, _model, _model_spec, _Scope, _sub
from n8n_runtime.ai.vector_instruction import VectorStoreCall
from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun

LANGCHAIN = "@n8n/n8n-nodes-langchain."
QA_CHAIN = LANGCHAIN + "chainRetrievalQa"
RETRIEVER = LANGCHAIN + "retrieverVectorStore"
VECTOR_QA_TOOL = LANGCHAIN + "toolVectorStore"

QA_SYSTEM_PROMPT = (
    "You are an assistant for question-answering tasks. Use the following pieces of retrieved context "
    "to answer the question.\nIf you don't know the answer, just say that you don't know, don't try to "
    "make up an answer.\n----------------\nContext: {context}"
)
# LangChain's VectorDBQAChain chat prompt (the Vector Store Question Answer Tool).
TOOL_QA_SYSTEM_PROMPT = (
    "Use the following pieces of context to answer the users question. \nIf you don't know the answer, "
    "just say that you don't know, don't try to make up an answer.\n----------------\n{context}"
)
_LEGACY_QUERY = {1.0: "={{ $json.input }}", 1.1: "={{ $json.chat_input }}", 1.2: "={{ $json.chatInput }}"}


def _search(scope: _Scope, store: PlanNode | None, item: int, top_k: int) -> VectorStoreCall:
    """The search of the vector store `store` (attached in retrieve mode)."""
    if store is None or store.type not in vector_store.VECTOR_STORES:
        raise NodeError(
            "Connect a vector store (operation mode Retrieve) over ai_vectorStore", item_index=item
        )
    return vector_store.store_search(scope.run, store, item, top_k=top_k)


def _query(scope: _Scope, item: int) -> str:
    node, params = scope.node, scope.run.params
    if node.type_version <= 1.2:
        value = params.get("query", item, None)
        if value is None:
            default = _LEGACY_QUERY.get(float(node.type_version), "={{ $json.chatInput }}")
            value = scope.params_of(node.model_copy(update={"parameters": {"query": default}})).get(
                "query", item
            )
    elif params.get("promptType", item, "auto") == "auto":
        value = _chat_input(scope.run, item)
    else:
        value = params.get("text", item, None)
    if value is None or str(value) == "":
        raise NodeError("The ‘query‘ parameter is empty.", item_index=item)
    return str(value)


def _qa_call(scope: _Scope, item: int) -> ItemCall:
    retriever = _sub(scope, scope.node, "ai_retriever")
    if retriever is None:
        raise NodeError("Connect a Vector Store Retriever over ai_retriever", item_index=item)
    top_k = int(scope.params_of(retriever).get("topK", item, 4))
    search = _search(scope, _sub(scope, retriever, "ai_vectorStore"), item, top_k)
    options = scope.run.params.get("options", item, {}) or {}
    template = options.get("systemPromptTemplate")
    text = str(template if template is not None else QA_SYSTEM_PROMPT)
    if scope.node.type_version < 1.5:
        text = text.replace("{question}", "{input}")  # the variable's name before 1.5
    return ItemCall(
        item_index=item,
        model=_model(scope, item),
        prompt=_query(scope, item),
        routing={"search": search.model_dump(mode="json"), "template": text, "custom": template is not None},
    )


def run_qa_chain(run: NodeRun) -> NodeOutput:
    """Record one retrieval and answer per item."""
    scope = _Scope(run)
    calls: list[ItemCall] = []
    for item in range(len(run.items)):
        try:
            calls.append(_qa_call(scope, item))
        except Exception as error:  # noqa: BLE001 - every failure becomes that item's error
            calls.append(ItemCall(item_index=item, error=str(getattr(error, "message", None) or error)))
    instruction = AiInstruction(kind="retrieval_qa", type_version=float(run.node.type_version), items=calls)
    run.state[AI_KEY] = instruction.model_dump(mode="json")
    return [list(run.items)]


def vector_qa_tool(scope: _Scope, node: PlanNode, item: int) -> ToolSpec:
    """A Vector Store Question Answer Tool: retrieve, then answer with its own model."""
    params = scope.params_of(node)
    name = str(params.get("name", item, "") or "") if node.type_version < 1.1 else ""
    name = name or tool_name_from_node(node.name)
    subject = str(params.get("description", item, "") or "")
    model = _sub(scope, node, "ai_languageModel")
    if model is None:
        raise NodeError(f"'{node.name}' needs a language model", item_index=item)
    search = _search(scope, _sub(scope, node, "ai_vectorStore"), item, int(params.get("topK", item, 4)))
    return ToolSpec(
        node=node.name,
        kind="vector_qa",
        name=name,
        description=(
            f"Useful for when you need to answer questions about {name}. Whenever you need information "
            f"about {subject}, you should ALWAYS use this. Input should be a fully formed question."
        ),
        parameters={"type": "object", "properties": {"input": {"type": "string"}}, "required": []},
        vector_store=search.model_dump(mode="json"),
        qa_model=_model_spec(scope, model, item),
    )


RETRIEVAL_NODES: dict[str, Any] = {QA_CHAIN: run_qa_chain}

__all__ = ["QA_SYSTEM_PROMPT", "RETRIEVAL_NODES", "TOOL_QA_SYSTEM_PROMPT", "run_qa_chain", "vector_qa_tool"]
