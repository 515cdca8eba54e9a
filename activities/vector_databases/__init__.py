"""Clients of the vector databases n8n's vector store nodes write to (Qdrant, Pinecone, Supabase,
PGVector, Chroma).

`open_database(target, credential, http)` picks the client for a `StoreTarget` and its
resolved credential data; the activities in `activities/ai_vector_store.py` call it.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from activities.vector_databases.base import (
    FoundDocument,
    StoredVector,
    VectorDatabase,
    VectorDatabaseError,
    VectorDatabaseUnavailable,
)
from activities.vector_databases.chroma import chroma_collection
from activities.vector_databases.pgvector import PgVectorTable
from activities.vector_databases.pinecone import CONTROL_PLANE, PineconeIndex
from activities.vector_databases.qdrant import QdrantCollection
from activities.vector_databases.supabase import SupabaseTable
from n8n_runtime.ai.vector_instruction import StoreTarget


def _field(data: Mapping[str, str], name: str, credential_type: str) -> str:
    value = data.get(name)
    if not value:
        raise VectorDatabaseError(f"the {credential_type} credential has no '{name}'")
    return str(value)


def open_database(target: StoreTarget, data: Mapping[str, str], http: httpx.AsyncClient) -> VectorDatabase:
    """The client of `target`'s collection, authenticated with the credential's `data`."""
    if target.kind == "qdrant":
        return QdrantCollection(
            http,
            _field(data, "qdrantUrl", "qdrantApi"),
            str(data.get("apiKey") or ""),
            target.collection,
            target.collection_config,
        )
    if target.kind == "pinecone":
        return PineconeIndex(
            http,
            _field(data, "apiKey", "pineconeApi"),
            target.collection,
            target.namespace,
            str(data.get("apiUrl") or CONTROL_PLANE),
        )
    if target.kind == "supabase":
        return SupabaseTable(
            http,
            _field(data, "host", "supabaseApi"),
            _field(data, "serviceRole", "supabaseApi"),
            target.collection,
            target.query_name,
        )
    if target.kind == "pgvector":
        return PgVectorTable(data, target.collection, target.pg_options or {})
    if target.kind == "chroma":
        credential_type = target.credential.type if target.credential else "chromaSelfHostedApi"
        return chroma_collection(http, credential_type, data, target.collection)
    raise VectorDatabaseError(f"no vector database client for {target.kind!r}")


__all__ = [
    "FoundDocument",
    "StoredVector",
    "VectorDatabase",
    "VectorDatabaseError",
    "VectorDatabaseUnavailable",
    "open_database",
]
