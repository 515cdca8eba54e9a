"""Supabase (PostgREST + pgvector), as LangChain's `SupabaseVectorStore` (n8n's node) uses it.

Rows `{content, embedding, metadata}` go into the table in batches of 500; a search calls the
table's match function (`match_documents` unless the node names another) with
`query_embedding`, `match_count` and the metadata filter, and reads `similarity`.
Supabase generates the row ids, so a retried insert after a lost answer can store rows twice; an
update (n8n's "update" mode) sends the row's `id`, so the upsert replaces it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from activities.vector_databases.base import FoundDocument, StoredVector, json_or_error

UPSERT_BATCH = 500


class SupabaseTable:
    """One table (credential `supabaseApi`: `host`, `serviceRole`)."""

    def __init__(
        self, http: httpx.AsyncClient, host: str, service_role: str, table: str, query_name: str
    ) -> None:
        self._http = http
        self._base = host.rstrip("/")
        if "://" not in self._base:
            self._base = f"https://{self._base}"
        self._headers = {"apikey": service_role, "Authorization": f"Bearer {service_role}"}
        self._table = table
        self._query = query_name

    async def insert(self, vectors: Sequence[StoredVector], *, clear: bool, own_ids: bool = False) -> None:
        """Upsert the rows (Supabase has no Clear option); with `own_ids` each row carries its `id`."""
        for start in range(0, len(vectors), UPSERT_BATCH):
            rows = [
                {
                    "content": v.page_content,
                    "embedding": v.embedding,
                    "metadata": v.metadata,
                    **({"id": v.id} if own_ids else {}),
                }
                for v in vectors[start : start + UPSERT_BATCH]
            ]
            response = await self._http.post(
                f"{self._base}/rest/v1/{self._table}",
                params={"select": "*"},
                json=rows,
                headers={**self._headers, "Prefer": "resolution=merge-duplicates,return=representation"},
            )
            json_or_error(response, f"Supabase: insert into {self._table!r}")

    async def search(
        self, vector: Sequence[float], top_k: int, metadata_filter: dict[str, Any] | None
    ) -> list[FoundDocument]:
        """The rows the match function ranks first."""
        # supabase-js always sends a filter, `{}` for none.
        body = {"query_embedding": list(vector), "match_count": top_k, "filter": metadata_filter or {}}
        response = await self._http.post(
            f"{self._base}/rest/v1/rpc/{self._query}", json=body, headers=self._headers
        )
        rows = json_or_error(response, f"Supabase: {self._query}() on {self._table!r}")
        return [
            FoundDocument(
                page_content=str(row.get("content", "")),
                metadata=row.get("metadata") or {},
                score=float(row.get("similarity", 0.0)),
            )
            for row in (rows if isinstance(rows, list) else [])
        ]


__all__ = ["SupabaseTable"]
