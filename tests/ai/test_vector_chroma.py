"""n8n's Chroma Vector Store node end to end: a real Chroma server, a real Temporal dev server.

The central worker speaks Chroma's v2 REST API (`activities/vector_databases/chroma.py`) with
the node's `chromaSelfHostedApi` credential from hive.yaml; embeddings run on the agent's
FakeOllama (bag-of-words vectors). Chroma itself runs from its wheel (tests/ai/chroma_server.py).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.client import Client

from activities.vector_databases.chroma import chroma_headers
from hive_core.config.models import CredentialConfig
from tests.ai.builders import lc, output, vector_store_workflow
from tests.ai.chroma_server import ChromaServer, chroma_server
from tests.ai.conftest import AiCluster, open_ai_cluster
from workflows.n8n_models import ExecutionStatus

DOCS = [
    "cats purr and sleep all day",
    "rockets fly to the moon and back",
    "bread needs flour water and yeast",
]
TOKEN = "chroma-secret-token"


@pytest.fixture
def chroma(tmp_path: Path) -> Iterator[ChromaServer]:
    with chroma_server(tmp_path) as server:
        yield server


@pytest.fixture
async def cluster(
    client: Client, task_queue: str, tmp_path: Path, chroma: ChromaServer
) -> AsyncIterator[AiCluster]:
    credential = CredentialConfig(
        type="chromaSelfHostedApi", data={"baseUrl": chroma.url, "authentication": "token", "token": TOKEN}
    )
    async with open_ai_cluster(client, task_queue, tmp_path, {"Chroma account": credential}) as ai:
        ai.configure(embedding_kind="words", embedding_dim=256)
        yield ai


def _store(
    model: str,
    mode: str,
    splitter: dict[str, Any] | None = None,
    collection: str = "documents",
    **parameters: Any,
) -> dict[str, Any]:
    store = lc(
        "Store",
        "vectorStoreChromaDB",
        1.3,
        200,
        mode=mode,
        chromaCollection={"__rl": True, "mode": "list", "value": collection},
        **parameters,
    )
    store["credentials"] = {"chromaSelfHostedApi": {"id": "c1", "name": "Chroma account"}}
    return vector_store_workflow("chroma", store, model, splitter, workflow_id="wf-chroma")


async def _run(cluster: AiCluster, workflow: dict[str, Any], items: list[dict[str, Any]]) -> Any:
    return await cluster.run(workflow, trigger_items=[{"json": item} for item in items])


async def _records(chroma: ChromaServer, collection: str = "documents") -> dict[str, Any]:
    """What Chroma holds, read with its own API (not Hive's client)."""
    scope = f"{chroma.url}/api/v2/tenants/default_tenant/databases/default_database/collections"
    async with httpx.AsyncClient() as http:
        listed = (await http.get(scope)).json()
        (found,) = [c for c in listed if c["name"] == collection]
        got = await http.post(f"{scope}/{found['id']}/get", json={"include": ["documents", "metadatas"]})
        return dict(got.json())


async def test_insert_then_load_through_chroma(cluster: AiCluster, chroma: ChromaServer) -> None:
    inserted = await _run(cluster, _store(cluster.model, "insert"), [{"text": t} for t in DOCS])
    assert inserted.status is ExecutionStatus.SUCCESS, inserted.error
    assert [d["pageContent"] for d in output(inserted, "Store")] == DOCS
    assert sorted((await _records(chroma))["documents"]) == sorted(DOCS)

    loaded = await _run(
        cluster, _store(cluster.model, "load", prompt="={{ $json.q }}", topK=2), [{"q": "rockets moon"}]
    )
    assert loaded.status is ExecutionStatus.SUCCESS, loaded.error
    found = output(loaded, "Store")
    assert len(found) == 2
    assert found[0]["document"]["pageContent"] == DOCS[1]
    # Chroma scores by distance, and n8n shows it as the score: the closest has the lowest.
    assert found[0]["score"] < found[1]["score"]
    assert found[0]["document"]["metadata"] == {"source": "blob", "blobType": "application/json", "line": 1}

    history = await cluster.client.get_workflow_handle(cluster.last_run_id).fetch_history()
    assert TOKEN not in json.dumps(history.to_json_dict())


async def test_splitter_lines_are_flat_in_chroma_and_restored(
    cluster: AiCluster, chroma: ChromaServer
) -> None:
    splitter = lc("Splitter", "textSplitterTokenSplitter", 1, chunkSize=100)
    inserted = await _run(cluster, _store(cluster.model, "insert", splitter), [{"text": DOCS[1]}])
    assert inserted.status is ExecutionStatus.SUCCESS, inserted.error
    (metadata,) = (await _records(chroma))["metadatas"]
    assert metadata["locFrom"] == 1 and metadata["locTo"] == 1 and "loc" not in metadata  # LangChain's shape

    loaded = await _run(cluster, _store(cluster.model, "load", prompt="rockets"), [{}])
    (hit,) = output(loaded, "Store")
    assert hit["document"]["metadata"]["loc"] == {"lines": {"from": 1, "to": 1}}


async def test_clear_collection_and_metadata_filter(cluster: AiCluster, chroma: ChromaServer) -> None:
    await _run(cluster, _store(cluster.model, "insert"), [{"text": t} for t in DOCS])
    cleared = await _run(
        cluster,
        _store(cluster.model, "insert", options={"clearCollection": True}),
        [{"text": "honey is sweet"}],
    )
    assert cleared.status is ExecutionStatus.SUCCESS, cleared.error
    assert (await _records(chroma))["documents"] == ["honey is sweet"]

    metadata = {"metadataValues": [{"name": "line", "value": 2}]}
    none = await _run(
        cluster, _store(cluster.model, "load", prompt="honey", options={"metadata": metadata}), [{}]
    )
    assert none.status is ExecutionStatus.SUCCESS, none.error
    assert output(none, "Store") == []  # every document is line 1: Chroma's `where` kept none


async def test_dimension_mismatch_is_a_clear_node_error(cluster: AiCluster) -> None:
    await _run(cluster, _store(cluster.model, "insert"), [{"text": DOCS[0]}])
    cluster.configure(embedding_kind="words", embedding_dim=64)
    failed = await _run(cluster, _store(cluster.model, "insert"), [{"text": DOCS[1]}])
    assert failed.status is ExecutionStatus.ERROR
    assert "ChromaDB embedding dimension mismatch" in str(failed.error)
    assert "Clear Collection" in str(failed.error)


async def test_chroma_down_is_retried_then_named(cluster: AiCluster, chroma: ChromaServer) -> None:
    chroma.stop()
    failed = await _run(cluster, _store(cluster.model, "insert"), [{"text": DOCS[0]}])
    assert failed.status is ExecutionStatus.ERROR
    assert "chroma insert" in str(failed.error) and "(after 3 tries)" in str(failed.error)


def test_credentials_give_n8ns_headers() -> None:
    assert chroma_headers("chromaSelfHostedApi", {"authentication": "none", "apiKey": "k"}) == {}
    assert chroma_headers("chromaSelfHostedApi", {"authentication": "apiKey", "apiKey": "k"}) == {
        "Authorization": "Bearer k"
    }
    assert chroma_headers("chromaSelfHostedApi", {"authentication": "token", "token": "t"}) == {
        "X-Chroma-Token": "t"
    }
    assert chroma_headers("chromaCloudApi", {"apiKey": "k"}) == {"x-chroma-token": "k"}


async def test_update_replaces_the_record_with_the_items_id(cluster: AiCluster, chroma: ChromaServer) -> None:
    await _run(cluster, _store(cluster.model, "insert"), [{"text": DOCS[0]}])
    updated = await _run(
        cluster,
        _store(cluster.model, "update", id="={{ $json.row }}"),
        [{"text": "honey is sweet", "row": 7}],
    )
    assert updated.status is ExecutionStatus.SUCCESS, updated.error
    again = await _run(cluster, _store(cluster.model, "update", id="7"), [{"text": "honey is sweeter"}])
    assert again.status is ExecutionStatus.SUCCESS, again.error
    records = await _records(chroma)
    assert len(records["ids"]) == 2 and "7" in records["ids"]
    assert records["documents"][records["ids"].index("7")] == "honey is sweeter"
