"""Postgres Chat Memory and Redis Chat Memory against the real local servers.

The stored rows / list entries are read back with plain clients and compared with LangChain's
formats (what n8n itself writes), and a conversation n8n wrote is read by Hive's agent.
"""

from __future__ import annotations

import json
import uuid

import asyncpg
import pytest
import redis.asyncio as aioredis

from hive_core.config.models import CredentialConfig
from n8n_runtime.ai.memory import StoredMessage
from n8n_runtime.ai.memory_stores import postgres_append, redis_append
from tests.ai.builders import ai_workflow, base, lc, output
from tests.ai.conftest import AiCluster
from workflows.n8n_models import ExecutionStatus

PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres", "database": "test", "password": ""}
REDIS = {"host": "127.0.0.1", "port": "6379", "database": "0"}
# A port nothing listens on: the "server down" case.
PG_DOWN = {**PG, "port": "1"}


@pytest.fixture
def cluster_credentials() -> dict[str, CredentialConfig]:
    return {
        "Local Postgres": CredentialConfig(type="postgres", data=PG),
        "Local Redis": CredentialConfig(type="redis", data=REDIS),
        "Down Postgres": CredentialConfig(type="postgres", data=PG_DOWN),
        "Wrong type": CredentialConfig(type="httpBasicAuth", data={}),
    }


def _workflow(model: str, memory: dict) -> dict:
    return ai_workflow(
        "memory-servers",
        [base("Start", "manualTrigger", 1), lc("Agent", "agent", 2.2, 200)],
        [
            (lc("Model", "lmChatOllama", 1, 200, model=model), "ai_languageModel", "Agent"),
            (memory, "ai_memory", "Agent"),
        ],
        workflow_id="wf-memory-servers",
    )


def _postgres_memory(table: str, credential: str = "Local Postgres", window: int = 2) -> dict:
    memory = lc("Memory", "memoryPostgresChat", 1.3, 300, tableName=table, contextWindowLength=window)
    memory["credentials"] = {"postgres": {"id": "pg1", "name": credential}}
    return memory


def _redis_memory(ttl: int = 0, window: int = 2, credential: str = "Local Redis") -> dict:
    memory = lc("Memory", "memoryRedisChat", 1.5, 300, sessionTTL=ttl, contextWindowLength=window)
    memory["credentials"] = {"redis": {"id": "r1", "name": credential}}
    return memory


def _history(body: dict) -> list[tuple[str, str]]:
    return [(m["role"], m["content"]) for m in body["messages"] if m["role"] != "system"]


async def _say(ai_cluster: AiCluster, workflow: dict, text: str, session: str) -> None:
    snapshot = await ai_cluster.run(
        workflow, trigger_items=[{"json": {"chatInput": text, "sessionId": session}}]
    )
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Agent") == [{"output": f"re:{text}"}]


def _lc(kind: str, content: str) -> dict:
    return {"type": kind, "data": {"content": content, "additional_kwargs": {}, "response_metadata": {}}}


async def test_postgres_memory_remembers_and_stores_langchain_rows(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply=lambda prompt: f"re:{prompt}")
    table = f"hive_test_chat_{uuid.uuid4().hex[:8]}"
    session = f"s-{uuid.uuid4().hex[:6]}"
    workflow = _workflow(ai_cluster.model, _postgres_memory(table, window=1))
    conn = await asyncpg.connect(host="127.0.0.1", user="postgres", database="test")
    try:
        await _say(ai_cluster, workflow, "one", session)
        assert _history(ai_cluster.fake.stats.bodies[-1]) == [("user", "one")]
        await _say(ai_cluster, workflow, "two", session)
        assert _history(ai_cluster.fake.stats.bodies[-1]) == [
            ("user", "one"),
            ("assistant", "re:one"),
            ("user", "two"),
        ]
        await _say(ai_cluster, workflow, "three", session)  # window 1: the last exchange only
        assert _history(ai_cluster.fake.stats.bodies[-1])[0] == ("user", "two")
        rows = await conn.fetch(f"SELECT session_id, message FROM {table} ORDER BY id")
        assert [r["session_id"] for r in rows] == [session] * 6
        assert [json.loads(r["message"]) for r in rows][:2] == [_lc("human", "one"), _lc("ai", "re:one")]
    finally:
        await conn.execute(f"DROP TABLE IF EXISTS {table}")
        await conn.close()


async def test_postgres_memory_reads_what_n8n_wrote(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply=lambda prompt: f"re:{prompt}")
    table = f"hive_test_chat_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(host="127.0.0.1", user="postgres", database="test")
    try:
        # The table and rows exactly as LangChain's PostgresChatMessageHistory creates them in n8n.
        await conn.execute(
            f"CREATE TABLE {table} "
            "(id SERIAL PRIMARY KEY, session_id VARCHAR(255) NOT NULL, message JSONB NOT NULL)"
        )
        for message in (_lc("human", "my name is Ada"), _lc("ai", "Hello Ada")):
            await conn.execute(
                f"INSERT INTO {table} (session_id, message) VALUES ($1, $2)", "n8n", json.dumps(message)
            )
        await _say(ai_cluster, _workflow(ai_cluster.model, _postgres_memory(table)), "who am I?", "n8n")
        assert _history(ai_cluster.fake.stats.bodies[-1]) == [
            ("user", "my name is Ada"),
            ("assistant", "Hello Ada"),
            ("user", "who am I?"),
        ]
    finally:
        await conn.execute(f"DROP TABLE IF EXISTS {table}")
        await conn.close()


async def test_postgres_append_is_idempotent() -> None:
    table = f"hive_test_chat_{uuid.uuid4().hex[:8]}"
    write = f"w-{uuid.uuid4().hex}"
    messages = [StoredMessage(role="human", content="hi"), StoredMessage(role="ai", content="yo")]
    assert await postgres_append(PG, table, "s", messages, write) is True
    assert await postgres_append(PG, table, "s", messages, write) is False  # a retried activity
    conn = await asyncpg.connect(host="127.0.0.1", user="postgres", database="test")
    try:
        assert await conn.fetchval(f"SELECT count(*) FROM {table}") == 2
    finally:
        await conn.execute(f"DROP TABLE IF EXISTS {table}")
        await conn.close()


async def test_redis_memory_keeps_langchain_list_and_ttl(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply=lambda prompt: f"re:{prompt}")
    session = f"hive-test-{uuid.uuid4().hex[:8]}"
    workflow = _workflow(ai_cluster.model, _redis_memory(ttl=600, window=5))
    client = aioredis.Redis(host="127.0.0.1", port=6379, decode_responses=True)
    try:
        await _say(ai_cluster, workflow, "one", session)
        await _say(ai_cluster, workflow, "two", session)
        assert _history(ai_cluster.fake.stats.bodies[-1]) == [
            ("user", "one"),
            ("assistant", "re:one"),
            ("user", "two"),
        ]
        # LangChain's RedisChatMessageHistory: LPUSH, so the newest message comes first.
        stored = [json.loads(v) for v in await client.lrange(session, 0, -1)]
        assert stored == [_lc("ai", "re:two"), _lc("human", "two"), _lc("ai", "re:one"), _lc("human", "one")]
        assert 0 < await client.ttl(session) <= 600
    finally:
        await client.delete(session)
        await client.aclose()


async def test_redis_append_is_idempotent() -> None:
    session = f"hive-test-{uuid.uuid4().hex[:8]}"
    write = f"w-{uuid.uuid4().hex}"
    messages = [StoredMessage(role="human", content="hi")]
    client = aioredis.Redis(host="127.0.0.1", port=6379)
    try:
        assert await redis_append(REDIS, session, messages, write, 0) is True
        assert await redis_append(REDIS, session, messages, write, 0) is False
        assert await client.llen(session) == 1
        assert await client.ttl(session) == -1  # no TTL set: kept forever, as n8n's 0
    finally:
        await client.delete(session, f"hive:chat-memory-write:{write}")
        await client.aclose()


async def test_server_down_retries_then_fails_the_node(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="x")
    workflow = _workflow(ai_cluster.model, _postgres_memory("n8n_chat_histories", credential="Down Postgres"))
    snapshot = await ai_cluster.run(workflow, trigger_items=[{"json": {"chatInput": "hi", "sessionId": "s"}}])
    assert snapshot.status is ExecutionStatus.ERROR
    assert snapshot.error is not None
    history = await ai_cluster.client.get_workflow_handle(ai_cluster.last_run_id).fetch_history()
    attempts = [
        e.activity_task_started_event_attributes.attempt
        for e in history.events
        if e.HasField("activity_task_started_event_attributes")
    ]
    assert attempts and max(attempts) == 4  # EXTERNAL_MEMORY_RETRY's attempts, then the node error


async def test_wrong_credential_type_is_a_clear_node_error(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="x")
    workflow = _workflow(ai_cluster.model, _redis_memory(credential="Wrong type"))
    snapshot = await ai_cluster.run(workflow, trigger_items=[{"json": {"chatInput": "hi", "sessionId": "s"}}])
    assert snapshot.status is ExecutionStatus.ERROR
    assert "'Memory'" in snapshot.error["message"] and "redis" in snapshot.error["message"]


async def test_manual_chat_trigger_feeds_the_agent(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply=lambda prompt: f"re:{prompt}")
    workflow = ai_workflow(
        "manual chat",
        [lc("Chat", "manualChatTrigger", 1.1, 0), lc("Agent", "agent", 2.2, 200)],
        [
            (lc("Model", "lmChatOllama", 1, 200, model=ai_cluster.model), "ai_languageModel", "Agent"),
            (_redis_memory(), "ai_memory", "Agent"),
        ],
    )
    session = f"hive-test-{uuid.uuid4().hex[:8]}"
    try:
        await _say(ai_cluster, workflow, "hello", session)
    finally:
        client = aioredis.Redis(host="127.0.0.1", port=6379)
        await client.delete(session)
        await client.aclose()
