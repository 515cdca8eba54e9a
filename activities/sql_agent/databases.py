"""Read-only connections to the SQL agent's databases, and LangChain JS SqlDatabase's texts.

One connection per tool call (an agent makes a handful), opened read-only by the database
itself rather than by scanning the SQL for keywords: Postgres sessions start with
`default_transaction_read_only`, MySQL ones with `SET SESSION TRANSACTION READ ONLY`, and the
SQLite file is opened with `mode=ro`. n8n 1.x does not restrict the SQL agent (only its prompt
asks for no DML); Hive does, because the model's SQL is untrusted input and a stored SQLite
file is an execution's binary data that must not change under it.
"""

from __future__ import annotations

import base64
import json
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Protocol

import aiomysql
import aiosqlite
import asyncpg

Row = dict[str, Any]


class DatabaseUnavailable(Exception):
    """The database cannot be opened (bad credential, unreachable server, not an SQLite file)."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        # An unreachable server may come back; a refused login or a broken file will not.
        self.retryable = retryable


class Database(Protocol):
    dialect: str

    async def rows(self, sql: str) -> list[Row]: ...

    async def close(self) -> None: ...


@dataclass
class Column:
    name: str
    data_type: str | None
    nullable: bool


@dataclass
class Table:
    name: str
    columns: list[Column] = field(default_factory=list)


def _ssl(data: Mapping[str, Any]) -> ssl.SSLContext | bool:
    # n8n's handler: allowUnauthorizedCerts → TLS without verification, else TLS unless disabled.
    if data.get("allowUnauthorizedCerts") is True:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    return data.get("ssl") not in (None, "disable")


class _Postgres:
    dialect = "postgres"

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def rows(self, sql: str) -> list[Row]:
        return [dict(record) for record in await self._conn.fetch(sql)]

    async def close(self) -> None:
        await self._conn.close()


class _MySql:
    dialect = "mysql"

    def __init__(self, conn: aiomysql.Connection) -> None:
        self._conn = conn

    async def rows(self, sql: str) -> list[Row]:
        async with self._conn.cursor(aiomysql.DictCursor) as cursor:
            await cursor.execute(sql)
            return list(await cursor.fetchall() or [])

    async def close(self) -> None:
        self._conn.close()


class _Sqlite:
    dialect = "sqlite"

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def rows(self, sql: str) -> list[Row]:
        async with self._conn.execute(sql) as cursor:
            names = [c[0] for c in cursor.description or []]
            return [dict(zip(names, row, strict=False)) for row in await cursor.fetchall()]

    async def close(self) -> None:
        await self._conn.close()


async def open_postgres(data: Mapping[str, Any]) -> Database:
    """n8n's `postgres` credential (host, port, user, password, database, ssl), read-only."""
    try:
        conn = await asyncpg.connect(
            host=str(data.get("host") or "localhost"),
            port=int(data.get("port") or 5432),
            user=str(data.get("user") or "postgres"),
            password=str(data["password"]) if data.get("password") else None,
            database=str(data.get("database") or "postgres"),
            ssl=_ssl(data),
            timeout=10,
            server_settings={"default_transaction_read_only": "on"},
        )
    except (OSError, TimeoutError) as exc:
        raise DatabaseUnavailable(f"Postgres: {exc}", retryable=True) from None
    except asyncpg.PostgresError as exc:
        raise DatabaseUnavailable(f"Postgres: {exc}") from None
    return _Postgres(conn)


async def open_mysql(data: Mapping[str, Any]) -> Database:
    """n8n's `mySql` credential (host, port, user, password, database), read-only."""
    try:
        conn = await aiomysql.connect(
            host=str(data.get("host") or "localhost"),
            port=int(data.get("port") or 3306),
            user=str(data.get("user") or "root"),
            password=str(data.get("password") or ""),
            db=str(data.get("database") or "") or None,
            connect_timeout=10,
            autocommit=True,
        )
    except OSError as exc:
        raise DatabaseUnavailable(f"MySQL: {exc}", retryable=True) from None
    except aiomysql.Error as exc:
        # pymysql wraps a refused connection (errno 2003) as OperationalError too.
        code = exc.args[0] if exc.args else None
        raise DatabaseUnavailable(f"MySQL: {exc}", retryable=code == 2003) from None
    async with conn.cursor() as cursor:
        await cursor.execute("SET SESSION TRANSACTION READ ONLY")
    return _MySql(conn)


async def open_sqlite(path: str) -> Database:
    """The SQLite file at `path`, read-only."""
    try:
        conn = await aiosqlite.connect(f"file:{path}?mode=ro", uri=True)
        await conn.execute("SELECT count(*) FROM sqlite_master")  # not a database: fails here
    except aiosqlite.Error as exc:
        raise DatabaseUnavailable(f"SQLite: {exc}") from None
    return _Sqlite(conn)


_TABLES_SQL = {
    # LangChain JS sql_utils getTableAndColumnsName, per dialect (Postgres: schema public).
    "postgres": (
        "SELECT t.table_name, c.column_name, c.data_type, c.is_nullable "
        "FROM information_schema.tables t JOIN information_schema.columns c ON t.table_name = c.table_name "
        "WHERE t.table_schema = 'public' AND c.table_schema = 'public' "
        "ORDER BY t.table_name, c.ordinal_position"
    ),
    "sqlite": (
        "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, "
        "CASE WHEN p.\"notnull\" = 0 THEN 'YES' ELSE 'NO' END AS is_nullable "
        "FROM sqlite_master m JOIN pragma_table_info(m.name) p "
        "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
    ),
    "mysql": (
        "SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, DATA_TYPE AS data_type, "
        "IS_NULLABLE AS is_nullable FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
        "ORDER BY TABLE_NAME, ORDINAL_POSITION"
    ),
}


async def all_tables(db: Database) -> list[Table]:
    """Every table with its columns, in the database's order."""
    tables: dict[str, Table] = {}
    for row in await db.rows(_TABLES_SQL[db.dialect]):
        row = {key.lower(): value for key, value in row.items()}
        name = str(row["table_name"])
        column = Column(str(row["column_name"]), row.get("data_type"), row.get("is_nullable") == "YES")
        tables.setdefault(name, Table(name)).columns.append(column)
    return list(tables.values())


def selected(tables: list[Table], include: list[str], ignore: list[str]) -> list[Table]:
    """SqlDatabase's table selection: `include` (if any) minus `ignore`."""
    if include:
        tables = [t for t in tables if t.name in include]
    return [t for t in tables if t.name not in ignore]


def missing_tables(tables: list[Table], names: list[str], prefix: str) -> None:
    """LangChain's verifyListTablesExistInDatabase: raise naming the first unknown table."""
    known = {t.name for t in tables}
    for name in names:
        if name not in known:
            raise ValueError(f"{prefix} the table {name} was not found in the database")


def _sample_sql(dialect: str, table: str, limit: int) -> str:
    if dialect == "mysql":
        return f"SELECT * FROM `{table}` LIMIT {limit};\n"
    if dialect == "postgres":
        return f'SELECT * FROM "public"."{table}" LIMIT {limit};\n'
    return f'SELECT * FROM "{table}" LIMIT {limit};\n'


def _text(value: Any) -> str:
    # JavaScript's `${value}` of the driver's value, near enough for the model.
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


async def table_info(db: Database, tables: list[Table], sample_rows: int) -> str:
    """generateTableInfoFromTables: CREATE TABLE text, the sample query, column names, sample rows."""
    text = ""
    for table in tables:
        create = (
            f'CREATE TABLE "public"."{table.name}" (\n'
            if db.dialect == "postgres"
            else f"CREATE TABLE {table.name} (\n"
        )
        create += ", ".join(
            f"{c.name} {c.data_type} {'' if c.nullable else 'NOT NULL'}" for c in table.columns
        )
        create += ") \n"
        sample_sql = _sample_sql(db.dialect, table.name, sample_rows)
        names = "".join(f" {c.name}" for c in table.columns) + "\n"
        sample = ""
        if sample_rows:
            try:
                rows = await db.rows(sample_sql.rstrip(";\n"))
            except Exception:  # noqa: BLE001 - as in LangChain: a failing sample only leaves it out
                rows = []
            sample = "".join("".join(f" {_text(v)}" for v in row.values()) + "\n" for row in rows)
        text += create + sample_sql + names + sample
    return text


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)  # node-postgres and mysql2 return numerics as strings
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


def rows_json(rows: list[Row]) -> str:
    """SqlDatabase.run's JSON.stringify of the rows."""
    return json.dumps(rows, default=_jsonable, ensure_ascii=False, separators=(",", ":"))


__all__ = [
    "Database",
    "DatabaseUnavailable",
    "Table",
    "all_tables",
    "missing_tables",
    "open_mysql",
    "open_postgres",
    "open_sqlite",
    "rows_json",
    "selected",
    "table_info",
]
