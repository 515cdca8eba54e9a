"""The SQL agent's tools (list-tables-sql, info-sql, query-sql) as one activity of the central worker.

The workflow hands over the database by reference: the credential's id/name (resolved here,
so the secret never enters Temporal history) or the SQLite file's binary entry (read here from
the binary store). What LangChain's tools answer the model, errors included, comes back as
text (`SqlToolOutput`); a database that cannot be opened raises `SqlDatabaseError` so the AI
node fails naming it (non-retryable, except an unreachable server, which the workflow retries
a few times).
"""

from __future__ import annotations

import base64
import contextlib
import os
import tempfile
from collections.abc import AsyncIterator
from typing import Any, Literal

from pydantic import BaseModel, Field
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.sql_agent.databases import (
    Database,
    DatabaseUnavailable,
    all_tables,
    missing_tables,
    open_mysql,
    open_postgres,
    open_sqlite,
    rows_json,
    selected,
    table_info,
)
from hive_core.binary_data import BinaryStore, ExecutionBinary
from hive_core.errors import HiveError
from n8n_import.plan import CredentialRef
from n8n_runtime.http import CredentialSource

SQL_DATABASE_ERROR = "SqlDatabaseError"
# The n8n credential type of each server data source.
CREDENTIAL_TYPES = {"postgres": "postgres", "mysql": "mySql"}


class SqlToolInput(BaseModel):
    """One SQL tool call: which tool, its input, and the database by reference."""

    node: str
    tool: Literal["list", "info", "query"]
    input: str = ""
    source: Literal["sqlite", "postgres", "mysql"]
    include_tables: list[str] = Field(default_factory=list)
    ignore_tables: list[str] = Field(default_factory=list)
    sample_rows: int = 3
    # SQLite: the item's binary entry ({"id"} in the store, or inline base64 "data").
    binary: dict[str, Any] | None = None
    credentials: dict[str, dict[str, str | None]] = Field(default_factory=dict)


class SqlToolOutput(BaseModel):
    text: str


def _node_error(request: SqlToolInput, message: str, *, retryable: bool = False) -> ApplicationError:
    return ApplicationError(
        f"'{request.node}': {message}", type=SQL_DATABASE_ERROR, non_retryable=not retryable
    )


class SqlAgentActivities:
    """Runs the SQL agent's tools on the node's database."""

    def __init__(self, credentials: CredentialSource, store: BinaryStore | None) -> None:
        self._credentials = credentials
        self._store = store

    async def _credential(self, request: SqlToolInput) -> dict[str, Any]:
        kind = CREDENTIAL_TYPES[request.source]
        ref = request.credentials.get(kind)
        if ref is None:
            raise _node_error(request, f"no {kind} credential: select one in the node")
        try:
            resolver = await self._credentials.for_node(
                {kind: CredentialRef(id=ref.get("id"), name=ref.get("name"))}
            )
            return dict(resolver.resolve(kind, ref.get("id"), ref.get("name")).data)
        except HiveError as exc:
            raise _node_error(request, exc.message) from None

    @contextlib.asynccontextmanager
    async def _sqlite(self, request: SqlToolInput) -> AsyncIterator[Database]:
        binary = dict(request.binary or {})
        files = ExecutionBinary(self._store, None, "sql-agent")
        try:
            path = files.local_path(binary)
        except (HiveError, ValueError, OSError) as exc:
            raise _node_error(request, f"cannot read the SQLite file: {exc}") from None
        temporary: str | None = None
        if path is None:  # inline base64: a temporary copy the database reads
            handle, temporary = tempfile.mkstemp(suffix=".sqlite")
            with os.fdopen(handle, "wb") as out:
                out.write(base64.b64decode(str(binary.get("data") or "")))
        elif not path.is_file():
            raise _node_error(request, "the SQLite file is no longer in the binary data store")
        try:
            db = await open_sqlite(str(path or temporary))
            try:
                yield db
            finally:
                await db.close()
        finally:
            if temporary:
                os.unlink(temporary)

    @contextlib.asynccontextmanager
    async def _database(self, request: SqlToolInput) -> AsyncIterator[Database]:
        try:
            if request.source == "sqlite":
                async with self._sqlite(request) as db:
                    yield db
                return
            data = await self._credential(request)
            opener = open_postgres if request.source == "postgres" else open_mysql
            db = await opener(data)
        except DatabaseUnavailable as exc:
            raise _node_error(request, str(exc), retryable=exc.retryable) from None
        try:
            yield db
        finally:
            await db.close()

    @activity.defn(name="hive.ai.run_sql_tool")
    async def run_sql_tool(self, request: SqlToolInput) -> SqlToolOutput:
        """One tool call; the answer (or the database's error) is text for the model."""
        async with self._database(request) as db:
            tables = await all_tables(db)
            # SqlDatabase.fromDataSourceParams checks both lists first: the node fails.
            try:
                missing_tables(tables, request.include_tables, "Include tables not found in database:")
                missing_tables(tables, request.ignore_tables, "Ignore tables not found in database:")
            except ValueError as exc:
                raise _node_error(request, str(exc)) from None
            return SqlToolOutput(text=await _answer(db, request, tables))


async def _answer(db: Database, request: SqlToolInput, tables: list[Any]) -> str:
    chosen = selected(tables, request.include_tables, request.ignore_tables)
    if request.tool == "list":
        return ", ".join(t.name for t in chosen)
    if request.tool == "info":
        names = [name.strip() for name in request.input.split(",")]
        try:
            # As LangChain's getTableInfo: names are checked against every table of the database.
            missing_tables(tables, names, "Wrong target table name:")
        except ValueError as exc:
            return f"Error: {exc}"
        return await table_info(db, [t for t in tables if t.name in names], request.sample_rows)
    try:
        return rows_json(await db.rows(request.input))
    except Exception as exc:  # noqa: BLE001 - the database's refusal is the model's to fix
        return f"QueryFailedError: {exc}"


__all__ = ["SQL_DATABASE_ERROR", "SqlAgentActivities", "SqlToolInput", "SqlToolOutput"]
