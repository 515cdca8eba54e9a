"""Pinecone over its REST API, as LangChain's `PineconeStore` (n8n's Pinecone node) uses it.

The index's data-plane host comes from the control plane (`GET /indexes/{name}`). Each vector's
metadata is the document's metadata flattened with dots (Pinecone holds no nested objects;
arrays of strings stay whole) plus its text under `text`. The control plane's URL is
`https://api.pinecone.io` unless the credential names another (`apiUrl`, for
Pinecone-compatible servers); the data plane uses the control plane's scheme.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx

from activities.vector_databases.base import FoundDocument, StoredVector, VectorDatabaseError, json_or_error

CONTROL_PLANE = "https://api.pinecone.io"
API_VERSION = "2024-07"
TEXT_KEY = "text"
UPSERT_BATCH = 100


def flatten(value: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """The `flat` package's flatten: nested keys joined by dots, arrays by index."""
    flat: dict[str, Any] = {}
    for key, item in value.items():
        path = f"{prefix}{key}"
        if isinstance(item, dict) and item:
            flat.update(flatten(item, f"{path}."))
        elif isinstance(item, list) and item:
            flat.update(flatten({str(i): v for i, v in enumerate(item)}, f"{path}."))
        else:
            flat[path] = item
    return flat


def pinecone_metadata(page_content: str, metadata: dict[str, Any]) -> dict[str, Any]:
    """LangChain's metadata for one vector: flattened, string arrays kept, the text added."""
    strings = {
        k: v for k, v in metadata.items() if isinstance(v, list) and all(isinstance(e, str) for e in v)
    }
    rest = {k: v for k, v in metadata.items() if k not in strings}
    return {**flatten({**rest, TEXT_KEY: page_content}), **strings}


class PineconeIndex:
    """One Pinecone index (credential `pineconeApi`: `apiKey`), in one namespace."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        api_key: str,
        index: str,
        namespace: str | None,
        control_plane: str = CONTROL_PLANE,
    ) -> None:
        self._http = http
        self._headers = {"Api-Key": api_key, "X-Pinecone-API-Version": API_VERSION}
        self._index = index
        self._namespace = namespace or ""
        self._control = control_plane.rstrip("/")
        self._host: str | None = None

    async def _data_plane(self) -> str:
        if self._host is None:
            response = await self._http.get(f"{self._control}/indexes/{self._index}", headers=self._headers)
            described = json_or_error(response, f"Pinecone: describe index {self._index!r}")
            host = described.get("host") if isinstance(described, dict) else None
            if not host:
                raise VectorDatabaseError(f"Pinecone: index {self._index!r} has no host yet")
            scheme = urlsplit(self._control).scheme or "https"
            self._host = host if "://" in host else f"{scheme}://{host}"
        return self._host

    async def _post(self, path: str, body: dict[str, Any], what: str) -> Any:
        response = await self._http.post(
            f"{await self._data_plane()}{path}", json=body, headers=self._headers
        )
        return json_or_error(response, f"Pinecone: {what}")

    async def insert(self, vectors: Sequence[StoredVector], *, clear: bool, own_ids: bool = False) -> None:
        """Upsert in batches of 100; `clear` empties the namespace first (Clear Namespace)."""
        if clear:
            await self._post(
                "/vectors/delete", {"deleteAll": True, "namespace": self._namespace}, "clear namespace"
            )
        for start in range(0, len(vectors), UPSERT_BATCH):
            batch = vectors[start : start + UPSERT_BATCH]
            await self._post(
                "/vectors/upsert",
                {
                    "vectors": [
                        {
                            "id": v.id,
                            "values": v.embedding,
                            "metadata": pinecone_metadata(v.page_content, v.metadata),
                        }
                        for v in batch
                    ],
                    "namespace": self._namespace,
                },
                f"upsert into {self._index!r}",
            )

    async def search(
        self, vector: Sequence[float], top_k: int, metadata_filter: dict[str, Any] | None
    ) -> list[FoundDocument]:
        """The closest vectors; the text comes out of the metadata, the rest stays flattened."""
        body: dict[str, Any] = {
            "vector": list(vector),
            "topK": top_k,
            "includeMetadata": True,
            "namespace": self._namespace,
        }
        if metadata_filter:
            body["filter"] = metadata_filter
        found = await self._post("/query", body, f"query {self._index!r}")
        documents = []
        for match in found.get("matches") or []:
            metadata = dict(match.get("metadata") or {})
            text = metadata.pop(TEXT_KEY, "")
            documents.append(
                FoundDocument(page_content=str(text), metadata=metadata, score=float(match.get("score", 0.0)))
            )
        return documents


__all__ = ["PineconeIndex", "flatten", "pinecone_metadata"]
