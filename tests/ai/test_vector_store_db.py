"""The vector store's tables on SQLite and PostgreSQL: stores by key, clear, idempotent batches,
unique positions, and the cosine ranking of the search activity."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import ActivityEnvironment

from activities.ai_vector_store import (
    EmbeddedDocument,
    VectorInsertInput,
    VectorSearchInput,
    VectorStoreActivities,
    cosine_similarity,
)
from hive_core.db.models import VectorStoreDocument
from hive_core.db.vector_store import StoredDocument, add_documents, store_documents
from tests.db.conftest import database_factory, database_url, engine, sessionmaker  # noqa: F401

Sessions = async_sessionmaker[AsyncSession]


def _doc(text: str, vector: list[float]) -> StoredDocument:
    return StoredDocument(text, {"source": "blob"}, vector)


async def test_stores_are_keyed_and_cleared(sessionmaker: Sessions) -> None:  # noqa: F811
    async with sessionmaker() as session:
        assert await add_documents(session, "wf", "a", "b1", [_doc("x", [1, 0]), _doc("y", [0, 1])])
        assert await add_documents(session, "wf", "b", "b1", [_doc("other", [1, 1])])
        assert await add_documents(session, "wf-2", "a", "b1", [_doc("elsewhere", [1, 1])])
        await session.commit()
    async with sessionmaker() as session:
        stored = await store_documents(session, "wf", "a")
        assert [(d.content, d.metadata, d.embedding) for d in stored] == [
            ("x", {"source": "blob"}, [1.0, 0.0]),
            ("y", {"source": "blob"}, [0.0, 1.0]),
        ]
        # The same batch again (a retried activity) stores nothing.
        assert not await add_documents(session, "wf", "a", "b1", [_doc("x", [1, 0])])
        assert await add_documents(session, "wf", "a", "b2", [_doc("z", [1, 0])], clear=True)
        await session.commit()
    async with sessionmaker() as session:
        assert [d.content for d in await store_documents(session, "wf", "a")] == ["z"]
        assert [d.content for d in await store_documents(session, "wf", "b")] == ["other"]


async def test_positions_are_unique_per_store(sessionmaker: Sessions) -> None:  # noqa: F811
    def row(content: str) -> VectorStoreDocument:
        return VectorStoreDocument(
            workflow_key="wf", memory_key="k", position=0, batch_key="b", content=content, embedding=[1.0]
        )

    async with sessionmaker() as session:
        session.add(row("a"))
        await session.commit()
    with pytest.raises(IntegrityError):
        async with sessionmaker() as session:
            session.add(row("b"))
            await session.commit()


async def test_search_ranks_by_cosine(sessionmaker: Sessions) -> None:  # noqa: F811
    activities = VectorStoreActivities(sessionmaker)
    env = ActivityEnvironment()
    documents = [
        EmbeddedDocument(page_content="east", embedding=[1.0, 0.0]),
        EmbeddedDocument(page_content="north", embedding=[0.0, 2.0]),
        EmbeddedDocument(page_content="north-east", embedding=[1.0, 1.0], metadata={"k": 1}),
    ]
    inserted = await env.run(
        activities.insert_documents,
        VectorInsertInput(workflow_key="wf", memory_key="k", batch_key="b", documents=documents),
    )
    assert inserted.inserted == 3
    found = await env.run(
        activities.search_documents,
        VectorSearchInput(workflow_key="wf", memory_key="k", embedding=[0.1, 1.0], top_k=2),
    )
    assert [m.page_content for m in found.matches] == ["north", "north-east"]
    assert found.matches[0].score == pytest.approx(cosine_similarity([0.1, 1.0], [0.0, 2.0]))
    assert found.matches[1].metadata == {"k": 1}
    empty = await env.run(
        activities.search_documents,
        VectorSearchInput(workflow_key="wf", memory_key="none", embedding=[1.0, 0.0]),
    )
    assert empty.matches == []


def test_cosine_edge_cases() -> None:
    assert cosine_similarity([1, 0], [2, 0]) == pytest.approx(1.0)
    assert cosine_similarity([1, 0], [-1, 0]) == pytest.approx(-1.0)
    assert cosine_similarity([0, 0], [1, 0]) == 0.0
    assert cosine_similarity([1, 0], [1, 0, 0]) == 0.0
