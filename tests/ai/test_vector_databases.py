"""Qdrant, Pinecone and Supabase vector stores end to end through a real dev server.

The central worker calls each database's REST API (a local stand-in speaking its wire format:
tests/ai/vector_databases.py) with the node's credential from hive.yaml; embeddings run on the
agent's FakeOllama (bag-of-words vectors, so texts sharing words are close). Also: the secret
stays out of the run's history, a database that is down is retried and then named in the
node's error, a refused key fails at once, and the Token Splitter chunks what is inserted.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.client import Client

from hive_core.config.models import CredentialConfig
from tests.ai.builders import lc, output, vector_store_workflow
from tests.ai.conftest import AiCluster, open_ai_cluster
from tests.ai.vector_databases import API_KEY, StandIn, pinecone_app, qdrant_app, serve, supabase_app
from workflows.n8n_models import ExecutionStatus

DOCS = [
    "cats purr and sleep all day",
    "rockets fly to the moon and back",
    "bread needs flour water and yeast",
]
# node type → (collection parameter, credential type)
STORES = {
    "vectorStoreQdrant": ("qdrantCollection", "qdrantApi"),
    "vectorStorePinecone": ("pineconeIndex", "pineconeApi"),
    "vectorStoreSupabase": ("tableName", "supabaseApi"),
}


@pytest.fixture
def databases() -> Iterator[dict[str, StandIn]]:
    with serve(qdrant_app) as qdrant, serve(pinecone_app) as pinecone, serve(supabase_app) as supabase:
        yield {"vectorStoreQdrant": qdrant, "vectorStorePinecone": pinecone, "vectorStoreSupabase": supabase}


def _credentials(databases: dict[str, StandIn], key: str = API_KEY) -> dict[str, CredentialConfig]:
    return {
        "Qdrant account": CredentialConfig(
            type="qdrantApi", data={"qdrantUrl": databases["vectorStoreQdrant"].url, "apiKey": key}
        ),
        "Pinecone account": CredentialConfig(
            type="pineconeApi", data={"apiKey": key, "apiUrl": databases["vectorStorePinecone"].url}
        ),
        "Supabase account": CredentialConfig(
            type="supabaseApi", data={"host": databases["vectorStoreSupabase"].url, "serviceRole": key}
        ),
    }


@pytest.fixture
async def cluster(
    client: Client, task_queue: str, tmp_path: Path, databases: dict[str, StandIn]
) -> AsyncIterator[AiCluster]:
    async with open_ai_cluster(client, task_queue, tmp_path, _credentials(databases)) as ai:
        ai.configure(embedding_kind="words", embedding_dim=256)
        yield ai


def _store(
    kind: str, model: str, mode: str, splitter: dict[str, Any] | None = None, **parameters: Any
) -> dict:
    collection_param, credential_type = STORES[kind]
    store = lc(
        "Store",
        kind,
        1,
        200,
        mode=mode,
        **{collection_param: {"__rl": True, "mode": "list", "value": "documents"}},
        **parameters,
    )
    store["credentials"] = {credential_type: {"id": "x1", "name": f"{kind[11:]} account"}}
    return vector_store_workflow("vectors", store, model, splitter, workflow_id="wf-db")


async def _run(cluster: AiCluster, workflow: dict, items: list[dict[str, Any]]) -> Any:
    return await cluster.run(workflow, trigger_items=[{"json": item} for item in items])


@pytest.mark.parametrize("kind", sorted(STORES))
async def test_insert_then_load_through_the_database(
    cluster: AiCluster, databases: dict[str, StandIn], kind: str
) -> None:
    inserted = await _run(cluster, _store(kind, cluster.model, "insert"), [{"text": t} for t in DOCS])
    assert inserted.status is ExecutionStatus.SUCCESS, inserted.error
    assert [d["pageContent"] for d in output(inserted, "Store")] == DOCS
    assert sum(len(rows) for rows in databases[kind].data.values()) == 3

    loaded = await _run(
        cluster, _store(kind, cluster.model, "load", prompt="={{ $json.q }}", topK=2), [{"q": "rockets moon"}]
    )
    assert loaded.status is ExecutionStatus.SUCCESS, loaded.error
    found = output(loaded, "Store")
    assert len(found) == 2
    assert found[0]["document"]["pageContent"] == DOCS[1]
    assert found[0]["score"] > found[1]["score"]
    assert found[0]["document"]["metadata"] == {"source": "blob", "blobType": "application/json", "line": 1}

    history = await cluster.client.get_workflow_handle(cluster.last_run_id).fetch_history()
    assert API_KEY not in json.dumps(history.to_json_dict())


async def test_wire_format_matches_langchain(cluster: AiCluster, databases: dict[str, StandIn]) -> None:
    await _run(cluster, _store("vectorStoreQdrant", cluster.model, "insert"), [{"text": DOCS[0]}])
    qdrant = databases["vectorStoreQdrant"]
    [point] = qdrant.data["documents"].values()
    assert point["payload"]["content"] == DOCS[0]
    assert point["payload"]["metadata"]["line"] == 1
    assert qdrant.dimension == 256  # the collection was created with the vectors' size

    # Pinecone holds flat metadata: LangChain flattens nested keys with dots (the splitter's loc).
    splitter = lc("Splitter", "textSplitterTokenSplitter", 1, chunkSize=100)
    pinecone = _store(
        "vectorStorePinecone", cluster.model, "insert", splitter, options={"pineconeNamespace": "ns1"}
    )
    await _run(cluster, pinecone, [{"text": DOCS[1]}])
    [vector] = databases["vectorStorePinecone"].data["ns1"].values()
    assert vector["metadata"]["text"] == DOCS[1]
    assert vector["metadata"]["loc.lines.from"] == 1 and vector["metadata"]["loc.lines.to"] == 1
    assert "loc" not in vector["metadata"]

    await _run(cluster, _store("vectorStoreSupabase", cluster.model, "insert"), [{"text": DOCS[2]}])
    [row] = databases["vectorStoreSupabase"].data["documents"].values()
    assert row["content"] == DOCS[2] and len(row["embedding"]) == 256


async def test_retried_insert_overwrites_its_points(
    cluster: AiCluster, databases: dict[str, StandIn]
) -> None:
    # Ids come from the batch: the same run's insert, repeated, writes the same Qdrant points.
    workflow = _store("vectorStoreQdrant", cluster.model, "insert")
    await _run(cluster, workflow, [{"text": t} for t in DOCS])
    await _run(cluster, workflow, [{"text": t} for t in DOCS])
    assert len(databases["vectorStoreQdrant"].data["documents"]) == 6  # two runs, two batches
    from activities.ai_vector_store import point_ids

    assert point_ids("run:0:0:Store", 3) == point_ids("run:0:0:Store", 3)
    assert len(set(point_ids("run:0:0:Store", 3))) == 3


async def test_metadata_filter_reaches_the_database(
    cluster: AiCluster, databases: dict[str, StandIn]
) -> None:
    await _run(cluster, _store("vectorStoreQdrant", cluster.model, "insert"), [{"text": t} for t in DOCS])
    line_1 = json.dumps({"must": [{"key": "metadata.line", "match": {"value": 1}}]})
    loaded = await _run(
        cluster,
        _store(
            "vectorStoreQdrant",
            cluster.model,
            "load",
            prompt="rockets moon",
            options={"searchFilterJson": line_1},
        ),
        [{}],
    )
    assert loaded.status is ExecutionStatus.SUCCESS, loaded.error
    # Every document is line 1 of its item: the filter keeps them all, and rides in the request.
    search = [
        body
        for method, path, body in databases["vectorStoreQdrant"].requests
        if path.endswith("/points/query")
    ]
    assert json.loads(search[-1])["filter"] == json.loads(line_1)


async def test_database_down_is_retried_then_named(cluster: AiCluster, databases: dict[str, StandIn]) -> None:
    supabase = databases["vectorStoreSupabase"]
    supabase.down_for = 1  # one 503, then it answers: the activity tries again
    ok = await _run(cluster, _store("vectorStoreSupabase", cluster.model, "insert"), [{"text": DOCS[0]}])
    assert ok.status is ExecutionStatus.SUCCESS, ok.error

    supabase.down_for = 100
    failed = await _run(cluster, _store("vectorStoreSupabase", cluster.model, "insert"), [{"text": DOCS[0]}])
    assert failed.status is ExecutionStatus.ERROR
    assert "Supabase: insert into 'documents': the server answered 503 (after 3 tries)" in str(failed.error)
    supabase.down_for = 0


async def test_refused_key_fails_at_once(
    client: Client, task_queue: str, tmp_path: Path, databases: dict[str, StandIn]
) -> None:
    async with open_ai_cluster(client, task_queue, tmp_path, _credentials(databases, key="wrong")) as ai:
        ai.configure(embedding_kind="words", embedding_dim=256)
        failed = await _run(ai, _store("vectorStoreQdrant", ai.model, "insert"), [{"text": DOCS[0]}])
    assert failed.status is ExecutionStatus.ERROR
    assert "Qdrant: list collections: 401 Invalid API key" in str(failed.error)
    assert len(databases["vectorStoreQdrant"].requests) == 1  # refused: not tried again


async def test_missing_credential_names_it(cluster: AiCluster) -> None:
    workflow = _store("vectorStoreQdrant", cluster.model, "insert")
    workflow["nodes"][1]["credentials"] = {"qdrantApi": {"id": "nope", "name": "Other Qdrant"}}
    failed = await _run(cluster, workflow, [{"text": DOCS[0]}])
    assert failed.status is ExecutionStatus.ERROR
    assert "Other Qdrant" in str(failed.error)


async def test_token_splitter_chunks_inserted_documents(
    cluster: AiCluster, databases: dict[str, StandIn]
) -> None:
    splitter = lc("Splitter", "textSplitterTokenSplitter", 1, chunkSize=4, chunkOverlap=1)
    workflow = _store("vectorStoreQdrant", cluster.model, "insert", splitter=splitter)
    inserted = await _run(cluster, workflow, [{"text": "rockets fly to the moon and back again"}])
    assert inserted.status is ExecutionStatus.SUCCESS, inserted.error
    chunks = [d["pageContent"] for d in output(inserted, "Store")]
    assert chunks == ["rockets fly to", " to the moon and", " and back again"]
    assert len(databases["vectorStoreQdrant"].data["documents"]) == 3


WIRE = Path(__file__).parent / "fixtures" / "vector_wire_langchain.json"
# The documents and vectors fixtures/record_vector_wire.mjs gives LangChain's stores.
WIRE_DOCS = [
    ("a", {"source": "blob", "loc": {"lines": {"from": 1, "to": 1}}, "tags": ["x", "y"]}, [1, 0, 0.5]),
    ("b", {"source": "blob"}, [1, 1, 0.5]),
]


@pytest.mark.parametrize("kind", ["qdrant", "pinecone", "supabase"])
async def test_requests_and_results_equal_langchain_js(kind: str) -> None:
    """Hive's clients send what n8n's LangChain clients (the versions n8n 1.123 pins) send."""
    from activities.vector_databases import StoredVector, open_database
    from n8n_runtime.ai.vector_instruction import StoreTarget
    from tests.ai.vector_databases import recorded_requests

    expected = json.loads(WIRE.read_text(encoding="utf-8"))[kind]
    app = {"qdrant": qdrant_app, "pinecone": pinecone_app, "supabase": supabase_app}[kind]
    with serve(app) as server:
        data = {
            "qdrant": {"qdrantUrl": server.url, "apiKey": API_KEY},
            "pinecone": {"apiKey": API_KEY, "apiUrl": server.url},
            "supabase": {"host": server.url, "serviceRole": API_KEY},
        }[kind]
        async with httpx.AsyncClient() as http:
            database = open_database(
                StoreTarget(kind=kind, collection="documents", namespace="ns"), data, http
            )
            vectors = [
                StoredVector(f"id{i}", text, meta, vec) for i, (text, meta, vec) in enumerate(WIRE_DOCS)
            ]
            await database.insert(vectors, clear=False)
            found = await database.search([1, 0, 0.5], 2, None)
        sent = recorded_requests(server)
    # The JavaScript Qdrant client first asks the server's version (GET /); Hive does not.
    assert sent == [r for r in expected["requests"] if r[:2] != ["GET", "/"]]
    assert [[f.page_content, f.metadata, f.score] for f in found] == expected["results"]


async def test_supabase_update_replaces_the_row_with_the_items_id(
    cluster: AiCluster, databases: dict[str, StandIn]
) -> None:
    kind = "vectorStoreSupabase"
    inserted = await _run(cluster, _store(kind, cluster.model, "insert"), [{"text": t} for t in DOCS])
    assert inserted.status is ExecutionStatus.SUCCESS, inserted.error
    update = _store(kind, cluster.model, "update", id="={{ $json.row }}")
    updated = await _run(cluster, update, [{"text": "honey is sweet", "row": 2}])
    assert updated.status is ExecutionStatus.SUCCESS, updated.error
    # n8n's update mode outputs the item's one document, as its N8nJsonLoader read it.
    assert output(updated, "Store") == [
        {
            "metadata": {"source": "blob", "blobType": "application/json", "line": 1},
            "pageContent": "honey is sweet",
        },
    ]
    rows = databases[kind].data["documents"]
    assert len(rows) == 3 and rows["2"]["content"] == "honey is sweet" and rows["2"]["id"] == "2"
    assert rows["1"]["content"] == DOCS[0]

    two = await _run(cluster, _store(kind, cluster.model, "update", id="1"), [{"a": "x", "b": "y"}])
    assert two.status is ExecutionStatus.ERROR
    assert "Single document per item expected" in str(two.error)
