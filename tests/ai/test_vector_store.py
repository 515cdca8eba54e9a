"""Simple Vector Store end to end: insert and load through a real dev server, the central
worker (store in SQLite) and an agent's workers embedding on FakeOllama (bag-of-words vectors,
so texts sharing words are close); and the compile errors of what Hive does not run."""

from __future__ import annotations

from typing import Any

import pytest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from hive_core.errors import CompileError
from n8n_import import compile_export
from tests.ai.builders import ai_workflow, base, lc, output
from tests.ai.conftest import AiCluster
from workflows.n8n_models import ExecutionStatus
from workflows.n8n_run import N8nWorkflow

DOCS = [
    "cats purr and sleep all day",
    "rockets fly to the moon and back",
    "bread needs flour water and yeast",
]


def _store(
    model: str,
    mode: str,
    *,
    version: float = 1.1,
    workflow_id: str = "wf-vectors",
    loader: dict[str, Any] | None = None,
    splitter: dict[str, Any] | None = None,
    **parameters: Any,
) -> dict[str, Any]:
    subs = [(lc("Embed", "embeddingsOllama", 1, 300, model=model), "ai_embedding", "Store")]
    if mode == "insert":
        subs.append((loader or lc("Loader", "documentDefaultDataLoader", 1, 300), "ai_document", "Store"))
    if splitter is not None:
        subs.append((splitter, "ai_textSplitter", "Loader"))
    return ai_workflow(
        "vectors",
        [
            base("Start", "manualTrigger", 1),
            lc("Store", "vectorStoreInMemory", version, 200, mode=mode, **parameters),
        ],
        subs,
        workflow_id=workflow_id,
    )


async def _run(cluster: AiCluster, workflow: dict[str, Any], items: list[dict[str, Any]]) -> Any:
    snapshot = await cluster.run(workflow, trigger_items=[{"json": item} for item in items])
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    return snapshot


async def _insert(cluster: AiCluster, texts: list[str], **parameters: Any) -> list[dict[str, Any]]:
    workflow = _store(cluster.model, "insert", **parameters)
    return output(await _run(cluster, workflow, [{"text": t} for t in texts]), "Store")


async def _load(cluster: AiCluster, query: str, **parameters: Any) -> list[dict[str, Any]]:
    workflow = _store(cluster.model, "load", prompt="={{ $json.q }}", **parameters)
    return output(await _run(cluster, workflow, [{"q": query}]), "Store")


async def test_insert_then_load_returns_the_closest_first(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(embedding_kind="words", embedding_dim=256)
    inserted = await _insert(ai_cluster, DOCS)
    assert [d["pageContent"] for d in inserted] == DOCS
    assert inserted[0]["metadata"] == {"source": "blob", "blobType": "application/json", "line": 1}

    found = await _load(ai_cluster, "which rockets fly to the moon", topK=2)
    assert len(found) == 2
    assert found[0]["document"]["pageContent"] == DOCS[1]
    assert found[0]["document"]["metadata"]["blobType"] == "application/json"
    assert found[0]["score"] > found[1]["score"]
    # The embeddings ran on the agent's model queue; the store on the central worker.
    queues = await ai_cluster.activity_queues()
    assert f"hive-model-{ai_cluster.model}" in queues and ai_cluster.task_queue in queues

    # Each embedding and store call is a recorded step: the history replays without re-running them.
    history = await ai_cluster.client.get_workflow_handle(ai_cluster.last_run_id).fetch_history()
    await Replayer(workflows=[N8nWorkflow], data_converter=pydantic_data_converter).replay_workflow(history)

    without = await _load(ai_cluster, "flour and yeast", topK=1, includeDocumentMetadata=False)
    assert without == [{"document": {"pageContent": DOCS[2]}, "score": pytest.approx(without[0]["score"])}]


async def test_clear_store_and_memory_keys(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(embedding_kind="words", embedding_dim=256)
    await _insert(ai_cluster, DOCS[:2], memoryKey="a")
    await _insert(ai_cluster, DOCS[2:], memoryKey="b")
    # Each memory key is its own store.
    assert [m["document"]["pageContent"] for m in await _load(ai_cluster, "moon", memoryKey="a")] == [
        DOCS[1],
        DOCS[0],
    ]
    assert [m["document"]["pageContent"] for m in await _load(ai_cluster, "moon", memoryKey="b")] == [DOCS[2]]
    # Clear Store empties the store before inserting.
    await _insert(ai_cluster, ["only this one about cats"], memoryKey="a", clearStore=True)
    found = await _load(ai_cluster, "moon", memoryKey="a")
    assert [m["document"]["pageContent"] for m in found] == ["only this one about cats"]


async def test_version_1_inserts_per_item_and_splits_with_a_splitter(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(embedding_kind="words", embedding_dim=64)
    splitter = lc(
        "Splitter", "textSplitterRecursiveCharacterTextSplitter", 1, 400, chunkSize=12, chunkOverlap=0
    )
    loader = lc(
        "Loader",
        "documentDefaultDataLoader",
        1,
        300,
        jsonMode="expressionData",
        jsonData="={{ $json.text }}",
        options={"metadata": {"metadataValues": [{"name": "topic", "value": "={{ $json.topic }}"}]}},
    )
    workflow = _store(
        ai_cluster.model, "insert", version=1, loader=loader, splitter=splitter, memoryKey="split"
    )
    snapshot = await _run(ai_cluster, workflow, [{"text": "alpha beta gamma delta", "topic": "greek"}])
    chunks = output(snapshot, "Store")
    assert [c["pageContent"] for c in chunks] == ["alpha beta", "gamma delta"]
    assert chunks[1]["metadata"] == {
        "source": "blob",
        "blobType": "text/plain",
        "loc": {"lines": {"from": 1, "to": 1}},
        "topic": "greek",
    }
    found = await _load(ai_cluster, "delta", memoryKey="split", topK=1)
    assert found[0]["document"]["pageContent"] == "gamma delta"
    assert found[0]["document"]["metadata"]["topic"] == "greek"


async def test_retrieve_as_tool_answers_the_agent(ai_cluster: AiCluster) -> None:
    calls = [{"function": {"name": "Knowledge_Base", "arguments": {"input": "rockets to the moon"}}}]
    ai_cluster.configure(
        embedding_kind="words", embedding_dim=256, tool_calls=calls, tool_calls_once=True, reply="ok"
    )
    await _insert(ai_cluster, DOCS, memoryKey="kb")
    store = lc(
        "Knowledge Base",
        "vectorStoreInMemory",
        1.3,
        300,
        mode="retrieve-as-tool",
        toolDescription="Facts about cats, rockets and bread",
        memoryKey="kb",
        topK=1,
        includeDocumentMetadata=False,
    )
    workflow = ai_workflow(
        "vectors",
        [base("Start", "manualTrigger", 1), lc("Agent", "agent", 2.2, 200)],
        [
            (lc("Model", "lmChatOllama", 1, 200, model=ai_cluster.model), "ai_languageModel", "Agent"),
            (store, "ai_tool", "Agent"),
            (
                lc("Embed", "embeddingsOllama", 1, 400, model=ai_cluster.model),
                "ai_embedding",
                "Knowledge Base",
            ),
        ],
        workflow_id="wf-vectors",
    )
    snapshot = await _run(ai_cluster, workflow, [{"chatInput": "where do rockets go?"}])
    assert output(snapshot, "Agent") == [{"output": "ok"}]
    chats = [body for body in ai_cluster.fake.stats.bodies if "messages" in body]
    [tool] = chats[0]["tools"]
    assert tool["function"]["name"] == "Knowledge_Base"
    assert tool["function"]["description"] == "Facts about cats, rockets and bread"
    assert tool["function"]["parameters"]["required"] == ["input"]
    observations = [m["content"] for m in chats[-1]["messages"] if m["role"] == "tool"]
    assert observations == ['{"pageContent": "rockets fly to the moon and back"}']


def _errors(workflow: dict[str, Any]) -> str:
    with pytest.raises(CompileError) as caught:
        compile_export(workflow)
    return caught.value.message


def test_compile_errors_name_the_node() -> None:
    assert compile_export(_store("m", "insert"))[0].nodes["Store"].sub_nodes == {
        "ai_embedding": ["Embed"],
        "ai_document": ["Loader"],
    }
    retrieve = _errors(_store("m", "retrieve"))
    # Retrieve mode only feeds a retriever or a Q&A tool over ai_vectorStore (tests/ai/test_retrieval.py).
    assert 'node "Store"' in retrieve and 'operation mode "retrieve" supplies a retriever or tool' in retrieve
    assert 'operation mode "update" is not implemented for this vector store' in _errors(
        _store("m", "update")
    )
    no_loader = _store("m", "insert")
    no_loader["nodes"] = [n for n in no_loader["nodes"] if n["name"] != "Loader"]
    del no_loader["connections"]["Loader"]
    assert "needs a document loader" in _errors(no_loader)
    token = lc("Splitter", "textSplitterTokenSplitter", 1)
    plan = compile_export(_store("m", "insert", splitter=token))[0]
    assert plan.nodes["Loader"].sub_nodes == {"ai_textSplitter": ["Splitter"]}
    code = lc("Splitter", "textSplitterRecursiveCharacterTextSplitter", 1, options={"splitCode": "js"})
    assert 'node "Splitter"' in _errors(_store("m", "insert", splitter=code))
    code = lc("Splitter", "textSplitterRecursiveCharacterTextSplitter", 1, options={"splitCode": "python"})
    assert "splitting code" in _errors(_store("m", "insert", splitter=code))
    no_embeddings = _store("m", "load", prompt="x")
    no_embeddings["nodes"] = [n for n in no_embeddings["nodes"] if n["name"] != "Embed"]
    del no_embeddings["connections"]["Embed"]
    assert "needs an embeddings model" in _errors(no_embeddings)
    agent = ai_workflow(
        "w",
        [base("Start", "manualTrigger", 1), lc("Agent", "agent", 2.2, 200)],
        [
            (lc("Model", "lmChatOllama", 1, model="m"), "ai_languageModel", "Agent"),
            (lc("Embed", "embeddingsOllama", 1), "ai_embedding", "Agent"),
        ],
    )
    assert "does not take ai_embedding inputs" in _errors(agent)
    as_tool = ai_workflow(
        "w",
        [base("Start", "manualTrigger", 1), lc("Agent", "agent", 2.2, 200)],
        [
            (lc("Model", "lmChatOllama", 1, model="m"), "ai_languageModel", "Agent"),
            (lc("Store", "vectorStoreInMemory", 1.3, mode="load"), "ai_tool", "Agent"),
            (lc("Embed", "embeddingsOllama", 1), "ai_embedding", "Store"),
        ],
    )
    assert 'its operation mode is not "retrieve-as-tool"' in _errors(as_tool)
