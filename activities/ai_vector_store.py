"""Activities behind n8n's vector store nodes: insert embedded documents, search by similarity.

The Simple Vector Store lives in Hive's database (table ``vector_store_documents``), keyed by
workflow and memory key, so it lasts across executions (n8n keeps it in process memory). A
search reads the whole store and ranks it by cosine similarity in Python: a Simple Vector
Store is meant for small collections, where that is fast enough without a vector index.

Qdrant, Pinecone and Supabase are called over their HTTP APIs (`activities/vector_databases/`)
with the node's credential, resolved here so no secret enters the workflow's history. A
database that is down or answers 5xx is tried again a few times inside the activity (with
heartbeats); then, like a refusal (bad key, unknown collection), it is the node's error, and
n8n's Retry On Fail and On Error settings decide. Only a lost worker is Temporal's to retry.
"""

from __future__ import annotations

import asyncio
import math
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities.heartbeat import heartbeating
from activities.vector_databases import (
    StoredVector,
    VectorDatabase,
    VectorDatabaseError,
    VectorDatabaseUnavailable,
    open_database,
)
from hive_core.db.vector_store import StoredDocument, add_documents, store_documents
from hive_core.errors import ConfigError, HiveError, ServiceError
from hive_core.temporal_errors import to_application_error
from n8n_import.plan import CredentialRef
from n8n_runtime.ai.vector_instruction import StoreTarget
from n8n_runtime.http import CredentialSource

T = TypeVar("T")
# Tries of a vector database call that failed to answer, and the pause before each retry.
DATABASE_ATTEMPTS = 3
DATABASE_BACKOFF_S = (1.0, 3.0)
# Names the ids of a batch's points, so a retried insert overwrites instead of adding.
_ID_NAMESPACE = uuid.UUID("5a1e0f6e-8c5b-4f5e-9d8a-6b7f1c2d3e4f")


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
    target: StoreTarget = Field(default_factory=StoreTarget)
    # The rows' own ids (update mode: the row each document replaces); None: ids from batch_key.
    ids: list[str] | None = None


class VectorInsertOutput(BaseModel):
    inserted: int


class VectorSearchInput(BaseModel):
    workflow_key: str
    memory_key: str
    embedding: list[float]
    top_k: int = 4
    target: StoreTarget = Field(default_factory=StoreTarget)


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


def point_ids(batch_key: str, count: int) -> list[str]:
    """Stable ids for a batch's documents: the same batch always writes the same points."""
    return [str(uuid.uuid5(_ID_NAMESPACE, f"{batch_key}:{i}")) for i in range(count)]


def _node_error(message: str) -> Exception:
    return to_application_error(ServiceError(message))


async def _with_retries(call: Callable[[], Awaitable[T]], what: str) -> T:
    """`call`, tried again while the database does not answer; its refusals fail at once."""
    for attempt in range(DATABASE_ATTEMPTS):
        try:
            return await call()
        except VectorDatabaseError as exc:
            raise _node_error(str(exc)) from None
        except (VectorDatabaseUnavailable, httpx.TransportError) as exc:
            if attempt + 1 == DATABASE_ATTEMPTS:
                detail = str(exc) or type(exc).__name__
                raise _node_error(f"{what}: {detail} (after {DATABASE_ATTEMPTS} tries)") from None
            await asyncio.sleep(DATABASE_BACKOFF_S[min(attempt, len(DATABASE_BACKOFF_S) - 1)])
    raise AssertionError("unreachable")


class VectorStoreActivities:
    """Vector stores: the Simple one in Hive's database, the others over their HTTP APIs."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession] | None,
        http: httpx.AsyncClient | None = None,
        credentials: CredentialSource | None = None,
    ) -> None:
        self._sessions = sessions
        self._http = http
        self._credentials = credentials

    async def _database(self, target: StoreTarget) -> VectorDatabase:
        if self._http is None or self._credentials is None:
            raise to_application_error(ConfigError("this worker cannot reach vector databases"))
        pointer = target.credential
        if pointer is None:
            raise _node_error(f"the {target.kind} vector store has no credential")
        try:
            ref = CredentialRef(id=pointer.id, name=pointer.name)
            resolver = await self._credentials.for_node({pointer.type: ref})
            credential = resolver.resolve(pointer.type, pointer.id, pointer.name)
            return open_database(target, credential.data, self._http)
        except HiveError as exc:
            raise to_application_error(exc) from None
        except VectorDatabaseError as exc:
            raise _node_error(str(exc)) from None

    def _require(self) -> async_sessionmaker[AsyncSession]:
        if self._sessions is None:
            raise to_application_error(
                ConfigError("this worker has no database configured for the vector store")
            )
        return self._sessions

    @activity.defn(name="hive.ai.vector_insert")
    async def insert_documents(self, request: VectorInsertInput) -> VectorInsertOutput:
        """Store embedded documents (emptying the store first when `clear`)."""
        if request.target.kind != "memory":
            database = await self._database(request.target)
            explicit = request.ids is not None
            ids = (
                request.ids
                if request.ids is not None
                else point_ids(request.batch_key, len(request.documents))
            )
            vectors = [
                StoredVector(i, d.page_content, d.metadata, d.embedding)
                for i, d in zip(ids, request.documents, strict=True)
            ]
            async with heartbeating():
                await _with_retries(
                    lambda: database.insert(vectors, clear=request.clear, own_ids=explicit),
                    f"{request.target.kind} insert",
                )
            return VectorInsertOutput(inserted=len(vectors))
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
        target = request.target
        if target.kind != "memory":
            database = await self._database(target)
            async with heartbeating():
                found = await _with_retries(
                    lambda: database.search(request.embedding, request.top_k, target.filter),
                    f"{target.kind} search",
                )
            return VectorSearchOutput(
                matches=[
                    VectorMatch(page_content=f.page_content, metadata=f.metadata, score=f.score)
                    for f in found
                ]
            )
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
    "point_ids",
    "rank",
]
