"""What a vector store's pure step hands to the workflow (under `AI_KEY`).

The pure step evaluates the store's, the embeddings' and the document loader's parameters
per item and loads (and splits) the documents; the workflow embeds them through
`ai_dispatch.embed` and reads or writes the store through activities
(`workflows/ai_vector_store.py`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

VECTOR_STORE_KIND = "vector_store"
DEFAULT_MEMORY_KEY = "vector_store_key"


class EmbeddingSpec(BaseModel):
    """An Embeddings Ollama sub-node, evaluated: the model and where its calls may go."""

    node: str
    model: str
    agent: str | None = None
    capability: str | None = None


class LoadedDocument(BaseModel):
    """A document (chunk) to embed and store: n8n's `{pageContent, metadata}`."""

    page_content: str
    metadata: dict[str, Any] = Field(default_factory=dict)


StoreKind = Literal["memory", "qdrant", "pinecone", "supabase", "pgvector", "chroma"]


class CredentialPointer(BaseModel):
    """A node's reference to a stored credential; the activity resolves the secret itself."""

    type: str
    id: str | None = None
    name: str | None = None


class StoreTarget(BaseModel):
    """Which store a call reads or writes: Hive's own (Simple Vector Store) or a vector database.

    `collection` is the Qdrant or Chroma collection, the Pinecone index or the Supabase table.
    """

    kind: StoreKind = "memory"
    collection: str = ""
    credential: CredentialPointer | None = None
    # Pinecone: the namespace, and whether an insert first empties it (Chroma: the collection).
    namespace: str | None = None
    clear_namespace: bool = False
    # Supabase: the SQL function that ranks the table's rows.
    query_name: str = "match_documents"
    # A metadata filter for searches, in the store's own filter language.
    filter: dict[str, Any] | None = None
    # Qdrant: how a missing collection is created (default: the vectors' size, cosine).
    collection_config: dict[str, Any] | None = None
    # PGVector: `distanceStrategy`, `columns` (LangChain's column names) and, with a collection,
    # `collectionName` / `collectionTableName`.
    pg_options: dict[str, Any] | None = None


class VectorStoreCall(BaseModel):
    """One input item's part of the store's work."""

    item_index: int
    # An item whose parameters did not evaluate fails alone (continueOnFail) or fails the node.
    error: str | None = None
    embedding: EmbeddingSpec | None = None
    memory_key: str = DEFAULT_MEMORY_KEY
    target: StoreTarget = Field(default_factory=StoreTarget)
    # insert, update
    documents: list[LoadedDocument] = Field(default_factory=list)
    # update: the id of the row the item's one document replaces
    document_id: str | None = None
    clear_store: bool = False
    # load
    prompt: str = ""
    top_k: int = 4
    include_metadata: bool = True


class VectorStoreInstruction(BaseModel):
    """The store's work in one run: insert or update documents, or load the closest ones, per item."""

    kind: Literal["vector_store"] = "vector_store"
    mode: Literal["insert", "load", "update"]
    type_version: float
    # typeVersion >= 1.1 embeds and stores in batches across items (n8n's embeddingBatchSize).
    batch_size: int = 200
    items: list[VectorStoreCall]


__all__ = [
    "DEFAULT_MEMORY_KEY",
    "VECTOR_STORE_KIND",
    "EmbeddingSpec",
    "CredentialPointer",
    "LoadedDocument",
    "StoreKind",
    "StoreTarget",
    "VectorStoreCall",
    "VectorStoreInstruction",
]
