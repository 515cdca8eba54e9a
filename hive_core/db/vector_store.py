"""Storing and reading the documents of n8n's Simple Vector Store in Hive's database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hive_core.db.models.vector_store import VectorStoreDocument


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document of a store: its text, metadata and embedding."""

    content: str
    metadata: dict[str, Any]
    embedding: list[float]


def _of_store(workflow_key: str, memory_key: str) -> tuple[Any, ...]:
    return (VectorStoreDocument.workflow_key == workflow_key, VectorStoreDocument.memory_key == memory_key)


async def add_documents(
    session: AsyncSession,
    workflow_key: str,
    memory_key: str,
    batch_key: str,
    documents: Sequence[StoredDocument],
    *,
    clear: bool = False,
) -> bool:
    """Append `documents` to a store (after emptying it when `clear`); the caller commits.

    Returns False, changing nothing, when the batch `batch_key` is already stored: the insert
    of a retried activity that had committed before its result was lost.
    """
    done = await session.scalar(
        select(func.count())
        .select_from(VectorStoreDocument)
        .where(*_of_store(workflow_key, memory_key), VectorStoreDocument.batch_key == batch_key)
    )
    if done:
        return False
    if clear:
        await session.execute(delete(VectorStoreDocument).where(*_of_store(workflow_key, memory_key)))
    last = await session.scalar(
        select(func.max(VectorStoreDocument.position)).where(*_of_store(workflow_key, memory_key))
    )
    start = (last if last is not None else -1) + 1
    session.add_all(
        VectorStoreDocument(
            workflow_key=workflow_key,
            memory_key=memory_key,
            position=start + offset,
            batch_key=batch_key,
            content=document.content,
            document_metadata=document.metadata,
            embedding=list(document.embedding),
        )
        for offset, document in enumerate(documents)
    )
    return True


async def store_documents(session: AsyncSession, workflow_key: str, memory_key: str) -> list[StoredDocument]:
    """Every document of a store, oldest first (a Simple Vector Store is searched in full)."""
    rows = await session.execute(
        select(
            VectorStoreDocument.content, VectorStoreDocument.document_metadata, VectorStoreDocument.embedding
        )
        .where(*_of_store(workflow_key, memory_key))
        .order_by(VectorStoreDocument.position)
    )
    return [
        StoredDocument(content, dict(metadata or {}), list(embedding))
        for content, metadata, embedding in rows
    ]


__all__ = ["StoredDocument", "add_documents", "store_documents"]
