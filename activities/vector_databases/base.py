"""What every vector database client offers the vector store activities, and its errors.

A client stores embedded documents and ranks them against a query vector, speaking the
database's own HTTP API the way LangChain's store classes (which n8n uses) do, so a collection
written by n8n is read by Hive and the other way round.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx


@dataclass(frozen=True, slots=True)
class StoredVector:
    """A document with its embedding and the id it is stored under."""

    id: str
    page_content: str
    metadata: dict[str, Any]
    embedding: list[float]


@dataclass(frozen=True, slots=True)
class FoundDocument:
    """A search hit: n8n's `{pageContent, metadata}` with its similarity score."""

    page_content: str
    metadata: dict[str, Any] = field(default_factory=dict)
    score: float = 0.0


class VectorDatabaseError(Exception):
    """The database refused the request (bad key, unknown collection, bad filter): a node error."""


class VectorDatabaseUnavailable(Exception):
    """The database did not answer, or answered with a server error: worth trying again."""


class VectorDatabase(Protocol):
    """One collection (index, table) of a vector database."""

    async def insert(self, vectors: Sequence[StoredVector], *, clear: bool, own_ids: bool = False) -> None:
        """Store `vectors` (ids make a repeated insert overwrite, where the database has ids).

        `own_ids`: the ids are the rows' own (update mode), sent even where the database would
        make its own.
        """
        ...

    async def search(
        self, vector: Sequence[float], top_k: int, metadata_filter: dict[str, Any] | None
    ) -> list[FoundDocument]:
        """The `top_k` documents closest to `vector`, best first."""
        ...


def json_or_error(response: httpx.Response, what: str) -> Any:
    """The response's JSON body; a clear error naming `what` for any other answer."""
    if response.status_code >= 500:
        raise VectorDatabaseUnavailable(f"{what}: the server answered {response.status_code}")
    if response.status_code >= 400:
        raise VectorDatabaseError(f"{what}: {response.status_code} {_detail(response)}")
    try:
        return response.json()
    except ValueError:
        raise VectorDatabaseUnavailable(f"{what}: the server's answer is not JSON") from None


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(body, dict):
        for key in ("message", "error", "status"):
            value = body.get(key)
            if isinstance(value, dict):
                value = value.get("error") or value.get("message")
            if isinstance(value, str) and value:
                return value
    return str(body)[:300]


__all__ = [
    "FoundDocument",
    "StoredVector",
    "VectorDatabase",
    "VectorDatabaseError",
    "VectorDatabaseUnavailable",
    "json_or_error",
]
