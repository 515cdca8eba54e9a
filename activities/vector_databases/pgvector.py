"""PGVector (PostgreSQL + pgvector), with the SQL of LangChain JS's `PGVectorStore` (n8n's node).

    CREATE EXTENSION IF NOT EXISTS vector;  CREATE TABLE IF NOT EXISTS <table> ("id" uuid …
      DEFAULT gen_random_uuid() PRIMARY KEY, "text" text, "metadata" jsonb, "embedding" vector)
    INSERT INTO <table>("text", "embedding", "metadata"[, "collection_id"][, "id"]) VALUES …
      in chunks of 500, the embedding as the text '[x,y,…]'
    SELECT *, "embedding" <=> $1 as "_distance" FROM <table> [WHERE …] ORDER BY "_distance" ASC
      LIMIT $2   (<=> cosine, <#> inner product, <-> euclidean); the score is that distance

Column names, the distance strategy and the optional collection table (`useCollection`) are the
node's options. The database makes the row ids, so a retried insert after a lost answer can
store rows twice (as with Supabase).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import asyncpg

from activities.vector_databases.base import (
    FoundDocument,
    StoredVector,
    VectorDatabaseError,
    VectorDatabaseUnavailable,
)
from n8n_runtime.ai.memory_stores import connect_postgres

CHUNK_SIZE = 500
_OPERATORS = {"cosine": "<=>", "innerProduct": "<#>", "euclidean": "<->"}


def _text(value: Any) -> str:
    # node-postgres sends a JavaScript value as String(value).
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class PgVectorTable:
    """One table (credential `postgres`), with LangChain's columns and optional collection."""

    def __init__(self, credential: Mapping[str, Any], table: str, options: Mapping[str, Any]) -> None:
        self._credential = credential
        self._table = table
        columns = options.get("columns") or {}
        self._id = str(columns.get("idColumnName") or "id")
        self._vector = str(columns.get("vectorColumnName") or "embedding")
        self._content = str(columns.get("contentColumnName") or "text")
        self._metadata = str(columns.get("metadataColumnName") or "metadata")
        strategy = str(options.get("distanceStrategy") or "cosine")
        if strategy not in _OPERATORS:
            raise VectorDatabaseError(f"Unknown distance strategy: {strategy}")
        self._operator = _OPERATORS[strategy]
        self._collection_table: str | None = options.get("collectionTableName") or None
        self._collection = str(options.get("collectionName") or "n8n")

    async def _connect(self) -> asyncpg.Connection:
        try:
            conn = await connect_postgres(self._credential)
        except (OSError, asyncpg.CannotConnectNowError, TimeoutError) as exc:
            raise VectorDatabaseUnavailable(f"PGVector: cannot reach the database: {exc}") from exc
        except asyncpg.PostgresError as exc:
            raise VectorDatabaseError(f"PGVector: {exc}") from exc
        try:
            await self._initialize(conn)
        except asyncpg.PostgresError as exc:
            await conn.close()
            raise VectorDatabaseError(f"PGVector: {exc}") from exc
        return conn

    async def _initialize(self, conn: asyncpg.Connection) -> None:
        """PGVectorStore.initialize: extension, table, and the collection table when used."""
        await conn.execute("CREATE EXTENSION IF NOT EXISTS vector;")
        # pgvector's text form ('[1,2,3]') both ways: what node-postgres sends and reads.
        await conn.set_type_codec("vector", encoder=str, decoder=str, format="text")
        await conn.execute(
            f"""
      CREATE TABLE IF NOT EXISTS {self._table} (
        "{self._id}" uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        "{self._content}" text,
        "{self._metadata}" jsonb,
        "{self._vector}" vector
      );
    """
        )
        if self._collection_table is None:
            return
        try:
            await conn.execute(
                f"""
        CREATE TABLE IF NOT EXISTS {self._collection_table} (
          uuid uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
          name character varying,
          cmetadata jsonb
        );

        CREATE INDEX IF NOT EXISTS idx_{self._collection_table}_name ON {self._collection_table}(name);

        ALTER TABLE {self._table}
          ADD COLUMN collection_id uuid;

        ALTER TABLE {self._table}
          ADD CONSTRAINT {self._table}_collection_id_fkey
          FOREIGN KEY (collection_id)
          REFERENCES {self._collection_table}(uuid)
          ON DELETE CASCADE;
      """
            )
        except asyncpg.PostgresError as exc:
            if "already exists" not in str(exc):  # LangChain ignores only that
                raise

    async def _collection_id(self, conn: asyncpg.Connection) -> str | None:
        if self._collection_table is None:
            return None
        found = await conn.fetchval(
            f"""
      SELECT uuid from {self._collection_table}
      WHERE name = $1;
    """,
            self._collection,
        )
        if found is None:
            found = await conn.fetchval(
                f"""
        INSERT INTO {self._collection_table}(
          uuid,
          name,
          cmetadata
        )
        VALUES (
          gen_random_uuid(),
          $1,
          $2
        )
        RETURNING uuid;
      """,
                self._collection,
                None,
            )
        return str(found)

    async def insert(self, vectors: Sequence[StoredVector], *, clear: bool, own_ids: bool = False) -> None:
        """addVectors: rows in chunks of 500 (the row ids are the database's unless `own_ids`).

        PGVector has no Clear option in n8n; `clear` is ignored.
        """
        conn = await self._connect()
        try:
            collection = await self._collection_id(conn)
            columns = [self._content, self._vector, self._metadata]
            if collection:
                columns.append("collection_id")
            if own_ids:
                columns.append(self._id)
            rows = []
            for v in vectors:
                row: list[Any] = [
                    v.page_content.replace("\0", ""),
                    f"[{','.join(repr(float(x)) for x in v.embedding)}]",
                    json.dumps(v.metadata),
                ]
                row += [collection] if collection else []
                row += [v.id] if own_ids else []
                rows.append(row)
            width = len(columns)
            for start in range(0, len(rows), CHUNK_SIZE):
                chunk = rows[start : start + CHUNK_SIZE]
                placeholders = ", ".join(
                    "(" + ", ".join(f"${j * width + i + 1}" for i in range(width)) + ")"
                    for j in range(len(chunk))
                )
                quoted = ", ".join(f'"{c}"' for c in columns)
                sql = f"""
      INSERT INTO {self._table}(
        {quoted}
      )
      VALUES {placeholders}
    """
                await conn.execute(sql, *[value for row in chunk for value in row])
        except asyncpg.PostgresError as exc:
            raise VectorDatabaseError(f"PGVector: Error inserting: {exc}") from exc
        finally:
            await conn.close()

    async def search(
        self, vector: Sequence[float], top_k: int, metadata_filter: dict[str, Any] | None
    ) -> list[FoundDocument]:
        """searchPostgres: the `top_k` rows nearest `vector`, with LangChain's equality filters."""
        conn = await self._connect()
        try:
            collection = await self._collection_id(conn)
            parameters: list[Any] = [f"[{','.join(repr(float(x)) for x in vector)}]", top_k]
            clauses: list[str] = []
            if collection:
                parameters.append(collection)
                clauses.append("collection_id = $3")
            for key, value in (metadata_filter or {}).items():
                parameters.append(_text(value))
                clauses.append(f"{self._metadata}->>'{key}' = ${len(parameters)}")
            where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
            rows = await conn.fetch(
                f"""
      SELECT *, "{self._vector}" {self._operator} $1 as "_distance"
      FROM {self._table}
      {where}
      ORDER BY "_distance" ASC
      LIMIT $2;
      """,
                *parameters,
            )
        except asyncpg.PostgresError as exc:
            raise VectorDatabaseError(f"PGVector: {exc}") from exc
        finally:
            await conn.close()
        found = []
        for row in rows:
            if row["_distance"] is None or row[self._content] is None:
                continue
            metadata = row[self._metadata]
            found.append(
                FoundDocument(
                    page_content=str(row[self._content]),
                    metadata=json.loads(metadata) if isinstance(metadata, str) else (metadata or {}),
                    score=float(row["_distance"]),
                )
            )
        return found


__all__ = ["PgVectorTable"]
