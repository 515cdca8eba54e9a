"""Postgres Chat Memory and Redis Chat Memory: conversations on the user's own servers.

Both keep LangChain's storage formats, so a conversation n8n wrote is read by Hive and the
other way round. A message is LangChain's *stored message*
``{"type": "human"|"ai"|"system", "data": {"content", "additional_kwargs", "response_metadata"}}``:

- Postgres (LangChain's PostgresChatMessageHistory): table ``n8n_chat_histories`` by default,
  ``(id SERIAL PRIMARY KEY, session_id VARCHAR(255) NOT NULL, message JSONB NOT NULL)``, one
  row per message, read in ``id`` order.
- Redis (LangChain's RedisChatMessageHistory): the list at key ``<sessionId>``, newest first
  (``LPUSH``), ``EXPIRE`` after each write when the node sets a time to live.

Appends are idempotent, like Hive's own chat memory: a write carries an id (run, node, item),
and a retried activity whose first attempt already wrote adds nothing. Postgres records the
id in ``hive_chat_memory_writes`` in the same transaction; Redis sets a marker key
``hive:chat-memory-write:<id>`` in the same Lua script (both live beside n8n's data).
"""

from __future__ import annotations

import json
import re
import ssl
from collections.abc import Mapping, Sequence
from typing import Any

import asyncpg

# redis imports this on its first command; imported up front, it is loaded before any workflow
# sandbox starts (a module first imported while a workflow runs makes Temporal warn).
import opentelemetry.metrics  # noqa: F401
import redis.asyncio as aioredis

from n8n_runtime.ai.memory import StoredMessage

DEFAULT_TABLE = "n8n_chat_histories"
WRITES_TABLE = "hive_chat_memory_writes"
REDIS_MARKER_PREFIX = "hive:chat-memory-write:"
# How long Redis remembers that a write happened (a retry comes within minutes).
REDIS_MARKER_TTL_S = 7 * 24 * 3600
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_APPEND_SCRIPT = """
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) then
  for i = 3, #ARGV do redis.call('LPUSH', KEYS[1], ARGV[i]) end
  if tonumber(ARGV[1]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
  return 1
end
return 0
"""


class MemoryStoreError(Exception):
    """The memory's server refused the request (bad table name, wrong password, ...)."""


def stored(message: StoredMessage) -> dict[str, Any]:
    """LangChain's stored-message JSON of one message."""
    return {
        "type": message.role,
        "data": {"content": message.content, "additional_kwargs": {}, "response_metadata": {}},
    }


def from_stored(raw: Any) -> StoredMessage | None:
    """A stored message back (None for what is not one, e.g. a foreign row)."""
    value = json.loads(raw) if isinstance(raw, str | bytes) else raw
    if not isinstance(value, dict) or not isinstance(value.get("data"), dict):
        return None
    content = value["data"].get("content", "")
    return StoredMessage(
        role=str(value.get("type", "human")),
        content=content if isinstance(content, str) else json.dumps(content),
    )


def table_sql(name: str | None) -> str:
    """The table as SQL. LangChain writes the name unquoted, so a plain name folds to lower
    case as Postgres folds it; anything else is quoted (``schema.table`` keeps its dot)."""
    parts = (name or DEFAULT_TABLE).split(".")
    return ".".join(
        part.lower() if _IDENTIFIER.fullmatch(part) else '"' + part.replace('"', '""') + '"' for part in parts
    )


def _ssl(data: Mapping[str, Any]) -> Any:
    mode = str(data.get("ssl") or "disable")
    if mode in ("disable", "false", "False"):
        return False
    context = ssl.create_default_context()
    if data.get("allowUnauthorizedCerts"):
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


async def _pg_connect(data: Mapping[str, Any]) -> asyncpg.Connection:
    """A connection with n8n's `postgres` credential (host, port, user, password, database, ssl)."""
    return await asyncpg.connect(
        host=str(data.get("host") or "localhost"),
        port=int(data.get("port") or 5432),
        user=str(data.get("user") or "postgres"),
        password=str(data["password"]) if data.get("password") else None,
        database=str(data.get("database") or "postgres"),
        ssl=_ssl(data),
        timeout=10,
    )


async def _ensure_tables(conn: asyncpg.Connection, table: str) -> None:
    await conn.execute(
        f"CREATE TABLE IF NOT EXISTS {table} ("
        "id SERIAL PRIMARY KEY, session_id VARCHAR(255) NOT NULL, message JSONB NOT NULL)"
    )
    await conn.execute(
        f"CREATE TABLE IF NOT EXISTS {WRITES_TABLE} ("
        "write_id TEXT PRIMARY KEY, written_at TIMESTAMPTZ NOT NULL DEFAULT now())"
    )


async def postgres_load(
    data: Mapping[str, Any], table: str | None, session_id: str, limit: int | None
) -> list[StoredMessage]:
    """The conversation's last ``limit`` messages (all when None), oldest first."""
    name = table_sql(table)
    conn = await _pg_connect(data)
    try:
        await _ensure_tables(conn, name)
        if limit is None:
            query = f"SELECT message FROM {name} WHERE session_id = $1 ORDER BY id"
            rows = await conn.fetch(query, session_id)
        else:
            rows = await conn.fetch(
                f"SELECT message FROM (SELECT id, message FROM {name} WHERE session_id = $1 "
                "ORDER BY id DESC LIMIT $2) AS recent ORDER BY id",
                session_id,
                limit,
            )
    except asyncpg.PostgresError as exc:
        raise MemoryStoreError(f"Postgres: {exc}") from exc
    finally:
        await conn.close()
    return [m for m in (from_stored(row["message"]) for row in rows) if m is not None]


async def postgres_append(
    data: Mapping[str, Any],
    table: str | None,
    session_id: str,
    messages: Sequence[StoredMessage],
    write_id: str,
) -> bool:
    """Append ``messages``; False when ``write_id`` was already written (nothing added)."""
    name = table_sql(table)
    conn = await _pg_connect(data)
    try:
        await _ensure_tables(conn, name)
        async with conn.transaction():
            fresh = await conn.fetchval(
                f"INSERT INTO {WRITES_TABLE} (write_id) VALUES ($1) "
                "ON CONFLICT DO NOTHING RETURNING write_id",
                write_id,
            )
            if fresh is None:
                return False
            await conn.executemany(
                f"INSERT INTO {name} (session_id, message) VALUES ($1, $2::jsonb)",
                [(session_id, json.dumps(stored(m))) for m in messages],
            )
    except asyncpg.PostgresError as exc:
        raise MemoryStoreError(f"Postgres: {exc}") from exc
    finally:
        await conn.close()
    return True


def _redis(data: Mapping[str, Any]) -> aioredis.Redis:
    return aioredis.Redis(
        host=str(data.get("host") or "localhost"),
        port=int(data.get("port") or 6379),
        db=int(data.get("database") or 0),
        username=str(data["user"]) if data.get("user") else None,
        password=str(data["password"]) if data.get("password") else None,
        ssl=bool(data.get("ssl")),
        socket_timeout=10,
        socket_connect_timeout=10,
    )


async def redis_load(data: Mapping[str, Any], session_id: str, limit: int | None) -> list[StoredMessage]:
    """The conversation's last ``limit`` messages (all when None), oldest first."""
    client = _redis(data)
    try:
        raw = await client.lrange(session_id, 0, -1 if limit is None else max(0, limit - 1))
    except aioredis.ResponseError as exc:
        raise MemoryStoreError(f"Redis: {exc}") from exc
    finally:
        await client.aclose()
    if limit == 0:
        return []
    return [m for m in (from_stored(item) for item in reversed(raw)) if m is not None]


async def redis_append(
    data: Mapping[str, Any], session_id: str, messages: Sequence[StoredMessage], write_id: str, ttl_s: int
) -> bool:
    """Append ``messages`` (and refresh the time to live); False when already written."""
    client = _redis(data)
    try:
        written = await client.eval(
            _APPEND_SCRIPT,
            2,
            session_id,
            REDIS_MARKER_PREFIX + write_id,
            str(max(0, ttl_s)),
            str(REDIS_MARKER_TTL_S),
            *(json.dumps(stored(m)) for m in messages),
        )
    except aioredis.ResponseError as exc:
        raise MemoryStoreError(f"Redis: {exc}") from exc
    finally:
        await client.aclose()
    return bool(written)


# The PGVector store connects with the same credential (activities/vector_databases/pgvector.py).
connect_postgres = _pg_connect

__all__ = [
    "DEFAULT_TABLE",
    "MemoryStoreError",
    "connect_postgres",
    "from_stored",
    "postgres_append",
    "postgres_load",
    "redis_append",
    "redis_load",
    "stored",
    "table_sql",
]
