"""Activities behind n8n's Simple Vector Store: insert embedded documents, search by similarity.

The store lives in Hive's database (table ``vector_store_documents``), keyed by workflow and
memory key, so it lasts across executions (n8n keeps it in process memory). A search reads
the whole store and ranks it by cosine similarity in Python: a Simple Vector Store is meant
for small collections, where that is fast enough without a vector index.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities.heartbeat import heartbeating
from hive_core.db.vector_store import StoredDocument, add_documents, store_documents
from hive_core.errors import ConfigError
from hive_core.temporal_errors import to_application_error


class EmbeddedDocument(BaseModel):
    page_content: str
    metadata: dict[str, Any] = Field(default_factory=dict)
    embedding: list[float]


class VectorInsertInput(BaseModel):
    workflow_key: str
    memory_key: str
    # Names this insert: a retry of an insert that already committed stores nothing again.
    batch_key: str
    documents: list[EmbeddedDocument]
    clear: bool = False


class VectorInsertOutput(BaseModel):
    inserted: int


class VectorSearchInput(BaseModel):
    workflow_key: str
    memory_key: str
    embedding: list[float]
    top_k: int = 4


class VectorMatch(BaseModel):
    page_content: str
    metadata: dict[str, Any] = Field(default_factory=dict)
    score: float


class VectorSearchOutput(BaseModel):
    matches: list[VectorMatch] = Field(default_factory=list)


def cosine_similarity(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine of the angle between `a` and `b`; 0 for a zero vector or mismatched lengths."""
    if len(a) != len(b):
        return 0.0
    norms = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    if norms == 0:
        return 0.0
    return sum(x * y for x, y in zip(a, b, strict=True)) / norms


def rank(documents: Sequence[StoredDocument], query: Sequence[float], top_k: int) -> list[VectorMatch]:
    """The `top_k` documents most similar to `query`, best first (ties: oldest first)."""
    scored = [(cosine_similarity(query, d.embedding), i, d) for i, d in enumerate(documents)]
    scored.sort(key=lambda entry: (-entry[0], entry[1]))
    return [
        VectorMatch(page_content=d.content, metadata=d.metadata, score=score)
        for score, _, d in scored[: max(top_k, 0)]
    ]


class VectorStoreActivities:
    """The Simple Vector Store in Hive's database (see `hive_core.db.vector_store`)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession] | None) -> None:
        self._sessions = sessions

    def _require(self) -> async_sessionmaker[AsyncSession]:
        if self._sessions is None:
            raise to_application_error(
                ConfigError("this worker has no database configured for the vector store")
            )
        return self._sessions

    @activity.defn(name="hive.ai.vector_insert")
    async def insert_documents(self, request: VectorInsertInput) -> VectorInsertOutput:
        """Store embedded documents (emptying the store first when `clear`)."""
        documents = [StoredDocument(d.page_content, d.metadata, d.embedding) for d in request.documents]
        async with heartbeating(), self._require()() as session:
            added = await add_documents(
                session,
                request.workflow_key,
                request.memory_key,
                request.batch_key,
                documents,
                clear=request.clear,
            )
            await session.commit()
        return VectorInsertOutput(inserted=len(documents) if added else 0)

    @activity.defn(name="hive.ai.vector_search")
    async def search_documents(self, request: VectorSearchInput) -> VectorSearchOutput:
        """The `top_k` documents of the store closest to `embedding` by cosine similarity."""
        async with heartbeating(), self._require()() as session:
            documents = await store_documents(session, request.workflow_key, request.memory_key)
        return VectorSearchOutput(matches=rank(documents, request.embedding, request.top_k))


__all__ = [
    "EmbeddedDocument",
    "VectorInsertInput",
    "VectorInsertOutput",
    "VectorMatch",
    "VectorSearchInput",
    "VectorSearchOutput",
    "VectorStoreActivities",
    "cosine_similarity",
    "rank",
]
