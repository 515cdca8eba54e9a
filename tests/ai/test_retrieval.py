"""Question and Answer Chain with a Vector Store Retriever, and the Vector Store Question Answer
Tool, over the Simple Vector Store: end to end through a real dev server (documents inserted
first, searched by bag-of-words embeddings on the fake Ollama, answered with n8n's prompt)."""

from __future__ import annotations

from typing import Any

import pytest

from hive_core.errors import CompileError
from n8n_import import compile_export
from n8n_runtime.ai.retrieval import QA_SYSTEM_PROMPT
from tests.ai.builders import ai_workflow, base, code, lc, output
from tests.ai.conftest import AiCluster
from workflows.n8n_models import ExecutionStatus

WORKFLOW_ID = "wf-retrieval"
DOCS = ["cats purr and sleep all day", "rockets fly to the moon and back", "bread needs flour and yeast"]


def _store(cluster: AiCluster, name: str, mode: str) -> dict[str, Any]:
    return lc(name, "vectorStoreInMemory", 1.1, 400, mode=mode, memoryKey="kb")


def _embed(cluster: AiCluster, root: str) -> tuple[dict[str, Any], str, str]:
    return (lc(f"Embed {root}", "embeddingsOllama", 1, 500, model=cluster.model), "ai_embedding", root)


async def _insert(cluster: AiCluster) -> None:
    insert = ai_workflow(
        "insert",
        [base("Start", "manualTrigger", 1), _store(cluster, "Insert", "insert")],
        [
            _embed(cluster, "Insert"),
            (lc("Loader", "documentDefaultDataLoader", 1, 500), "ai_document", "Insert"),
        ],
        workflow_id=WORKFLOW_ID,
    )
    snapshot = await cluster.run(insert, trigger_items=[{"json": {"text": d}} for d in DOCS])
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error


def _qa(cluster: AiCluster, version: float = 1.3, **parameters: Any) -> dict[str, Any]:
    return ai_workflow(
        "qa",
        [
            base("Start", "manualTrigger", 1),
            code("Data", "return [{json: {chatInput: 'what flies to the moon'}}];"),
            lc("QA", "chainRetrievalQa", version, 200, **parameters),
        ],
        [
            (lc("Model", "lmChatOllama", 1, 200, model=cluster.model), "ai_languageModel", "QA"),
            (lc("Retriever", "retrieverVectorStore", 1, 300, topK=1), "ai_retriever", "QA"),
            (_store(cluster, "Store", "retrieve"), "ai_vectorStore", "Retriever"),
            _embed(cluster, "Store"),
        ],
        workflow_id=WORKFLOW_ID,
    )


async def test_qa_chain_answers_from_the_retrieved_documents(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(embedding_kind="words", embedding_dim=256, reply="Rockets do.")
    await _insert(ai_cluster)
    snapshot = await ai_cluster.run(_qa(ai_cluster))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "QA") == [{"response": {"text": "Rockets do."}}]
    chat = [b for b in ai_cluster.fake.stats.bodies if "messages" in b][-1]
    assert chat["messages"] == [
        {"role": "system", "content": QA_SYSTEM_PROMPT.replace("{context}", DOCS[1])},
        {"role": "user", "content": "what flies to the moon"},
    ]


async def test_qa_chain_legacy_query_and_custom_prompt(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(embedding_kind="words", embedding_dim=256, reply="ok")
    await _insert(ai_cluster)
    workflow = _qa(ai_cluster, 1.2, options={"systemPromptTemplate": "Docs: {context} Q: {question}"})
    workflow["nodes"][1]["parameters"]["jsCode"] = "return [{json: {chatInput: 'bread flour'}}];"
    snapshot = await ai_cluster.run(workflow)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    system = [b for b in ai_cluster.fake.stats.bodies if "messages" in b][-1]["messages"][0]["content"]
    assert system == f"Docs: {DOCS[2]} Q: bread flour"  # 1.2 reads $json.chatInput; {question} is the query


async def test_vector_store_question_answer_tool(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(embedding_kind="words", embedding_dim=256)
    await _insert(ai_cluster)
    ai_cluster.configure(
        embedding_kind="words",
        embedding_dim=256,
        tool_calls=[{"function": {"name": "knowledge", "arguments": {"input": "what do cats do"}}}],
        tool_calls_once=True,
        reply=lambda prompt: "They purr." if prompt == "what do cats do" else "Cats purr, says the tool.",
    )
    tool = lc("knowledge", "toolVectorStore", 1.1, 300, description="pets and space", topK=1)
    workflow = ai_workflow(
        "agent",
        [
            base("Start", "manualTrigger", 1),
            code("Data", "return [{json: {chatInput: 'tell me about cats'}}];"),
            lc("Agent", "agent", 1.7, 200),
        ],
        [
            (lc("Model", "lmChatOllama", 1, 200, model=ai_cluster.model), "ai_languageModel", "Agent"),
            (tool, "ai_tool", "Agent"),
            (
                lc("Tool Model", "lmChatOllama", 1, 300, model=ai_cluster.model),
                "ai_languageModel",
                "knowledge",
            ),
            (_store(ai_cluster, "Store", "retrieve"), "ai_vectorStore", "knowledge"),
            _embed(ai_cluster, "Store"),
        ],
        workflow_id=WORKFLOW_ID,
    )
    snapshot = await ai_cluster.run(workflow)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Agent") == [{"output": "Cats purr, says the tool."}]
    chats = [b for b in ai_cluster.fake.stats.bodies if "messages" in b]
    (definition,) = chats[0]["tools"]
    assert definition["function"]["description"] == (
        "Useful for when you need to answer questions about knowledge. Whenever you need information "
        "about pets and space, you should ALWAYS use this. Input should be a fully formed question."
    )
    qa = next(c for c in chats if c["messages"][-1]["content"] == "what do cats do")
    assert qa["messages"][0]["content"].endswith("----------------\n" + DOCS[0])
    last = chats[-1]["messages"][-1]
    assert (last["role"], last["content"]) == ("tool", "They purr.")


def test_retrieval_wiring_errors() -> None:
    qa = ai_workflow(
        "qa",
        [base("Start", "manualTrigger", 1), lc("QA", "chainRetrievalQa", 1.3, 200)],
        [
            (lc("Model", "lmChatOllama", 1), "ai_languageModel", "QA"),
            (lc("Retriever", "retrieverVectorStore", 1), "ai_retriever", "QA"),
        ],
    )
    with pytest.raises(CompileError, match="needs a vector store"):
        compile_export(qa)
    qa["nodes"].append(lc("Store", "vectorStoreInMemory", 1.1, mode="insert"))
    qa["connections"]["Store"] = {
        "ai_vectorStore": [[{"node": "Retriever", "type": "ai_vectorStore", "index": 0}]]
    }
    with pytest.raises(CompileError, match='operation mode is not "retrieve"'):
        compile_export(qa)
