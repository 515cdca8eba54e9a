"""AI Agent type sqlAgent: LangChain's SQL tools on a real Postgres / MariaDB and a stored SQLite file.

The fake Ollama asks for every tool at once; the test reads what each tool answered the model
from the request the model got next.
"""

from __future__ import annotations

import base64
import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import aiomysql
import asyncpg
import pytest
from temporalio.exceptions import ApplicationError

from activities.sql_agent import SQL_DATABASE_ERROR, SqlAgentActivities, SqlToolInput
from hive_core.config.models import CredentialConfig
from n8n_runtime.http import ConfigCredentials
from tests.ai.builders import ai_workflow, base, code, lc, output
from tests.ai.conftest import AiCluster
from workflows.n8n_models import ExecutionStatus

PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres", "database": "test", "password": ""}
MYSQL = {"host": "127.0.0.1", "port": "3306", "user": "root", "database": "test", "password": ""}


@pytest.fixture
def cluster_credentials() -> dict[str, CredentialConfig]:
    return {
        "Local Postgres": CredentialConfig(type="postgres", data=PG),
        "Missing database": CredentialConfig(type="postgres", data={**PG, "database": "no_such_db_hive"}),
        "Local MariaDB": CredentialConfig(type="mySql", data=MYSQL),
    }


def _agent(version: float = 1.7, credential: str | None = None, **parameters: Any) -> dict[str, Any]:
    agent = lc("Agent", "agent", version, 200, agent="sqlAgent", **parameters)
    if credential is not None:
        kind = "mySql" if parameters.get("dataSource") == "mysql" else "postgres"
        agent["credentials"] = {kind: {"id": "c1", "name": credential}}
    return agent


def _workflow(
    model: str, agent: dict[str, Any], before: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    start = before or [code("Data", "return [{json: {chatInput: 'Which fruit is dearest?'}}];")]
    return ai_workflow(
        "sql agent",
        [base("Start", "manualTrigger", 1), *start, agent],
        [(lc("Model", "lmChatOpenAi", 1, 200, model="gpt-4o-mini"), "ai_languageModel", "Agent")],
    )


def _calls(*calls: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"function": {"name": name, "arguments": {"input": text}}} for name, text in calls]


def _tool_answers(cluster: AiCluster) -> list[str]:
    last = cluster.fake.stats.bodies[-1]
    return [m["content"] for m in last["messages"] if m.get("role") == "tool"]


def _system(cluster: AiCluster) -> str:
    return str(cluster.fake.stats.bodies[-1]["messages"][0]["content"])


@pytest.fixture
async def fruit_table() -> Any:
    name = f"fruit_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(host="127.0.0.1", user="postgres", database="test")
    await conn.execute(f"CREATE TABLE {name} (id integer NOT NULL, name text, price numeric)")
    await conn.execute(f"INSERT INTO {name} VALUES (1, 'apple', 1.50), (2, 'mango', 3.25)")
    try:
        yield name
    finally:
        await conn.execute(f"DROP TABLE {name}")
        await conn.close()


async def test_postgres_tools_answer_the_model_and_stay_read_only(
    ai_cluster: AiCluster, fruit_table: str
) -> None:
    calls = _calls(
        ("list-tables-sql", ""),
        ("info-sql", fruit_table),
        ("query-sql", f"SELECT name, price FROM {fruit_table} ORDER BY price DESC LIMIT 1"),
        ("info-sql", "no_such_table_hive"),
        ("query-sql", f"DELETE FROM {fruit_table}"),
        ("query-sql", "SELECT nope FROM no_such_table_hive"),
    )
    ai_cluster.configure(tool_calls=calls, tool_calls_once=True, reply="Mango.")
    agent = _agent(credential="Local Postgres", promptType="auto", options={"topK": 5})
    snapshot = await ai_cluster.run(_workflow(ai_cluster.model, agent), aliases=ai_cluster.aliases())
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Agent") == [{"output": "Mango."}]

    listed, info, rows, unknown, delete, bad = _tool_answers(ai_cluster)
    assert fruit_table in listed.split(", ")
    assert info == (
        f'CREATE TABLE "public"."{fruit_table}" (\nid integer NOT NULL, name text , price numeric ) \n'
        f'SELECT * FROM "public"."{fruit_table}" LIMIT 3;\n id name price\n 1 apple 1.50\n 2 mango 3.25\n'
    )
    assert json.loads(rows) == [{"name": "mango", "price": "3.25"}]
    # As LangChain's tools: errors go back to the model, which may rewrite its query.
    assert (
        unknown
        == "Error: Wrong target table name: the table no_such_table_hive was not found in the database"
    )
    assert delete.startswith("QueryFailedError: ") and "read-only transaction" in delete
    assert bad.startswith("QueryFailedError: ") and "no_such_table_hive" in bad
    conn = await asyncpg.connect(host="127.0.0.1", user="postgres", database="test")
    try:
        assert await conn.fetchval(f"SELECT count(*) FROM {fruit_table}") == 2  # the DELETE did nothing
    finally:
        await conn.close()
    system = _system(ai_cluster)
    assert system.startswith("You are an agent designed to interact with an SQL database.")
    assert "syntactically correct postgres query" in system and "at most 5 results" in system
    tools = {t["function"]["name"] for t in ai_cluster.fake.stats.bodies[-1]["tools"]}
    assert tools == {"list-tables-sql", "info-sql", "query-sql"}


async def test_included_tables_and_prefix_prompt(ai_cluster: AiCluster, fruit_table: str) -> None:
    ai_cluster.configure(tool_calls=_calls(("list-tables-sql", "")), tool_calls_once=True, reply="ok")
    options = {"includedTables": f" {fruit_table} ,", "prefixPrompt": "Use {dialect}, top {top_k}."}
    agent = _agent(credential="Local Postgres", promptType="auto", options=options)
    snapshot = await ai_cluster.run(_workflow(ai_cluster.model, agent), aliases=ai_cluster.aliases())
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert _tool_answers(ai_cluster) == [fruit_table]
    assert _system(ai_cluster) == "Use postgres, top 10."

    options = {"ignoredTables": "no_such_table_hive"}
    agent = _agent(credential="Local Postgres", promptType="auto", options=options)
    failed = await ai_cluster.run(_workflow(ai_cluster.model, agent), aliases=ai_cluster.aliases())
    assert failed.status is ExecutionStatus.ERROR
    assert failed.error is not None and failed.error["node"]["name"] == "Agent"
    assert "Ignore tables not found in database: the table no_such_table_hive" in failed.error["message"]


async def test_bad_credentials_fail_the_node_naming_it(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(tool_calls=_calls(("list-tables-sql", "")), tool_calls_once=True, reply="ok")
    for credential, expected in [
        ("Missing database", 'database "no_such_db_hive" does not exist'),
        ("No such credential", "No such credential"),
        (None, "no postgres credential: select one in the node"),
    ]:
        agent = _agent(credential=credential, promptType="auto")
        failed = await ai_cluster.run(_workflow(ai_cluster.model, agent), aliases=ai_cluster.aliases())
        assert failed.status is ExecutionStatus.ERROR, credential
        assert failed.error is not None and failed.error["node"]["name"] == "Agent"
        assert "'Agent'" in failed.error["message"] and expected.lower() in failed.error["message"].lower()


def _sqlite_file(tmp_path: Path) -> str:
    path = tmp_path / "shop.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE orders (id INTEGER NOT NULL, total REAL)")
        db.executemany("INSERT INTO orders VALUES (?, ?)", [(1, 9.5), (2, 20.0)])
    return base64.b64encode(path.read_bytes()).decode("ascii")


def _sqlite_flow(model: str, version: float = 1.2) -> dict[str, Any]:
    to_file = base(
        "To File", "convertToFile", 1.1, 100, operation="toBinary", sourceProperty="file",
        options={"fileName": "shop.sqlite", "mimeType": "application/x-sqlite3"},
    )  # fmt: skip
    agent = _agent(version, input="=How much in total?", dataSource="sqlite")
    return _workflow(model, agent, before=[to_file])


async def test_sqlite_file_from_the_binary_store(ai_cluster: AiCluster, tmp_path: Path) -> None:
    calls = _calls(
        ("list-tables-sql", ""),
        ("info-sql", "orders"),
        ("query-sql", "SELECT sum(total) AS total FROM orders"),
        ("query-sql", "DROP TABLE orders"),
    )
    ai_cluster.configure(tool_calls=calls, tool_calls_once=True, reply="29.5")
    item = {"json": {"file": _sqlite_file(tmp_path)}}
    snapshot = await ai_cluster.run(
        _sqlite_flow(ai_cluster.model), aliases=ai_cluster.aliases(), trigger_items=[item]
    )
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Agent") == [{"output": "29.5"}]
    stored = snapshot.run_data["To File"][-1]["data"]["main"][0][0]["binary"]["data"]
    assert stored.get("id"), "the file should be in the binary store, not inline"
    listed, info, total, drop = _tool_answers(ai_cluster)
    assert listed == "orders"
    assert info == (
        'CREATE TABLE orders (\nid INTEGER NOT NULL, total REAL ) \nSELECT * FROM "orders" LIMIT 3;\n'
        " id total\n 1 9.5\n 2 20.0\n"
    )
    assert json.loads(total) == [{"total": 29.5}]
    assert drop.startswith("QueryFailedError: ") and "readonly" in drop
    # The prompt of 1.2 is `input`; the user message is the question.
    user = [m for m in ai_cluster.fake.stats.bodies[-1]["messages"] if m["role"] == "user"]
    assert user[0]["content"] == "How much in total?"
    assert "syntactically correct sqlite query" in _system(ai_cluster)


async def test_sqlite_without_binary_fails_the_item(ai_cluster: AiCluster) -> None:
    agent = _agent(1.2, input="=Anything?", dataSource="sqlite")
    failed = await ai_cluster.run(_workflow(ai_cluster.model, agent), aliases=ai_cluster.aliases())
    assert failed.status is ExecutionStatus.ERROR
    assert failed.error is not None and "No binary data found" in failed.error["message"]


async def test_mysql_on_mariadb(ai_cluster: AiCluster) -> None:
    name = f"pets_{uuid.uuid4().hex[:8]}"
    conn = await aiomysql.connect(host="127.0.0.1", user="root", db="test", autocommit=True)
    try:
        async with conn.cursor() as cursor:
            await cursor.execute(f"CREATE TABLE {name} (id INT NOT NULL, kind VARCHAR(20))")
            await cursor.execute(f"INSERT INTO {name} VALUES (1, 'cat')")
        calls = _calls(("query-sql", f"SELECT kind FROM {name}"), ("query-sql", f"DELETE FROM {name}"))
        ai_cluster.configure(tool_calls=calls, tool_calls_once=True, reply="A cat.")
        agent = _agent(credential="Local MariaDB", dataSource="mysql", promptType="auto")
        snapshot = await ai_cluster.run(_workflow(ai_cluster.model, agent), aliases=ai_cluster.aliases())
        assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
        rows, delete = _tool_answers(ai_cluster)
        assert json.loads(rows) == [{"kind": "cat"}]
        assert delete.startswith("QueryFailedError: ") and "READ ONLY" in delete.upper()
        async with conn.cursor() as cursor:
            await cursor.execute(f"SELECT count(*) FROM {name}")
            assert (await cursor.fetchone())[0] == 1
    finally:
        async with conn.cursor() as cursor:
            await cursor.execute(f"DROP TABLE IF EXISTS {name}")
        conn.close()


async def test_inline_sqlite_and_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    # No binary store: the item carries the file as base64 (a temporary copy is opened read-only).
    tools = SqlAgentActivities(ConfigCredentials({}), None)
    request = SqlToolInput(
        node="Agent", tool="list", source="sqlite", binary={"data": _sqlite_file(tmp_path)}
    )
    assert (await tools.run_sql_tool(request)).text == "orders"
    junk = request.model_copy(update={"binary": {"data": base64.b64encode(b"not sqlite").decode()}})
    with pytest.raises(ApplicationError) as caught:
        await tools.run_sql_tool(junk)
    assert caught.value.type == SQL_DATABASE_ERROR and caught.value.non_retryable
    assert caught.value.message.startswith("'Agent': SQLite: file is not a database")
