"""Qdrant over its REST API, as LangChain's `QdrantVectorStore` (n8n's Qdrant node) uses it.

Points carry `{content, metadata}` payloads. Inserts and searches both create a missing
collection first (the vectors' size, cosine distance, or the node's Collection Config), as
LangChain's `ensureCollection` does; a search is a `points/query` asking for the payloads only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from activities.vector_databases.base import FoundDocument, StoredVector, json_or_error

CONTENT_KEY = "content"
METADATA_KEY = "metadata"


class QdrantCollection:
    """One Qdrant collection (credential `qdrantApi`: `qdrantUrl`, `apiKey`)."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        url: str,
        api_key: str,
        collection: str,
        collection_config: dict[str, Any] | None = None,
    ) -> None:
        self._http = http
        self._base = url.rstrip("/")
        self._headers = {"api-key": api_key} if api_key else {}
        self._collection = collection
        self._config = collection_config

    def _url(self, path: str) -> str:
        return f"{self._base}{path}"

    async def _ensure_collection(self, size: int) -> None:
        response = await self._http.get(self._url("/collections"), headers=self._headers)
        listed = json_or_error(response, "Qdrant: list collections")
        names = {c.get("name") for c in (listed.get("result") or {}).get("collections", [])}
        if self._collection in names:
            return
        config = self._config or {"vectors": {"size": size, "distance": "Cosine"}}
        response = await self._http.put(
            self._url(f"/collections/{self._collection}"), json=config, headers=self._headers
        )
        json_or_error(response, f"Qdrant: create collection {self._collection!r}")

    async def insert(self, vectors: Sequence[StoredVector], *, clear: bool, own_ids: bool = False) -> None:
        """Upsert the points (waiting until they are searchable); `clear` is not a Qdrant option."""
        if not vectors:
            return
        await self._ensure_collection(len(vectors[0].embedding))
        points = [
            {
                "id": v.id,
                "vector": v.embedding,
                "payload": {CONTENT_KEY: v.page_content, METADATA_KEY: v.metadata},
            }
            for v in vectors
        ]
        response = await self._http.put(
            self._url(f"/collections/{self._collection}/points"),
            params={"wait": "true"},
            json={"points": points},
            headers=self._headers,
        )
        json_or_error(response, f"Qdrant: upsert into {self._collection!r}")

    async def search(
        self, vector: Sequence[float], top_k: int, metadata_filter: dict[str, Any] | None
    ) -> list[FoundDocument]:
        """The closest points' payloads as documents, with Qdrant's scores."""
        await self._ensure_collection(len(vector))
        body: dict[str, Any] = {
            "query": list(vector),
            "limit": top_k,
            "with_payload": [METADATA_KEY, CONTENT_KEY],
            "with_vector": False,
        }
        if metadata_filter:
            body["filter"] = metadata_filter
        response = await self._http.post(
            self._url(f"/collections/{self._collection}/points/query"), json=body, headers=self._headers
        )
        found = json_or_error(response, f"Qdrant: search {self._collection!r}")
        documents = []
        for hit in (found.get("result") or {}).get("points", []):
            payload = hit.get("payload") or {}
            documents.append(
                FoundDocument(
                    page_content=str(payload.get(CONTENT_KEY, "")),
                    metadata=payload.get(METADATA_KEY) or {},
                    score=float(hit.get("score", 0.0)),
                )
            )
        return documents


__all__ = ["QdrantCollection"]
