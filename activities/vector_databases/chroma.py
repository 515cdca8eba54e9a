"""Chroma over its v2 REST API, as LangChain's `Chroma` store (n8n's Chroma node) uses it.

Collections live under a tenant and database: given by a Chroma Cloud credential, else the
server's answer to `auth/identity` (a self-hosted server says `default_tenant` /
`default_database`). Inserts and searches get or create the collection first (no embedding
function: Hive embeds). Records hold the text as the document and flat metadata, with the text
splitter's `loc.lines` stored as `locFrom` / `locTo` and restored on the way out, as LangChain
does. A search's score is Chroma's distance (lower is closer), which is what n8n shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

import httpx

from activities.vector_databases.base import (
    FoundDocument,
    StoredVector,
    VectorDatabaseError,
    json_or_error,
)

CLOUD_URL = "https://api.trychroma.com"
DEFAULT_TENANT = "default_tenant"
DEFAULT_DATABASE = "default_database"
_INCLUDE = ["documents", "metadatas", "distances"]
_DIMENSION_HINT = (
    "The collection expects embeddings with different dimensions. Enable 'Clear Collection' to "
    "recreate it, or use another collection name."
)


def chroma_headers(credential_type: str, data: Mapping[str, str]) -> dict[str, str]:
    """The auth headers of n8n's two Chroma credentials (self-hosted: none, API key or token)."""
    if credential_type == "chromaCloudApi":
        return {"x-chroma-token": str(data.get("apiKey") or "")}
    authentication = data.get("authentication") or "none"
    if authentication == "apiKey" and data.get("apiKey"):
        return {"Authorization": f"Bearer {data['apiKey']}"}
    if authentication == "token" and data.get("token"):
        return {"X-Chroma-Token": str(data["token"])}
    return {}


def _flat_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """LangChain's mapping: the splitter's `loc.lines` becomes `locFrom` / `locTo`."""
    flat = {k: v for k, v in metadata.items() if k != "loc"}
    loc = metadata.get("loc")
    lines = loc.get("lines") if isinstance(loc, dict) else None
    if isinstance(lines, dict):
        if lines.get("from") is not None:
            flat["locFrom"] = lines["from"]
        if lines.get("to") is not None:
            flat["locTo"] = lines["to"]
    return flat


def _restored_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    if not (metadata.get("locFrom") and metadata.get("locTo")):
        return metadata
    restored = {k: v for k, v in metadata.items() if k not in ("locFrom", "locTo")}
    restored["loc"] = {"lines": {"from": metadata["locFrom"], "to": metadata["locTo"]}}
    return restored


class ChromaCollection:
    """One Chroma collection (credential `chromaSelfHostedApi`: `baseUrl`, or `chromaCloudApi`)."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        url: str,
        headers: dict[str, str],
        collection: str,
        *,
        tenant: str | None = None,
        database: str | None = None,
    ) -> None:
        self._http = http
        self._base = url.rstrip("/")
        self._headers = headers
        self._collection = collection
        self._tenant = tenant
        self._database = database
        self._id: str | None = None

    async def _scope(self) -> str:
        """The path of the tenant's database, resolved once (as the chromadb client does)."""
        if not (self._tenant and self._database):
            response = await self._http.get(f"{self._base}/api/v2/auth/identity", headers=self._headers)
            identity = json_or_error(response, "Chroma: who am I")
            databases = identity.get("databases") or []
            self._tenant = self._tenant or identity.get("tenant") or DEFAULT_TENANT
            self._database = self._database or (databases[0] if len(databases) == 1 else DEFAULT_DATABASE)
        return f"{self._base}/api/v2/tenants/{quote(self._tenant)}/databases/{quote(self._database)}"

    async def _collection_url(self) -> str:
        scope = await self._scope()
        if self._id is None:
            response = await self._http.post(
                f"{scope}/collections",
                json={"name": self._collection, "get_or_create": True},
                headers=self._headers,
            )
            created = json_or_error(response, f"Chroma: get or create collection {self._collection!r}")
            self._id = str(created["id"])
        return f"{scope}/collections/{self._id}"

    async def _delete_collection(self) -> None:
        """Clear Collection: n8n deletes it and goes on when it does not exist yet."""
        scope = await self._scope()
        await self._http.delete(f"{scope}/collections/{quote(self._collection)}", headers=self._headers)
        self._id = None

    async def insert(self, vectors: Sequence[StoredVector], *, clear: bool, own_ids: bool = False) -> None:
        """Upsert the records (ids make a repeated insert overwrite); `clear` recreates the collection."""
        if clear:
            await self._delete_collection()
        if not vectors:
            return
        url = await self._collection_url()
        body = {
            "ids": [v.id for v in vectors],
            "embeddings": [v.embedding for v in vectors],
            "metadatas": [_flat_metadata(v.metadata) for v in vectors],
            "documents": [v.page_content for v in vectors],
        }
        response = await self._http.post(f"{url}/upsert", json=body, headers=self._headers)
        try:
            json_or_error(response, f"Chroma: insert into {self._collection!r}")
        except VectorDatabaseError as exc:
            if "dimension" in str(exc):
                message = f"ChromaDB embedding dimension mismatch: {exc}. {_DIMENSION_HINT}"
                raise VectorDatabaseError(message) from None
            raise

    async def search(
        self, vector: Sequence[float], top_k: int, metadata_filter: dict[str, Any] | None
    ) -> list[FoundDocument]:
        """The closest records as documents, closest first, scored by distance."""
        url = await self._collection_url()
        body: dict[str, Any] = {"query_embeddings": [list(vector)], "n_results": top_k, "include": _INCLUDE}
        if metadata_filter:
            body["where"] = metadata_filter
        response = await self._http.post(f"{url}/query", json=body, headers=self._headers)
        found = json_or_error(response, f"Chroma: search {self._collection!r}")
        ids = (found.get("ids") or [[]])[0]
        distances = (found.get("distances") or [[]])[0]
        documents = (found.get("documents") or [[]])[0] or [None] * len(ids)
        metadatas = (found.get("metadatas") or [[]])[0] or [None] * len(ids)
        if any(d is None for d in distances):
            return []  # LangChain returns nothing when Chroma could not score
        return [
            FoundDocument(
                page_content=str(documents[i] or ""),
                metadata=_restored_metadata(metadatas[i] or {}),
                score=float(distances[i]),
            )
            for i in range(len(ids))
        ]


def chroma_collection(
    http: httpx.AsyncClient, credential_type: str, data: Mapping[str, str], collection: str
) -> ChromaCollection:
    """The collection on the server of the node's credential: Chroma Cloud (its tenant and
    database when given) or a self-hosted `baseUrl`."""
    if credential_type == "chromaCloudApi":
        headers = chroma_headers(credential_type, data)
        tenant, database = data.get("tenant") or None, data.get("database") or None
        return ChromaCollection(http, CLOUD_URL, headers, collection, tenant=tenant, database=database)
    url = data.get("baseUrl")
    if not url:
        raise VectorDatabaseError(f"the {credential_type} credential has no 'baseUrl'")
    return ChromaCollection(http, str(url), chroma_headers(credential_type, data), collection)


__all__ = ["CLOUD_URL", "ChromaCollection", "chroma_collection", "chroma_headers"]
