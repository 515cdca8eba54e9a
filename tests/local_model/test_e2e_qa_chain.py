"""The Question and Answer Chain and an OpenAI assistant on a real model: documents embedded by the
local model server's `/api/embed` (xllamacpp, mean pooling) into the Simple Vector Store, retrieved
for the question and answered by the same model, every provider node drawn as OpenAI and mapped
to the local model by model_aliases. Nothing is faked; a 135M model's answers are checked for
n8n's shapes, not for sense.
"""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

pytest.importorskip(
    "xllamacpp", reason="xllamacpp (llama.cpp binding) is not installed: pip install -e '.[local-model]'"
)

from temporalio.client import Client  # noqa: E402

from hive_core.config import ModelAliases, ProviderDefaults  # noqa: E402
from hive_core.config.model_aliases import AssistantAlias  # noqa: E402
from hive_core.config.models import AgentConfig, ClusterConfig  # noqa: E402
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async  # noqa: E402
from n8n_import import compile_export  # noqa: E402
from tests.builders import worker_settings  # noqa: E402
from tests.local_model.conftest import MODEL, LocalModelProcess  # noqa: E402
from tests.local_model.test_e2e_ai_roots import _items, _node  # noqa: E402
from workers.factory import build_agent_workers, build_central_worker  # noqa: E402
from workflows.n8n_models import ExecutionStatus, N8nRunSnapshot, RunN8nInput  # noqa: E402
from workflows.n8n_run import N8nWorkflow  # noqa: E402

# Tens of seconds: the model server's start, six embeddings and two generations on one CPU thread.
pytestmark = [pytest.mark.temporal, pytest.mark.slow, pytest.mark.timeout(240)]
DOCS = ["Cats purr and sleep all day.", "Rockets fly to the moon.", "Bread needs flour and yeast."]
WORKFLOW_ID = "wf-local-qa"


def _base(name: str, kind: str, version: float, **parameters: Any) -> dict[str, Any]:
    node = _node(name, kind, version, **parameters)
    node["type"] = "n8n-nodes-base." + kind
    return node


def _link(source: str, target: str, kind: str = "main") -> dict[str, Any]:
    return {source: {kind: [[{"node": target, "type": kind, "index": 0}]]}}


def _embeddings(name: str, target: str) -> tuple[dict[str, Any], dict[str, Any]]:
    node = _node(name, "embeddingsOpenAi", 1, model="text-embedding-3-small", options={})
    return node, _link(name, target, "ai_embedding")


def _insert() -> dict[str, Any]:
    embed, embed_link = _embeddings("Embed", "Insert")
    nodes = [
        _base("Start", "manualTrigger", 1),
        _base("Docs", "code", 2, jsCode=f"return {[{'json': {'text': d}} for d in DOCS]!r};"),
        _node("Insert", "vectorStoreInMemory", 1.1, mode="insert", memoryKey="kb"),
        _node("Loader", "documentDefaultDataLoader", 1),
        embed,
    ]
    connections = {
        **_link("Start", "Docs"),
        **_link("Docs", "Insert"),
        **_link("Loader", "Insert", "ai_document"),
        **embed_link,
    }
    return {"name": "insert", "id": WORKFLOW_ID, "nodes": nodes, "connections": connections}


def _ask() -> dict[str, Any]:
    embed, embed_link = _embeddings("Embed", "Store")
    question = "return [{json: {chatInput: 'What flies to the moon?', sessionId: 's1'}}];"
    nodes = [
        _base("Start", "manualTrigger", 1),
        _base("Question", "code", 2, jsCode=question),
        _node("QA", "chainRetrievalQa", 1.3),
        _node("Model", "lmChatOpenAi", 1, model="gpt-4o-mini", options={"temperature": 0}),
        _node("Retriever", "retrieverVectorStore", 1, topK=1),
        _node("Store", "vectorStoreInMemory", 1.1, mode="retrieve", memoryKey="kb"),
        embed,
        _node(
            "Assistant",
            "openAi",
            1.6,
            resource="assistant",
            memory="threadId",
            options={},
            assistantId={"__rl": True, "mode": "list", "value": "asst_moon"},
        ),  # fmt: skip
    ]
    connections = {
        **_link("Start", "Question"),
        "Question": {"main": [[{"node": n, "type": "main", "index": 0} for n in ("QA", "Assistant")]]},
        **_link("Model", "QA", "ai_languageModel"),
        **_link("Retriever", "QA", "ai_retriever"),
        **_link("Store", "Retriever", "ai_vectorStore"),
        **embed_link,
    }
    return {"name": "ask", "id": WORKFLOW_ID, "nodes": nodes, "connections": connections}


async def test_qa_chain_and_an_assistant_on_the_local_model(
    client: Client, task_queue: str, local_model: LocalModelProcess, tmp_path: Path
) -> None:
    agent = AgentConfig(id="local", name="local", endpoint=local_model.url, models=[MODEL])
    aliases = ModelAliases(
        providers={"openai": ProviderDefaults(chat=MODEL, embeddings=MODEL)},
        assistants={"asst_*": AssistantAlias(model=MODEL, instructions="Answer in one sentence.")},
    )
    settings = worker_settings(task_queue)
    snapshots: list[N8nRunSnapshot] = []
    url = f"sqlite+aiosqlite:///{tmp_path / 'hive.db'}"  # the Simple Vector Store's database
    await upgrade_database_async(url)
    engine = create_engine(url)
    stack = contextlib.AsyncExitStack()
    stack.push_async_callback(engine.dispose)
    async with httpx.AsyncClient() as http, stack:
        for worker in build_agent_workers(client, agent, settings, http):
            await stack.enter_async_context(worker)
        cluster = ClusterConfig(agents={agent.id: agent}, model_aliases=aliases)
        central = build_central_worker(
            client, settings, cluster=cluster, http=http, sessions=create_sessionmaker(engine)
        )
        await stack.enter_async_context(central)
        for export in (_insert(), _ask()):
            snapshots.append(
                await client.execute_workflow(
                    N8nWorkflow.run,
                    RunN8nInput(plan=compile_export(export, aliases=aliases)[0]),
                    id=f"local-qa-{uuid.uuid4().hex[:10]}",
                    task_queue=task_queue,
                )
            )
    inserted, asked = snapshots
    assert inserted.status is ExecutionStatus.SUCCESS, inserted.error
    assert [d["pageContent"] for d in _items(inserted, "Insert")] == DOCS
    assert asked.status is ExecutionStatus.SUCCESS, asked.error
    ((answer,),) = [_items(asked, "QA")]
    assert isinstance(answer["response"]["text"], str) and answer["response"]["text"]
    ((reply,),) = [_items(asked, "Assistant")]
    assert isinstance(reply["output"], str) and reply["threadId"].startswith("thread_")
